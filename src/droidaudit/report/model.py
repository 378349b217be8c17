"""What every reporter renders: one device's scan, findings and summary, and the one set of
words for each result state that the console, the HTML, the CSV and the fleet index share."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from droidaudit.facts import FactSet
from droidaudit.rules.model import SEVERITIES, Finding

STATUS_ORDER = ("fail", "error", "unknown", "notchecked", "informational", "waived", "pass",
                "notapplicable")
# One name per state, everywhere a person reads it (console, chips, section titles, fleet).
# `unknown` and `error` are one state for a reader: the scan could not tell.
STATE_NAMES = {"fail": "to fix", "notchecked": "to check by hand", "unknown": "could not be read",
               "error": "could not be read", "informational": "for information",
               "waived": "waived", "pass": "passed", "notapplicable": "not applicable"}
AREA_TITLES = {
    "mms": "MMS auto-download",
    "permissions": "App permissions",
    "patch": "Updates and patch level",
    "lockscreen": "Lock screen",
    "backup": "Backup",
    "debug": "Debugging and app installs",
    "integrity": "System integrity",
}
# What the banner tells a person to do when the phone stopped answering mid-scan.
RESCAN_ADVICE = ("Unplug and replug the phone, unlock it, accept the USB debugging prompt if "
                 "it asks, and scan again.")


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
    # Probes the scan could not read to the end (the phone stopped answering): a partial scan.
    incomplete: list[str] = field(default_factory=list)
    # Who the report is for and by (--client, --technician, --note): the hand-over header.
    handover: dict[str, str] = field(default_factory=dict)
    started_at: str = ""  # when reading the phone began ('' when not known)

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
            "posture": posture(self.findings, self.incomplete),
            "complete": not self.incomplete,
            "by_status": {s: by_status.get(s, 0) for s in STATUS_ORDER},
            "failed_by_severity": {s: failed_by_severity.get(s, 0) for s in SEVERITIES},
            "areas": areas,
        }


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else 0


def headline(finding: Finding) -> str:
    """The finding's title as a reader needs it: the problem when it fails, the goal
    otherwise (the engine's headline; the title for findings read from older reports)."""
    return finding.headline or finding.title


def named_item(finding: Finding) -> str:
    """The finding's item when its headline does not already name it ('' otherwise)."""
    return finding.item if finding.item and finding.item not in headline(finding) else ""


def found(finding: Finding) -> str:
    """What the scan found, in plain words when the engine gives them, else its detail."""
    return finding.found or finding.detail


def posture(findings: list[Finding], incomplete: list[str] | None = None) -> str:
    """The report's first sentence. It never says 'safe' when anything went unread, and a
    scan cut short says so before anything else."""
    failed = [f for f in findings if f.status == "fail"]
    serious = [f for f in failed if severity_rank(f.severity) >= severity_rank("high")]
    unread = [f for f in findings if f.status in ("unknown", "notchecked", "error")]
    waived = [f for f in findings if f.status == "waived"]
    if incomplete:
        found_so_far = (f" {len(failed)} problem{'s' * (len(failed) != 1)} found in what was "
                        "read." if failed else " Nothing below is a clean bill of health.")
        return (f"Scan incomplete: the phone stopped answering ({len(incomplete)} "
                f"reading{'s' * (len(incomplete) != 1)} cut short).{found_so_far}")
    if not any(f.status == "pass" for f in findings) and not failed:
        # Zero rules, or none that passed: nothing supports "Hardened".
        return (f"Nothing was verified: no check passed ({len(findings)} result"
                f"{'s' * (len(findings) != 1)}). This is not a clean bill of health.")
    # A serious check only a person can make (MMS auto-download on an old patch) counts too.
    by_hand = [f for f in findings if f.status == "notchecked"
               and severity_rank(f.severity) >= severity_rank("high")]
    also = (f" Also {len(by_hand)} serious check{'s' * (len(by_hand) != 1)} to do by hand."
            if by_hand else "")
    if serious:
        return (f"At risk: {len(serious)} serious problem{'s' * (len(serious) != 1)} "
                f"to fix ({len(failed)} in all).{also}")
    if failed:
        return (f"Needs attention: {len(failed)} problem{'s' * (len(failed) != 1)} "
                f"to fix.{also}")
    if by_hand:
        return (f"Check by hand: {len(by_hand)} serious setting{'s' * (len(by_hand) != 1)} "
                f"cannot be read over USB ({len(unread)} item{'s' * (len(unread) != 1)} "
                "not checked in all); no problem found in what could be read.")
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
