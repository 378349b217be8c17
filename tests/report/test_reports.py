"""Reporters: the JSON contract validates against its schema, the HTML is inert for
hostile device strings and self-contained, and the posture never says 'fine' when
something went unread."""

import json
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest

from droidaudit.capture import Capture, ProbeOutput
from droidaudit.facts import Fact
from droidaudit.facts.derive import extract_facts
from droidaudit.report.html import render_html
from droidaudit.report.json_report import render_json
from droidaudit.report.load import load_report
from droidaudit.report.model import ScanReport, posture
from droidaudit.rules.model import Finding

SCHEMA = json.loads((Path(__file__).parents[2] / "src" / "droidaudit" / "report" /
                     "report.schema.json").read_text())
EVIL = "<script>alert(1)</script>"


def finding(status: str, severity: str = "high", **extra: object) -> Finding:
    fields: dict[str, object] = dict(
        rule="PATCH-001", title="Security patch is at most 90 days old", area="patch",
        severity=severity, status=status, detail="os.security_patch_age_days is 172",
        evidence=("[ro.build.version.security_patch]: [2024-02-05]",),
        facts=("os.security_patch_age_days",), item=None, rationale="Old patches.",
        remediation="Update the phone.", remediation_oem={"google": "Settings › System"},
        references=("CIS Google Android Benchmark v1.5.0",), manual="")
    fields.update(extra)
    return Finding(**fields)  # type: ignore[arg-type]


def hostile_report(findings: list[Finding]) -> ScanReport:
    capture = Capture(started="2026-11-24T10:00:00Z")
    capture.add(ProbeOutput("getprop", "getprop", (
        f"[ro.product.model]: [{EVIL}]\n[ro.product.manufacturer]: [Google]\n"
        "[ro.build.version.sdk]: [34]\n[ro.build.version.release]: [14]\n").encode(), 0))
    facts = extract_facts(capture, datetime(2026, 11, 24, tzinfo=UTC))
    return ScanReport(device={"serial": EVIL, "model": EVIL, "manufacturer": "Google",
                              "release": "14", "sdk": 34, "transport": "test"},
                      scanned_at="2026-11-24T10:00:00Z", origin="live", profile="personal",
                      facts=facts, findings=findings, rules_version="test",
                      tool_version="0.0", warnings=[EVIL])


def test_json_report_validates_against_its_schema() -> None:
    report = hostile_report([finding("fail"), finding("unknown", item=EVIL)])
    data = json.loads(render_json(report))
    jsonschema.validate(data, SCHEMA)
    assert data["format"] == "droidaudit-report/1"
    assert data["facts"]["device.model"] == EVIL
    assert not any(name.startswith("_") for name in data["facts"])


def test_json_carries_headline_and_found_and_reloads_them(tmp_path: Path) -> None:
    failed = finding("fail", headline="The security patch is 172 days old (more than 90 days)",
                     found="Security patch age is 172 days; it should be at most 90 days.")
    data = json.loads(render_json(hostile_report([failed, finding("pass")])))
    jsonschema.validate(data, SCHEMA)
    first, second = data["findings"]
    assert first["title"] == "Security patch is at most 90 days old"  # unchanged contract
    assert first["headline"].startswith("The security patch is 172 days old")
    assert first["found"].endswith("at most 90 days.")
    assert second["headline"] == second["title"]  # older findings: the title
    path = tmp_path / "report.json"
    path.write_text(json.dumps(data))
    assert load_report(path).findings[0] == failed


def test_html_renders_hostile_device_strings_inert() -> None:
    report = hostile_report([finding("fail", item=EVIL, evidence=(EVIL,), detail=EVIL)])
    html = render_html(report).decode()
    assert EVIL not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("<script") == 0  # one app row: no sort/filter script either


def test_the_only_script_is_the_apps_table_one_allowed_by_hash() -> None:
    import base64
    import hashlib
    import re

    apps = [{"package": f"com.example.app{n}", "system": False, "granted": [], "special": [],
             "sensitive_groups": ["sms"]} for n in range(2)]
    report = hostile_report([finding("fail", item="com.example.app0", area="permissions")])
    report.facts.add(Fact("apps", apps, "test"))
    html = render_html(report).decode()
    (script,) = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert re.search(r"script-src ([^;\"]*)", html).group(1) == f"'sha256-{digest}'"  # type: ignore[union-attr]
    assert "innerHTML" not in script and "eval(" not in script


def test_html_is_self_contained() -> None:
    html = render_html(hostile_report([finding("fail")])).decode()
    assert "http://" not in html.replace("http-equiv", "")
    assert "<link" not in html and "src=" not in html


def test_html_shows_maker_specific_steps_and_turn_off_debugging() -> None:
    html = render_html(hostile_report([finding("fail")])).decode()
    assert "On this phone: Settings › System" in html
    assert "Turn USB debugging off" in html


@pytest.mark.parametrize(("statuses", "start"), [
    (["fail"], "At risk"),
    (["pass", "unknown"], "No problems found in what could be read"),
    (["pass", "notchecked"], "Check by hand: 1 serious setting"),
    (["pass", "notapplicable"], "Hardened"),
])
def test_posture_never_says_fine_when_something_was_unread(statuses: list[str],
                                                            start: str) -> None:
    assert posture([finding(s) for s in statuses]).startswith(start)


def test_a_serious_check_by_hand_counts_in_the_verdict() -> None:
    text = posture([finding("fail"), finding("notchecked", severity="critical", rule="MMS-001")])
    assert text.startswith("At risk: 1 serious problem") and "1 serious check to do by hand" in text
    low = posture([finding("pass"), finding("notchecked", severity="low")])
    assert low.startswith("No problems found in what could be read")


def test_low_severity_failure_is_needs_attention() -> None:
    assert posture([finding("fail", severity="low")]).startswith("Needs attention")


def test_redact_masks_serial_accounts_and_imei() -> None:
    from droidaudit.report.redact import MASK, redact_report

    report = hostile_report([finding("fail", detail="account alice@example.com on 356938035643809",
                                     evidence=(f"serial {EVIL}",))])
    clean = redact_report(report)
    text = render_json(clean).decode()
    assert "alice@example.com" not in text and "356938035643809" not in text
    assert clean.device["serial"] == MASK
    assert clean.facts.value("device.manufacturer") == "Google"  # not an identifier: kept


def test_one_name_per_state_in_sections_legend_console_and_fleet(tmp_path: Path) -> None:
    import io

    from rich.console import Console

    from droidaudit.report.console import print_summary
    from droidaudit.report.fleet_index import FleetEntry, render_fleet_html
    from droidaudit.report.model import STATE_NAMES

    report = hostile_report([finding(s, rule=f"PATCH-00{n}") for n, s in enumerate(
        ["fail", "notchecked", "unknown", "pass", "informational", "notapplicable"])])
    html = render_html(report).decode()
    for status in ("fail", "notchecked", "unknown", "pass", "informational", "notapplicable"):
        assert f">{STATE_NAMES[status].capitalize()} (1)</h2>" in html
    buffer = io.StringIO()
    print_summary(Console(file=buffer, width=100), report, "r.html")
    assert "1 to fix · 1 to check by hand · 1 could not be read · 1 passed" in \
        buffer.getvalue().replace("\u00a0", " ")
    fleet = render_fleet_html([FleetEntry("h:5037", "p", "device", "at risk", report)],
                              tmp_path, "now").decode()
    assert "to check by hand" in fleet and "could not be read" in fleet


def test_fleet_word_is_never_hardened_without_a_pass_nor_for_a_partial_scan() -> None:
    from droidaudit.report.verdict import HARDENED, INCOMPLETE, verdict_of

    assert verdict_of(hostile_report([finding("notapplicable")])) != HARDENED
    assert verdict_of(hostile_report([])) != HARDENED
    partial = hostile_report([finding("pass")])
    partial.incomplete = ["getprop: cut"]
    assert verdict_of(partial) == INCOMPLETE
    assert verdict_of(hostile_report([finding("pass")])) == HARDENED
