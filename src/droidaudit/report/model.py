"""What every reporter renders: one device's scan, findings and summary."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from droidaudit.facts import FactSet
from droidaudit.rules.model import SEVERITIES, Finding

STATUS_ORDER = ("fail", "error", "unknown", "notchecked", "informational", "waived", "pass",
                "notapplicable")
AREA_TITLES = {
    "mms": "MMS auto-download",
    "permissions": "App permissions",
    "patch": "Updates and patch level",
    "lockscreen": "Lock screen",
    "backup": "Backup",
    "debug": "Debugging and app installs",
    "integrity": "System integrity",
}


@dataclass
class ScanReport:
    device: dict[str, Any]
    scanned_at: str
    origin: str
    profile: str
    facts: FactSet
    findings: list[Finding]
    rules_version: str
    tool_version: str
    capture_dir: str = ""
    warnings: list[str] = field(default_factory=list)

    def failures(self) -> list[Finding]:
        return [f for f in self.findings if f.status == "fail"]

    def to_check_by_hand(self) -> list[Finding]:
        return [f for f in self.findings if f.status == "notchecked"]

    def summary(self) -> dict[str, Any]:
        by_status: Counter[str] = Counter(f.status for f in self.findings)
        failed_by_severity = Counter(f.severity for f in self.failures())
        areas: dict[str, dict[str, int]] = {}
        for finding in self.findings:
            area = areas.setdefault(finding.area, dict.fromkeys(STATUS_ORDER, 0))
            area[finding.status] = area.get(finding.status, 0) + 1
        return {
            "posture": posture(self.findings),
            "by_status": {s: by_status.get(s, 0) for s in STATUS_ORDER},
            "failed_by_severity": {s: failed_by_severity.get(s, 0) for s in SEVERITIES},
            "areas": areas,
        }


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else 0


def posture(findings: list[Finding]) -> str:
    """The report's first sentence. It never says 'safe' when anything went unread."""
    failed = [f for f in findings if f.status == "fail"]
    serious = [f for f in failed if severity_rank(f.severity) >= severity_rank("high")]
    unread = [f for f in findings if f.status in ("unknown", "notchecked", "error")]
    waived = [f for f in findings if f.status == "waived"]
    if not any(f.status == "pass" for f in findings) and not failed:
        # Zero rules, or none that passed: nothing supports "Hardened".
        return (f"Nothing was verified: no check passed ({len(findings)} result"
                f"{'s' * (len(findings) != 1)}). This is not a clean bill of health.")
    if serious:
        return (f"At risk: {len(serious)} serious problem{'s' * (len(serious) != 1)} "
                f"to fix ({len(failed)} in all).")
    if failed:
        return f"Needs attention: {len(failed)} problem{'s' * (len(failed) != 1)} to fix."
    if unread:
        return (f"No problems found in what could be read, but {len(unread)} "
                f"item{'s' * (len(unread) != 1)} could not be checked: see the list below.")
    if waived:
        return (f"No problems found, but {len(waived)} check{'s' * (len(waived) != 1)} "
                "were waived (accepted risks): see the list below.")
    return "Hardened: every check that applies to this phone passed."


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (STATUS_ORDER.index(f.status)
                                           if f.status in STATUS_ORDER else 99,
                                           -severity_rank(f.severity), f.area, f.rule,
                                           f.item or ""))
