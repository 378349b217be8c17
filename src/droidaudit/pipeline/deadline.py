"""The scan's wall-clock limit (`--timeout`) over evaluating and writing too, not only over
reading the phone (issue 14 item 10): a dump built to make parsing or rules slow ends the
scan at its limit like a phone that stops answering.

The work runs in a worker thread that the scan waits for until the deadline; a thread
cannot be stopped, so a late one is told it expired and writes nothing, and the caller
saves what was read for a later `droidaudit scan --capture`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from droidaudit.errors import DeviceError

T = TypeVar("T")
# A scan that spent its whole limit reading still gets this long to write what it read.
GRACE_S = 2.0


class ScanTimeLimit(DeviceError):
    """The scan ran past its --timeout after the phone was read (exit 3)."""


class Expired(Exception):
    """Raised inside late work at its next check: stop, write nothing."""


def check(expired: threading.Event) -> None:
    if expired.is_set():
        raise Expired()


def finish_within(deadline: float | None, work: Callable[[threading.Event], T]) -> T:
    """work(expired) by `deadline` (time.monotonic(), GRACE_S at least); ScanTimeLimit if
    it is still running then. None: no limit (offline sources)."""
    expired = threading.Event()
    if deadline is None:
        return work(expired)
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = work(expired)
        except BaseException as exc:  # handed to the waiting thread as it is
            box["error"] = exc

    worker = threading.Thread(target=run, name="droidaudit-evaluate", daemon=True)
    worker.start()
    worker.join(max(deadline - time.monotonic(), GRACE_S))
    if worker.is_alive():
        expired.set()
        raise ScanTimeLimit("the scan ran past its time limit (--timeout) while evaluating "
                            "what the phone sent")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]
