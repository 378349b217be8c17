"""Item 2: an inventory not known to be complete never lets "no app does X" pass.
Item 3: a patch date after the scan date is an error (unknown + said), never a pass; a
bugreport's clock (the phone's) is checked against the import time."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path

from droidaudit.capture import ProbeOutput
from droidaudit.pipeline.options import ScanOptions, load_ruleset
from droidaudit.pipeline.scan import evaluate_capture
from droidaudit.sources.detect import open_offline_source
from tests.security.conftest import demo, forge, scan

PER_APP = ("PERM-001", "PERM-010", "PERM-011", "PERM-012", "INTEG-006")


def test_only_the_third_party_list_makes_no_app_does_x_checks_unknown() -> None:
    capture = demo()
    capture.probes["packages"].error = "command failed"
    capture.probes["dumpsys_package"].error = "output cut off: end marker never arrived"
    # a third-party list without the accessibility app: nothing in it offends
    capture.probes["packages_third_party"].data = b"package:com.whatsapp\n"
    facts, findings = scan(capture)
    assert facts.get("apps").partial  # type: ignore[union-attr]
    for rule in PER_APP:
        statuses = {f.status for (r, _), f in findings.items() if r == rule}
        assert "pass" not in statuses, (rule, statuses)
        assert statuses & {"unknown", "notchecked", "fail", "notapplicable"}


def test_a_full_list_still_passes_when_no_app_offends() -> None:
    facts, findings = scan(demo())
    assert not facts.get("apps").partial  # type: ignore[union-attr]
    assert any(f.status == "pass" for (r, _), f in findings.items() if r.startswith("PERM"))


def test_a_patch_date_in_the_future_is_unknown_and_said_never_a_pass() -> None:
    capture = forge(demo(), "getprop", b"[ro.build.version.security_patch]: [2024-02-05]",
                    b"[ro.build.version.security_patch]: [2099-01-01]")
    capture = forge(capture, "getprop", b"[ro.vendor.build.security_patch]: [2024-02-05]",
                    b"[ro.vendor.build.security_patch]: [2099-01-01]")
    facts, findings = scan(capture)
    assert facts.value("os.security_patch") is None
    assert facts.value("os.security_patch_age_days") is None
    assert "implausible" in facts.get("os.security_patch_age_days").note  # type: ignore[union-attr]
    for rule in ("PATCH-001", "PATCH-003"):  # PATCH-002 is a severity band of PATCH-001
        finding = findings[(rule, None)]
        assert finding.status != "pass", (rule, finding.status)
    report = evaluate_capture(capture, ScanOptions(), load_ruleset(ScanOptions()))
    assert any("implausible" in w for w in report.warnings)


def test_a_bugreport_with_its_clock_set_back_is_judged_at_the_import_time(tmp_path: Path) -> None:
    text = (b"== dumpstate: 2020-01-10 09:30:00\n------ SYSTEM PROPERTIES (getprop) ------\n"
            b"[ro.build.version.sdk]: [34]\n[ro.build.version.security_patch]: [2020-01-01]\n"
            b"------ 0.1s ------\n")
    path = tmp_path / "br.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("bugreport-x.txt", text)
    capture = open_offline_source(path).collect()
    assert capture.started == "2020-01-10T09:30:00Z" and capture.imported
    capture.add(ProbeOutput("which_su", "which su", b"", 1))
    report = evaluate_capture(capture, ScanOptions(), load_ruleset(ScanOptions()))
    age = report.facts.value("os.security_patch_age_days")
    assert age > (datetime.now(UTC).date() - datetime(2020, 1, 2).date()).days - 2
    assert any("phone's clock said 2020-01-10" in w for w in report.warnings)
    assert {f.status for f in report.findings if f.rule == "PATCH-001"} == {"fail"}
