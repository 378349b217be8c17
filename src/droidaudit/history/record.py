"""What the database keeps of one scan: who (server + serial, maker, model), when, where
the report is, the verdict, and each finding's rule, item and status.

It is built from the report as written, so with --redact it holds only what the redacted
report holds: the serial is masked and finding items went through the same cleaning.
"""

from __future__ import annotations

from dataclasses import dataclass

from droidaudit.report.model import ScanReport
from droidaudit.report.verdict import verdict_of


@dataclass(frozen=True)
class FindingRow:
    rule: str
    item: str
    status: str
    severity: str
    title: str


@dataclass(frozen=True)
class ScanRecord:
    server: str  # the adb server ("host:port"), or where an offline scan came from
    serial: str
    scanned_at: str  # ISO 8601 UTC
    verdict: str  # report.verdict word
    complete: bool  # every reading arrived: the findings can be compared with another scan
    manufacturer: str = ""
    model: str = ""
    origin: str = "live"
    profile: str = ""
    report_folder: str = ""
    error: str = ""
    findings: tuple[FindingRow, ...] = ()


def record_of_report(report: ScanReport, server: str, serial: str, report_folder: str,
                     complete: bool = True, error: str = "", verdict: str = "") -> ScanRecord:
    findings = tuple(FindingRow(f.rule, f.item or "", f.status, f.severity, f.title)
                     for f in report.findings)
    return ScanRecord(
        server=server, serial=serial, scanned_at=report.scanned_at,
        verdict=verdict or verdict_of(report), complete=complete,
        manufacturer=str(report.device.get("manufacturer") or ""),
        model=str(report.device.get("model") or ""), origin=report.origin,
        profile=report.profile, report_folder=report_folder, error=error,
        findings=findings)
