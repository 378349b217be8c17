"""`droidaudit scan --capture fixtures/demo-pixel7-a14` end to end with --attest,
--attested-by, --iocs and --waivers (an expired waiver is said in the report)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from droidaudit.cli import main

DEMO = Path(__file__).parents[1] / "fixtures" / "demo-pixel7-a14"


def scan(tmp_path: Path, *args: str) -> tuple[int, dict[str, Any], str]:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["scan", "--capture", str(DEMO), "--out", str(out),
                                       "--format", "json,html", "-q", *args])
    reports = sorted(out.glob("*/report.json"))
    data = json.loads(reports[-1].read_text()) if reports else {}
    html = (reports[-1].parent / "report.html").read_text() if reports else ""
    return result.exit_code, data, html + result.output


def finding(report: dict[str, Any], rule: str) -> dict[str, Any]:
    return next(f for f in report["findings"] if f["rule"] == rule)


def test_without_root_mms_is_checked_by_hand_with_google_messages_steps(tmp_path: Path) -> None:
    _, report, _ = scan(tmp_path)
    mms = finding(report, "MMS-001")
    assert mms["status"] == "notchecked"
    assert report["facts"]["mms.auto_retrieve_source"] == "unreadable"


def test_attested_mms_setting_is_a_fact_with_who_and_when(tmp_path: Path) -> None:
    _, report, html = scan(tmp_path, "--attest", "mms.auto_retrieve=off",
                              "--attest", "mms.auto_retrieve_roaming=off",
                              "--attested-by", "A. Tech")
    assert report["facts"]["mms.auto_retrieve"] is False
    assert report["facts"]["mms.auto_retrieve_source"] == "attested"
    source = report["fact_sources"]["mms.auto_retrieve"]
    assert source["probe"].startswith("attested by A. Tech at ")
    # One card reads both switches (MMS-002, the roaming one, is merged into MMS-001).
    assert finding(report, "MMS-001")["status"] == "pass"
    assert not any(f["rule"] == "MMS-002" for f in report["findings"])
    assert any("attested by A. Tech" in line for line in finding(report, "MMS-001")["evidence"])
    assert "attested by A. Tech" in html


def test_attested_on_fails(tmp_path: Path) -> None:
    _, report, _ = scan(tmp_path, "--attest", "mms.auto_retrieve=on", "--attested-by", "B")
    assert finding(report, "MMS-001")["status"] == "fail"


def test_bad_attestations_are_usage_errors(tmp_path: Path) -> None:
    for args in (["--attest", "mms.auto_retrieve=maybe", "--attested-by", "x"],
                 ["--attest", "no.such.fact=1", "--attested-by", "x"],
                 ["--attest", "apps=[]", "--attested-by", "x"],
                 ["--attest", "mms.auto_retrieve=off"]):
        code, _, output = scan(tmp_path, *args)
        assert code == 2, output


def test_attestation_never_overrides_what_the_phone_said(tmp_path: Path) -> None:
    _, report, _ = scan(tmp_path, "--attest", "adb.enabled=off", "--attested-by", "x")
    assert report["facts"]["adb.enabled"] is True
    assert "set aside" in report["fact_sources"]["adb.enabled"]["note"]


def _bundle(tmp_path: Path, *packages: str) -> Path:
    objects: list[dict[str, Any]] = [
        {"type": "malware", "id": "malware--1", "name": "FlashSpy", "is_family": True}]
    for number, package in enumerate(packages):
        objects.append({"type": "indicator", "id": f"indicator--{number}",
                        "pattern_type": "stix", "pattern": f"[app:id = '{package}']",
                        "valid_from": "2024-01-01T00:00:00Z"})
        objects.append({"type": "relationship", "id": f"relationship--{number}",
                        "relationship_type": "indicates", "source_ref": f"indicator--{number}",
                        "target_ref": "malware--1"})
    path = tmp_path / "iocs.stix2"
    path.write_text(json.dumps({"type": "bundle", "id": "bundle--1", "objects": objects}))
    return path


def test_iocs_match_an_installed_app(tmp_path: Path) -> None:
    iocs = _bundle(tmp_path, "com.example.flashlight", "com.not.installed")
    code, report, _ = scan(tmp_path, "--iocs", str(iocs))
    result = finding(report, "PERM-022")
    assert result["status"] == "fail" and result["severity"] == "critical"
    assert report["facts"]["iocs.matched_apps"] == ["com.example.flashlight"]
    assert any("FlashSpy" in line for line in result["evidence"])
    assert code == 1


def test_iocs_without_match_pass_and_without_file_do_not_apply(tmp_path: Path) -> None:
    _, report, _ = scan(tmp_path, "--iocs", str(_bundle(tmp_path, "com.not.installed")))
    assert finding(report, "PERM-022")["status"] == "pass"
    _, report, _ = scan(tmp_path / "b")
    assert finding(report, "PERM-022")["status"] == "notapplicable"


def test_bad_ioc_file_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    code, _, output = scan(tmp_path, "--iocs", str(bad))
    assert code == 2 and "not JSON" in output


def test_waivers_end_to_end_live_and_expired(tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.toml"
    waivers.write_text('[[waiver]]\nrule = "PERM-016"\nitem = "com.example.flashlight"\n'
                       'reason = "installed by the owner on purpose"\nexpires = 2099-01-01\n'
                       '[[waiver]]\nrule = "LOCK-003"\nreason = "old decision"\n'
                       'expires = 2020-01-01\n')
    _, report, html = scan(tmp_path, "--waivers", str(waivers))
    sideloaded = [f for f in report["findings"] if f["rule"] == "PERM-016"
                  and f["item"] == "com.example.flashlight"]
    assert sideloaded and sideloaded[0]["status"] == "waived"
    lock = finding(report, "LOCK-003")
    assert lock["status"] == "fail"
    assert "expired on 2020-01-01 and was ignored" in lock["detail"]
    assert "expired on 2020-01-01" in html
