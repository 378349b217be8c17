"""Recording scans in the history database (when there is one), and what is new since a
phone's last scan. With --redact the database gets the redacted report and a masked
serial, and no comparison is made (every redacted phone has the same masked serial)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from droidaudit.history import History, HistoryError, ScanRecord, record_of_report
from droidaudit.pipeline.options import ScanOptions
from droidaudit.pipeline.scan import ScanOutcome
from droidaudit.report.redact import MASK
from droidaudit.timestamps import now_iso_utc

if TYPE_CHECKING:  # pipeline.fleet pulls in the live stack; a capture scan records too
    from droidaudit.pipeline.fleet import PhoneResult


class Recorder:
    """Records results; a database that fails stops recording for the rest of the run
    (`problem` says why, for the person) but never stops a scan or loses a report."""

    def __init__(self, history: History | None, options: ScanOptions) -> None:
        self.history = history
        self.redact = options.redact
        self.profile = options.profile
        self.problem = ""

    def __call__(self, result: PhoneResult) -> PhoneResult:
        """Store one phone's result; return it with `new_failures` filled in."""
        try:
            return self._record(result)
        except HistoryError as exc:
            self.problem, self.history = str(exc), None
            return result

    def _record(self, result: PhoneResult) -> PhoneResult:
        if self.history is None:
            return result
        serial = MASK if self.redact else result.serial
        if result.outcome is None:
            record = ScanRecord(server=result.server, serial=serial, scanned_at=now_iso_utc(),
                                verdict=result.result, complete=False,
                                model=result.listed_model, profile=self.profile,
                                error=result.error)
        else:
            record = record_of_report(result.outcome.report, result.server, serial,
                                      str(result.outcome.folder), complete=result.complete,
                                      error=result.error, verdict=result.result)
        new = self.history.record(record, compare=not self.redact)
        return replace(result, new_failures=new)

    def offline_scan(self, outcome: ScanOutcome) -> tuple[str, ...] | None:
        """A scan of a saved capture: the phone is the serial it recorded, on the server
        it was read through (`adb HOST:PORT` in its transport), else `capture`."""
        try:
            return self._record_offline(outcome)
        except HistoryError as exc:
            self.problem, self.history = str(exc), None
            return None

    def _record_offline(self, outcome: ScanOutcome) -> tuple[str, ...] | None:
        if self.history is None:
            return None
        report = outcome.report
        transport = str(report.device.get("transport") or "")
        match = re.fullmatch(r"adb (\S+)", transport)
        server = match.group(1) if match else "capture"
        serial = MASK if self.redact else str(report.device.get("serial") or "unknown")
        record = record_of_report(report, server, serial, str(outcome.folder),
                                  complete=not outcome.incomplete)
        return self.history.record(record, compare=not self.redact)
