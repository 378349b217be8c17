"""Progress for many phones: a live table, one row per phone (server, serial, model,
stage, elapsed) on a terminal; one plain line per finished phone otherwise (a log file,
CI). Both print each phone's result line as it ends. Thread-safe: scans report from their
own threads."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING

from droidaudit.cli.common import err_console, out_console

if TYPE_CHECKING:
    from rich.live import Live
    from rich.table import Table

    from droidaudit.pipeline.fleet import PhoneResult


# Stages of a phone whose scan never started: no elapsed time to show.
_NOT_STARTED = ("waiting", "not scanned", "unauthorized", "offline", "no permissions",
                "recovery", "sideload", "bootloader", "authorizing", "connecting")


@dataclass
class _Row:
    server: str
    serial: str
    model: str = ""
    stage: str = ""
    started: float = field(default_factory=time.monotonic)
    ended: float | None = None


class FleetProgress:
    """A FleetObserver for the terminal; `with FleetProgress(quiet) as progress: ...`."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.rows: dict[tuple[str, str], _Row] = {}
        self._lock = threading.Lock()
        self._live: Live | None = None

    def __enter__(self) -> FleetProgress:
        if not self.quiet and err_console().is_terminal:
            from rich.live import Live

            # Result lines go to stdout: above the table when both are this terminal,
            # else to wherever stdout was sent (`scan --all > lab.log`).
            self._live = Live(get_renderable=self._table, console=err_console(),
                              refresh_per_second=4, transient=True, redirect_stdout=False,
                              redirect_stderr=False)
            self._live.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None

    def stage(self, server: str, serial: str, message: str, model: str = "") -> None:
        with self._lock:
            row = self.rows.setdefault((server, serial), _Row(server, serial))
            row.model = row.model or model
            if row.stage == "waiting" and message != "waiting":
                row.started = time.monotonic()  # elapsed counts from the scan's start
            row.stage = message

    def finished(self, result: PhoneResult) -> None:
        from droidaudit.report.console import printable

        with self._lock:
            row = self.rows.setdefault((result.server, result.serial),
                                       _Row(result.server, result.serial))
            row.stage, row.ended = result.result, time.monotonic()
            row.model = row.model or _model(result)
        line = printable(result_line(result))
        if self.quiet and result.complete:
            return
        console = out_console()
        if self._live is not None and console.is_terminal:
            console = self._live.console
        style = None if result.complete else "red"
        console.print(line, style=style, highlight=False, markup=False, soft_wrap=True)

    def notice(self, text: str) -> None:
        from droidaudit.report.console import printable

        console = self._live.console if self._live is not None else err_console()
        console.print(printable(text), style="yellow", highlight=False, markup=False,
                      soft_wrap=True)

    def _table(self) -> Table:
        from rich.table import Table

        from droidaudit.report.console import printable

        table = Table(box=None, header_style="bold")
        for column in ("server", "serial", "model", "stage", "elapsed"):
            table.add_column(column)
        now = time.monotonic()
        with self._lock:
            for row in sorted(self.rows.values(), key=lambda r: (r.server, r.serial)):
                elapsed = (row.ended or now) - row.started
                table.add_row(printable(row.server), printable(row.serial),
                              printable(row.model), printable(row.stage),
                              "" if row.stage in _NOT_STARTED else f"{elapsed:5.1f} s")
        return table


def _model(result: PhoneResult) -> str:
    if result.outcome is not None:
        device = result.outcome.report.device
        return " ".join(str(device.get(k) or "") for k in ("manufacturer", "model")).strip()
    return result.listed_model


def result_line(result: PhoneResult) -> str:
    """`SERIAL (SERVER): verdict — report` or `... : not scanned — error. What to do.`"""
    head = f"{result.serial} ({result.server}): {result.result}"
    where = ""
    if result.outcome is not None:
        where = str(result.outcome.files.get("html") or result.outcome.folder)
    if result.error:
        tail = f" — {result.error}" + (f". {result.fix}" if result.fix else "")
        return head + tail + (f" ({where})" if where else "")
    parts = [where] if where else []
    if result.new_failures:
        parts.append(f"new since last scan: {', '.join(result.new_failures)}")
    return head + (" — " + "; ".join(parts) if parts else "")
