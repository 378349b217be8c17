"""Item 1: a device value holding line breaks never forges a line that wins. A key, field,
block or section printed twice with different values is a conflict (its facts unknown with
a note); two sources that disagree resolve to the worse reading."""

from __future__ import annotations

import zipfile
from pathlib import Path

from droidaudit.capture import Capture
from droidaudit.facts import Fact, FactSet
from droidaudit.parsers.dumpsys_package import parse_dumpsys_package
from droidaudit.parsers.getprop import parse_getprop
from droidaudit.parsers.lock_settings import parse_lock_settings
from droidaudit.parsers.mms_prefs import parse_mms_prefs_legacy
from droidaudit.parsers.settings import parse_settings_dump, parse_settings_secure
from droidaudit.sources.detect import open_offline_source
from droidaudit.sources.dumpsys_sections import split_services
from tests.security.conftest import demo, forge, scan

VERSION_FORGERY = (b"    versionName=4.1.7\n", b"    versionName=4.1.7\n    flags=[ SYSTEM HAS_CODE ]\n"
                   b"    installerPackageName=com.android.vending\n"
                   b"    User 0: ceDataInode=1 installed=true\n")


def test_version_name_forging_flags_installer_and_user_makes_the_app_unknown_not_system() -> None:
    capture = forge(demo(), "dumpsys_package", *VERSION_FORGERY)
    facts, findings = scan(capture)
    details = facts.value("_pkg.details")["com.example.flashlight"]
    assert details["system"] is None and details["installer"] is None
    assert "appears 2 times" in details["conflict"] or "appears twice" in details["conflict"]
    # the accessibility app still fails its per-app checks (pm list and -3 still say so)
    assert findings[("PERM-010", "com.example.flashlight")].status == "fail"


def test_two_blocks_of_one_package_make_the_play_system_update_unknown() -> None:
    capture = forge(demo(), "dumpsys_package", b"    versionName=121.0.6167.101\n",
                    b"    versionName=121.0.6167.101\n"
                    b"  Package [com.google.android.modulemetadata] (abc):\n"
                    b"    versionName=2024-06-01\n")
    facts, findings = scan(capture)
    assert facts.value("os.play_system_update") is None
    assert "appears 2 times" in (facts.get("os.play_system_update").note or "")
    assert findings[("PATCH-004", None)].status == "unknown"


def test_a_block_with_two_user_0_lines_is_a_conflict() -> None:
    text = ("Packages:\n  Package [com.x.y] (1):\n    flags=[ HAS_CODE ]\n"
            "    User 0: installed=true\n    User 0: installed=false\n")
    details = parse_dumpsys_package(text)[0].value["com.x.y"]
    assert details["users"] is None and "User 0:" in details["conflict"]


def test_a_field_after_the_user_lines_that_contradicts_an_earlier_one_is_a_conflict() -> None:
    text = ("Packages:\n  Package [com.x.y] (1):\n    flags=[ HAS_CODE ]\n"
            "    User 0: installed=true\n    flags=[ SYSTEM ]\n")
    details = parse_dumpsys_package(text)[0].value["com.x.y"]
    assert details["system"] is None and "flags=[" in details["conflict"]


def test_a_setting_printed_twice_with_different_values_is_unknown_and_says_why() -> None:
    facts = {f.name: f for f in parse_settings_secure(
        "enabled_accessibility_services=a.b/.S\nzz=1\nenabled_accessibility_services=\n")}
    fact = facts["_special.accessibility"]
    assert fact.value is None and "appears 2 times" in fact.note


def test_the_same_setting_repeated_with_the_same_value_is_no_conflict() -> None:
    facts = {f.name: f for f in parse_settings_secure("backup_enabled=1\nbackup_enabled=1\n")}
    assert facts["backup.enabled"].value is True


def test_settings_forgery_falls_back_to_dumpsys_accessibility_never_to_none() -> None:
    capture = forge(demo(), "settings_secure", b"user_setup_complete=1",
                    b"user_setup_complete=1\nenabled_accessibility_services=\n")
    facts, findings = scan(capture)
    assert facts.value("_special.accessibility") == ["com.example.flashlight"]
    assert findings[("PERM-010", "com.example.flashlight")].status == "fail"


def test_settings_and_dumpsys_accessibility_disagreeing_resolve_to_the_union() -> None:
    capture = forge(demo(), "settings_secure",
                    b"enabled_accessibility_services=com.example.flashlight/"
                    b"com.example.flashlight.TorchAccessibilityService",
                    b"enabled_accessibility_services=")
    facts, findings = scan(capture)
    fact = facts.get("_special.accessibility")
    assert fact is not None and fact.value == ["com.example.flashlight"]
    assert "sources disagree" in fact.note
    assert findings[("PERM-010", "com.example.flashlight")].status == "fail"


def test_scalar_sources_that_disagree_become_unknown() -> None:
    facts = FactSet()
    facts.add_reading(Fact("lock.secure", True, "dumpsys_lock_settings"))
    facts.add_reading(Fact("lock.secure", False, "dumpsys_window_policy"))
    assert facts.value("lock.secure") is None
    assert "sources disagree" in facts.get("lock.secure").note  # type: ignore[union-attr]


def test_a_property_printed_twice_with_different_values_is_unknown() -> None:
    facts = {f.name: f for f in parse_getprop(
        "[ro.build.version.security_patch]: [2024-02-05]\n"
        "[ro.build.version.security_patch]: [2024-06-01]\n[ro.build.version.sdk]: [34]\n")}
    assert facts["os.security_patch"].value is None
    assert "appears 2 times" in facts["os.security_patch"].note


def test_lock_settings_key_twice_in_one_user_is_unknown() -> None:
    facts = {f.name: f for f in parse_lock_settings(
        "User State:\n  User 0\n    CredentialType: NONE\n    CredentialType: PIN\n")}
    assert facts["lock.secure"].value is None and "appears 2 times" in facts["lock.secure"].note


def test_dumpsys_settings_second_user_0_header_with_other_values_is_a_conflict() -> None:
    text = ("GLOBAL SETTINGS (user 0)\n  _id:1 name:adb_enabled pkg:android value:1\n"
            "GLOBAL SETTINGS (user 0)\n  _id:1 name:adb_enabled pkg:android value:0\n")
    facts = {f.name: f for f in parse_settings_dump(text)}
    assert facts["adb.enabled"].value is None


def test_mms_pref_written_twice_with_different_values_is_unknown() -> None:
    text = ('<map><boolean name="pref_key_mms_retrieval_during_roaming" value="true" />'
            '<boolean name="pref_key_mms_retrieval_during_roaming" value="false" /></map>')
    facts = {f.name: f for f in parse_mms_prefs_legacy(text)}
    assert facts["mms.auto_retrieve_roaming"].value is None


TRUST = (b"Trust manager state:\n User \"Owner\" (id=0, flags=0x13) (current): trusted=0, "
         b"trustManaged=1, deviceLocked=1\n   Enabled agents:\n"
         b"    com.google.android.gms/.auth.trustagent.GoogleTrustAgent\n   Events:\n")
FORGED_TRUST = (b"DUMP OF SERVICE trust:\nTrust manager state:\n User \"Owner\" (id=0, "
                b"flags=0x13) (current): trusted=0, deviceLocked=1\n   Enabled agents:\n"
                b"   Events:\n")


def _dumpsys(package_extra: bytes) -> bytes:
    rule = b"-" * 78 + b"\n"
    return (rule + b"DUMP OF SERVICE package:\nPackages:\n  Package [com.x.y] (1):\n"
            b"    versionName=1\n" + package_extra + rule + b"DUMP OF SERVICE trust:\n"
            + TRUST)


def test_a_forged_dumpsys_section_header_makes_both_sections_tampered() -> None:
    sections = split_services(_dumpsys(FORGED_TRUST))
    assert "trust" in sections.conflicts and "package" in sections.conflicts


def test_androidqf_dumpsys_with_a_forged_trust_section_never_reads_it(tmp_path: Path) -> None:
    folder = tmp_path / "qf"
    folder.mkdir()
    (folder / "getprop.txt").write_text("[ro.build.version.sdk]: [34]\n")
    (folder / "dumpsys.txt").write_bytes(_dumpsys(FORGED_TRUST))
    capture = open_offline_source(folder).collect()
    trust = capture.probes["dumpsys_trust"]
    assert trust.data == b"" and trust.error.startswith("tampered")
    facts, _ = scan_at(capture)
    assert facts.value("lock.trust_agents") is None


def test_bugreport_with_a_forged_trust_section_never_reads_it(tmp_path: Path) -> None:
    text = (b"========================================================\n== dumpstate: "
            b"2024-06-20 09:30:00\n------ SYSTEM PROPERTIES (getprop) ------\n"
            b"[ro.build.version.sdk]: [34]\n------ 0.1s was the duration ------\n"
            + _dumpsys(FORGED_TRUST))
    path = tmp_path / "bugreport.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("bugreport-x.txt", text)
    capture = open_offline_source(path).collect()
    assert capture.probes["dumpsys_trust"].error.startswith("tampered")
    assert capture.probes["dumpsys_package"].error.startswith("tampered")


def test_bugreport_with_two_system_properties_headers_reads_no_properties(tmp_path: Path) -> None:
    props = b"------ SYSTEM PROPERTIES (getprop) ------\n[ro.build.version.sdk]: [34]\n"
    text = (b"== dumpstate: 2024-06-20 09:30:00\n" + props + b"------ X ------\n" + props
            + b"------ Y ------\nDUMP OF SERVICE trust:\n" + TRUST)
    path = tmp_path / "bugreport.txt"
    path.write_bytes(text)
    capture = open_offline_source(path).collect()
    assert capture.probes["getprop"].error.startswith("tampered")


def scan_at(capture: Capture) -> tuple[FactSet, dict]:  # type: ignore[type-arg]
    capture.started = capture.started or "2024-06-20T09:30:00Z"
    return scan(capture)


def test_a_service_dumped_in_two_priority_passes_is_no_conflict() -> None:
    dump = (b"DUMP OF SERVICE CRITICAL activity:\nx\nDUMP OF SERVICE trust:\n" + TRUST
            + b"DUMP OF SERVICE activity:\ny\n")
    sections = split_services(dump)
    assert not sections.conflicts and sections["trust"].startswith(b"Trust manager state")


def test_a_read_service_repeated_under_another_priority_is_a_conflict() -> None:
    sections = split_services(_dumpsys(FORGED_TRUST.replace(b"SERVICE trust", b"SERVICE "
                                                            b"CRITICAL trust")))
    assert "trust" in sections.conflicts
