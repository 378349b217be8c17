"""One row per phone of a fleet run, shared by index.html, fleet.json and fleet.csv, so
the three always agree: every phone the adb servers listed, in every state."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from droidaudit.report.model import ScanReport
from droidaudit.report.verdict import VERDICTS
from droidaudit.rules.model import SEVERITIES


@dataclass(frozen=True)
class FleetEntry:
    server: str  # the adb server that listed the phone (a phone is server + serial)
    serial: str
    state: str  # what adb said: device, unauthorized, offline, no permissions, ...
    result: str  # a verdict word (report.verdict); for a full scan, its report's verdict
    report: ScanReport | None = None  # None: nothing could be read
    report_path: Path | None = None  # the full or partial report
    error: str = ""  # why the phone could not be scanned, or not to the end
    fix: str = ""  # what the person at the bench should do, in plain words
    listed_model: str = ""  # `adb devices -l` model, for a phone never read
    new_failures: tuple[str, ...] | None = None  # failing now, not last time; None: no past


COLUMNS = ("server", "serial", "state", "result", "manufacturer", "model", "release",
           "security_patch", "posture", "fail", *reversed(SEVERITIES), "to_check_by_hand",
           "not_readable", "passed", "new_since_last_scan", "report", "error", "fix")


def phone_row(entry: FleetEntry, relative_to: Path) -> dict[str, Any]:
    """Typed values (ints, a list, None for unknown) in COLUMNS order."""
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    row.update(server=entry.server, serial=entry.serial, state=entry.state,
               result=entry.result, model=entry.listed_model or None, error=entry.error,
               fix=entry.fix, new_since_last_scan=(list(entry.new_failures)
                                                   if entry.new_failures is not None else None))
    if entry.report_path is not None:
        row["report"] = os.path.relpath(entry.report_path, relative_to)
    if entry.report is not None:
        row.update(_counts(entry.report))
    return row


def _counts(report: ScanReport) -> dict[str, Any]:
    summary = report.summary()
    by_status, failed = summary["by_status"], summary["failed_by_severity"]
    return {
        "manufacturer": report.device.get("manufacturer"),
        "model": report.device.get("model"),
        "release": report.device.get("release"),
        "security_patch": report.facts.value("os.security_patch"),
        "posture": summary["posture"], "fail": by_status["fail"],
        **{severity: failed[severity] for severity in SEVERITIES},
        "to_check_by_hand": by_status["notchecked"],
        "not_readable": by_status["unknown"] + by_status["error"],
        "passed": by_status["pass"],
    }


def as_text(value: Any) -> str:
    """A typed cell as text: unknown is empty, a list is `; `-joined."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def result_rank(result: str) -> int:
    """Worst first, for sorting (a scanned phone's verdict ranks after every failure)."""
    return VERDICTS.index(result) if result in VERDICTS else len(VERDICTS)
