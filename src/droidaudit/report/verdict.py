"""A phone's result in one or two words, for fleet tables and the history database.

Words, not the posture sentence: they sort, filter and fit a column. A phone that could
not be read is never given a word that sounds like a pass.
"""

from __future__ import annotations

from droidaudit.report.model import ScanReport, severity_rank

# The result of a phone in a fleet (or a watch) run, worst first.
NOT_SCANNED = "not scanned"  # listed by adb, but not in state `device`
SCAN_FAILED = "scan failed"  # the scan raised before any report existed
INCOMPLETE = "incomplete"  # the phone stopped answering: a partial report
INTERRUPTED = "interrupted"  # the person stopped the run before this phone finished
AT_RISK = "at risk"
NEEDS_ATTENTION = "needs attention"
NOT_FULLY_CHECKED = "not fully checked"
HARDENED = "hardened"

VERDICTS = (NOT_SCANNED, SCAN_FAILED, INCOMPLETE, INTERRUPTED, AT_RISK, NEEDS_ATTENTION,
            NOT_FULLY_CHECKED, HARDENED)


def verdict_of(report: ScanReport) -> str:
    if report.incomplete:  # a partial scan says so before anything it found
        return INCOMPLETE
    failed = report.failures()
    if any(severity_rank(f.severity) >= severity_rank("high") for f in failed):
        return AT_RISK
    if failed:
        return NEEDS_ATTENTION
    if any(f.status in ("unknown", "notchecked", "error") for f in report.findings):
        return NOT_FULLY_CHECKED
    if not any(f.status == "pass" for f in report.findings):
        return NOT_FULLY_CHECKED  # nothing verified (no rule ran, or none applied): no pass
    return HARDENED
