"""dumpsys window policy → lock.secure = False only (Android 8.1-10 fallback)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from droidaudit.capture import Capture, ProbeOutput
from droidaudit.decode import decode
from droidaudit.facts.derive import extract_facts
from droidaudit.parsers.window_policy import parse_window_policy

FIXTURES = Path(__file__).parent / "fixtures" / "dumpsys_window_policy"
LOCK_FIXTURES = Path(__file__).parent / "fixtures" / "dumpsys_lock_settings"


def _secure(name: str) -> tuple[bool | None, str]:
    (fact,) = parse_window_policy(decode((FIXTURES / name).read_bytes()))
    assert fact.name == "lock.secure"
    return fact.value, fact.note


def test_secure_false_for_user_0_reads_as_no_credential() -> None:
    assert _secure("android9-nolock_PhoneWindowManager.txt")[0] is False


def test_secure_true_is_never_read_as_a_credential() -> None:
    value, note = _secure("android10-secure_PhoneWindowManager.txt")
    assert value is None and "SIM" in note


def test_an_answer_for_another_user_is_not_user_0s() -> None:
    assert _secure("android9-otheruser_PhoneWindowManager.txt")[0] is None


def test_no_delegate_block_is_unknown() -> None:
    assert parse_window_policy("")[0].value is None
    assert parse_window_policy("WINDOW MANAGER POLICY STATE (dumpsys window policy)\n")[0].value is None


def _scan(lock_fixture: str, policy_fixture: str) -> tuple[object, str]:
    capture = Capture(started="2024-06-20T09:29:51Z")
    capture.add(ProbeOutput("dumpsys_lock_settings", "dumpsys lock_settings",
                            (LOCK_FIXTURES / lock_fixture).read_bytes(), 0))
    capture.add(ProbeOutput("dumpsys_window_policy", "dumpsys window policy",
                            (FIXTURES / policy_fixture).read_bytes(), 0))
    fact = extract_facts(capture, datetime(2024, 6, 20, tzinfo=UTC)).get("lock.secure")
    assert fact is not None
    return fact.value, fact.source


def test_used_only_when_lock_settings_cannot_say() -> None:
    # Android 9: lock_settings prints no credential → the keyguard's answer is used.
    assert _scan("android9_LockSettingsService.txt", "android9-nolock_PhoneWindowManager.txt") \
        == (False, "dumpsys_window_policy")
    # lock_settings says PIN, the keyguard says no credential: two sources that disagree
    # resolve to unknown, never to the better reading (issue #14).
    assert _scan("android14_LockSettingsService.txt", "android9-nolock_PhoneWindowManager.txt") \
        == (None, "dumpsys_lock_settings+dumpsys_window_policy")
