"""The batch protocol: many probes in one `adb shell` round trip, framed by markers.

Each probe's output is framed as `@@B|<token>|<name>` … `@@E|<token>|<name>|<exit code>`
with a random per-scan token, so the output of one command can never be mistaken for a
frame. A probe whose end marker never arrives (dropped connection, watchdog) is marked as
an error and never read as an answer: adb's `shell:` returns truncated output silently.
Only commands from droidaudit.probes.PROBES (or its templated root probes, rebuilt and
checked by `probes.is_allowed`) are ever put in a script.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from droidaudit.probes import Probe, is_allowed

# `timeout` is toybox's (Android 7+); without it the probe simply runs unbounded on the
# phone and the host-side watchdog is the only limit.
_PRELUDE = (
    'K={token};T=;command -v timeout >/dev/null 2>&1&&T=timeout;'
    'p(){{ echo "@@B|$K|$1";$T ${{T:+$2}} sh -c "$3" 2>&1 </dev/null;r=$?;'
    'echo;echo "@@E|$K|$1|$r";}};'
)


def new_token() -> str:
    return secrets.token_hex(6)


def build_script(probes: Sequence[Probe], token: str) -> str:
    parts = [_PRELUDE.format(token=token)]
    for probe in probes:
        if not is_allowed(probe):
            raise ValueError(f"refusing to send a command outside the allow-list: {probe.command}")
        parts.append(f"p {probe.name} {probe.timeout_s} '{probe.command}';")
    return "".join(parts)


@dataclass
class FramedOutput:
    data: bytes
    exit_code: int | None
    complete: bool


def split_frames(stream: bytes, token: str) -> dict[str, FramedOutput]:
    """Cut the batch output into per-probe outputs, byte-exact.

    Old PTY-based adbd (Android < 7) turns `\n` into `\r\n`: markers allow `\r` before `\n`.
    """
    tok = re.escape(token.encode())
    begin = re.compile(rb"@@B\|" + tok + rb"\|([a-z0-9_]+)\r*\n")
    frames: dict[str, FramedOutput] = {}
    for match in begin.finditer(stream):
        name = match.group(1)
        start = match.end()
        end = re.compile(rb"\r*\n@@E\|" + tok + rb"\|" + re.escape(name) + rb"\|(\d+)\r*\n?")
        closing = end.search(stream, start)
        if closing is None:
            nxt = begin.search(stream, start)
            stop = nxt.start() if nxt else len(stream)
            frames[name.decode()] = FramedOutput(stream[start:stop], None, False)
        else:
            frames[name.decode()] = FramedOutput(stream[start:closing.start()],
                                                 int(closing.group(1)), True)
    return frames
