"""SARIF and JUnit: the machine formats labs gate on. A failed check is a failure, an
unread check is never a pass, and hostile device strings stay data."""

import json
import xml.etree.ElementTree as ET

from droidaudit.report.junit import render_junit
from droidaudit.report.sarif import render_sarif
from tests.report.test_reports import EVIL, finding, hostile_report


def test_sarif_results_by_status() -> None:
    report = hostile_report([finding("fail"), finding("unknown", rule="LOCK-001"),
                             finding("pass", rule="INTEG-001", severity="medium")])
    log = json.loads(render_sarif(report))
    assert log["version"] == "2.1.0"
    results = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    assert results["PATCH-001"]["kind"] == "fail" and results["PATCH-001"]["level"] == "error"
    assert results["LOCK-001"]["kind"] == "review" and results["LOCK-001"]["level"] == "none"
    assert results["INTEG-001"]["kind"] == "pass"
    assert {r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]} == set(results)


def test_junit_failures_and_skips_per_area() -> None:
    report = hostile_report([finding("fail", item=EVIL), finding("notchecked", rule="MMS-001",
                                                                  area="mms")])
    root = ET.fromstring(render_junit(report))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert suites["patch"].get("failures") == "1"
    assert suites["mms"].get("skipped") == "1"
    case = next(suites["patch"].iter("testcase"))
    assert EVIL in (case.get("name") or "")  # kept as text; the XML stays well-formed
    assert case.find("failure") is not None
