"""'Do these first' on the demo phone: at most five actions, the most serious first; removing
one app closes every finding it causes; updates close every patch finding; unread checks
are never turned into an action."""

from __future__ import annotations

from pathlib import Path

from droidaudit.capture import Capture
from droidaudit.pipeline.options import ScanOptions, load_ruleset
from droidaudit.pipeline.scan import evaluate_capture
from droidaudit.report.actions import MAX_ACTIONS, first_actions
from droidaudit.report.apps_view import app_rows
from droidaudit.report.model import ScanReport

DEMO = Path(__file__).parents[2] / "fixtures" / "demo-pixel7-a14"


def demo_report() -> ScanReport:
    options = ScanOptions()
    return evaluate_capture(Capture.load(DEMO), options, load_ruleset(options))


def test_removing_the_flashlight_closes_everything_it_causes() -> None:
    report = demo_report()
    rows = app_rows(report.facts.value("apps"), report.findings)
    actions = first_actions(report.findings, rows, "google")
    assert len(actions) <= MAX_ACTIONS
    remove = next(a for a in actions if a.sentence.startswith("Remove com.example.flashlight"))
    caused = {f.rule for f in report.failures() if f.item == "com.example.flashlight"}
    assert {f.rule for f in remove.closes} == caused and len(caused) >= 2
    assert "read your SMS" in remove.sentence and "record audio" in remove.sentence
    assert remove.steps.startswith("Settings → Apps → See all apps → com.example.flashlight")


def test_actions_are_ordered_by_impact_and_skip_unread_checks() -> None:
    report = demo_report()
    actions = first_actions(report.findings, app_rows(report.facts.value("apps"),
                                                      report.findings), "google")
    impacts = [a.impact for a in actions]
    assert impacts == sorted(impacts, reverse=True)
    closed = [f for a in actions for f in a.closes]
    assert all(f.status in ("fail", "notchecked") for f in closed)
    updates = next(a for a in actions if a.sentence.startswith("Install every update"))
    assert {f.area for f in updates.closes} == {"patch"}


def test_device_admin_is_deactivated_before_uninstalling() -> None:
    report = demo_report()
    rows = app_rows(report.facts.value("apps"), report.findings)
    cleaner = next(a for a in first_actions(report.findings, rows, "samsung")
                   if "com.example.cleaner" in a.sentence)
    assert cleaner.steps.index("Deactivate") < cleaner.steps.index("Uninstall")
    assert "Other security settings" in cleaner.steps  # Samsung's own path
