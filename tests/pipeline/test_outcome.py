"""Exit-code policy: 3 for an unfinished read, else 1 for a failure at --fail-on, else 0."""

from __future__ import annotations

from pathlib import Path

from droidaudit.facts import FactSet
from droidaudit.pipeline.outcome import exit_code, incomplete_messages
from droidaudit.pipeline.scan import ScanOutcome
from droidaudit.report.model import ScanReport
from droidaudit.rules.model import Finding


def outcome(status: str = "pass", severity: str = "high",
            incomplete: list[str] | None = None) -> ScanOutcome:
    finding = Finding(rule="T-1", title="t", area="debug", severity=severity, status=status)
    report = ScanReport(device={}, scanned_at="2026-01-01T00:00:00Z", origin="capture",
                        profile="personal", facts=FactSet(), findings=[finding],
                        rules_version="x", tool_version="y")
    return ScanOutcome(report, Path("out"), {}, incomplete or [])


def test_incomplete_read_wins_over_findings() -> None:
    outcomes = [outcome("fail", "critical"), outcome(incomplete=["getprop"])]
    assert exit_code(outcomes, "high") == 3
    assert len(incomplete_messages(outcomes)) == 1


def test_failure_at_threshold_is_one_and_below_is_zero() -> None:
    assert exit_code([outcome("fail", "high")], "high") == 1
    assert exit_code([outcome("fail", "medium")], "high") == 0
    assert exit_code([outcome("fail", "critical")], "none") == 0


def test_fleet_exit_code_is_the_worst_phone_and_unscanned_ranks_above_findings() -> None:
    from droidaudit.pipeline.fleet import PhoneResult
    from droidaudit.pipeline.outcome import fleet_exit_code

    def phone(result: ScanOutcome | None, error: str = "") -> PhoneResult:
        return PhoneResult("h:5037", "S", "device" if result else "unauthorized",
                           outcome=result, error=error)

    found, clean = phone(outcome("fail", "critical")), phone(outcome())
    assert fleet_exit_code([found, clean], "high") == 1
    assert fleet_exit_code([clean], "high") == 0
    assert fleet_exit_code([found, phone(None, "not scanned")], "high") == 3
    assert fleet_exit_code([clean, phone(outcome(incomplete=["getprop"]), "cut")], "high") == 3
    assert fleet_exit_code([], "high") == 0
