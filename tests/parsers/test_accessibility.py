"""dumpsys accessibility → enabled services per user and `_special.accessibility`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from droidaudit.capture import Capture, ProbeOutput
from droidaudit.decode import decode
from droidaudit.facts import Fact
from droidaudit.facts.derive import extract_facts
from droidaudit.parsers.accessibility import parse_accessibility

FIXTURES = Path(__file__).parent / "fixtures" / "dumpsys_accessibility"


def _facts(name: str) -> dict[str, Fact]:
    return {f.name: f for f in parse_accessibility(decode((FIXTURES / name).read_bytes()))}


def test_android14_two_users_each_with_their_list() -> None:
    facts = _facts("android14-workprofile_AccessibilityUserState.txt")
    assert facts["accessibility.users"].value == [
        {"user": 0, "services": [
            "com.google.android.marvin.talkback/com.google.android.marvin.talkback.TalkBackService",
            "com.example.remotehelp/com.example.remotehelp.ScreenReaderService"]},
        {"user": 10, "services": []}]
    assert facts["_special.accessibility"].value == ["com.google.android.marvin.talkback",
                                                     "com.example.remotehelp"]


def test_a_cut_enabled_line_is_unknown_never_a_shorter_list() -> None:
    facts = _facts("android14-cut_AccessibilityUserState.txt")
    assert facts["_special.accessibility"].value is None
    assert facts["accessibility.users"].value == [{"user": 0, "services": None}]


def test_android10_one_line_format() -> None:
    facts = _facts("android10_AccessibilityManagerService.txt")
    assert facts["_special.accessibility"].value == ["com.google.android.accessibility.switchaccess"]


def test_samsung_multi_line_block() -> None:
    facts = _facts("samsung-a10_AccessibilityManagerService.txt")
    assert facts["_special.accessibility"].value == ["com.example.parentalcontrol"]
    assert "installed" not in " ".join(facts["_special.accessibility"].evidence)


def test_android7_prints_no_enabled_list() -> None:
    facts = _facts("android7_AccessibilityManagerService.txt")
    assert facts["_special.accessibility"].value is None
    assert "Enabled services" in facts["_special.accessibility"].note


def test_empty_or_error_output_is_unknown() -> None:
    for text in ("", "Can't find service: accessibility\n"):
        facts = {f.name: f for f in parse_accessibility(text)}
        assert facts["_special.accessibility"].value is None
        assert facts["accessibility.users"].value is None


def _capture(secure: bytes, dump: bytes | None) -> Capture:
    capture = Capture(started="2024-06-20T09:29:51Z")
    capture.add(ProbeOutput("settings_secure", "settings list secure", secure, 0))
    if dump is not None:
        capture.add(ProbeOutput("dumpsys_accessibility", "dumpsys accessibility", dump, 0))
    return capture


def test_setting_null_with_accessibility_on_takes_the_dump() -> None:
    """`enabled_accessibility_services=null` while `accessibility_enabled=1`: the dump is the
    source of truth (it is what the service actually runs)."""
    secure = b"accessibility_enabled=1\nenabled_accessibility_services=null\n"
    dump = (FIXTURES / "android10_AccessibilityManagerService.txt").read_bytes()
    facts = extract_facts(_capture(secure, dump), datetime(2024, 6, 20, tzinfo=UTC))
    fact = facts.get("_special.accessibility")
    assert fact is not None and fact.source == "dumpsys_accessibility"
    assert fact.value == ["com.google.android.accessibility.switchaccess"]


def test_setting_null_and_no_dump_stays_unknown() -> None:
    secure = b"accessibility_enabled=1\nenabled_accessibility_services=null\n"
    facts = extract_facts(_capture(secure, None), datetime(2024, 6, 20, tzinfo=UTC))
    assert facts.value("_special.accessibility") is None
