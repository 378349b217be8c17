"""A lab's view of many phones scanned at once: index.html linking each phone's report
and fleet.csv with one row per phone (DESIGN §6)."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from droidaudit.report.model import ScanReport


@dataclass(frozen=True)
class FleetEntry:
    label: str  # the phone's serial (or what the lab calls it)
    report: ScanReport | None  # None: the scan failed
    report_path: Path | None
    error: str = ""


_COLUMNS = ("serial", "manufacturer", "model", "release", "security_patch", "posture", "fail",
            "critical", "high", "to_check_by_hand", "not_readable", "passed", "report", "error")

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("droidaudit.report", "templates"), autoescape=True,
    undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _row(entry: FleetEntry, relative_to: Path) -> dict[str, str]:
    row = dict.fromkeys(_COLUMNS, "")
    row["serial"], row["error"] = entry.label, entry.error
    if entry.report_path is not None:
        row["report"] = os.path.relpath(entry.report_path, relative_to)
    if entry.report is None:
        row["posture"] = "scan failed"
        return row
    report, summary = entry.report, entry.report.summary()
    counts, failed = summary["by_status"], summary["failed_by_severity"]
    row.update({
        "manufacturer": str(report.device.get("manufacturer") or ""),
        "model": str(report.device.get("model") or ""),
        "release": str(report.device.get("release") or ""),
        "security_patch": str(report.facts.value("os.security_patch") or ""),
        "posture": summary["posture"], "fail": str(counts["fail"]),
        "critical": str(failed["critical"]), "high": str(failed["high"]),
        "to_check_by_hand": str(counts["notchecked"]),
        "not_readable": str(counts["unknown"] + counts["error"]), "passed": str(counts["pass"]),
    })
    return row


def render_fleet_csv(entries: Sequence[FleetEntry], folder: Path) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=_COLUMNS)
    writer.writeheader()
    for entry in entries:
        # A leading = + - @ would be a formula in a spreadsheet: device strings are hostile.
        writer.writerow({k: ("'" + v if v[:1] in "=+-@" else v)
                         for k, v in _row(entry, folder).items()})
    return buffer.getvalue().encode("utf-8", "backslashreplace")


def render_fleet_html(entries: Sequence[FleetEntry], folder: Path, scanned_at: str) -> bytes:
    rows = [_row(entry, folder) for entry in entries]
    return _ENV.get_template("fleet.html.j2").render(rows=rows, scanned_at=scanned_at).encode(
        "utf-8", "backslashreplace")
