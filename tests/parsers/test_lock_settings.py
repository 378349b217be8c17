"""dumpsys lock_settings → lock.credential, lock.secure, lock.users (per release format)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from droidaudit.decode import decode
from droidaudit.facts import Fact
from droidaudit.parsers.lock_settings import parse_lock_settings

FIXTURES = Path(__file__).parent / "fixtures" / "dumpsys_lock_settings"


def _facts(name: str) -> dict[str, Fact]:
    text = decode((FIXTURES / name).read_bytes())
    return {fact.name: fact for fact in parse_lock_settings(text)}


def test_lock_settings_android6_empty_dump_is_unknown_with_note() -> None:
    facts = _facts("android6_LockSettingsService.txt")
    assert facts["lock.credential"].value is None
    assert facts["lock.secure"].value is None
    assert "printed nothing" in facts["lock.secure"].note


def test_lock_settings_android9_sp_handle_only_is_unknown() -> None:
    facts = _facts("android9_LockSettingsService.txt")
    assert facts["lock.credential"].value is None
    assert facts["lock.secure"].value is None
    assert "does not show the credential type" in facts["lock.credential"].note
    assert facts["lock.users"].value == [{"user": 0, "credential": None, "secure": None}]


def test_lock_settings_android12_titlecase_pattern() -> None:
    facts = _facts("android12_LockSettingsService.txt")
    assert facts["lock.credential"].value == "pattern"
    assert facts["lock.secure"].value is True
    assert "CredentialType: Pattern" in facts["lock.credential"].evidence


def test_lock_settings_android14_pin_for_owner_and_none_for_second_user() -> None:
    facts = _facts("android14_LockSettingsService.txt")
    assert facts["lock.credential"].value == "pin"
    assert facts["lock.secure"].value is True
    assert facts["lock.users"].value == [
        {"user": 0, "credential": "pin", "secure": True},
        {"user": 10, "credential": None, "secure": False},
    ]


def test_lock_settings_storage_section_user_lines_are_not_user_blocks() -> None:
    users = _facts("android14_LockSettingsService.txt")["lock.users"].value
    assert [u["user"] for u in users] == [0, 10]


def test_lock_settings_android15_uppercase_credential_type() -> None:
    facts = _facts("android15_LockSettingsService.txt")
    assert facts["lock.credential"].value == "pin"
    assert facts["lock.secure"].value is True


def test_lock_settings_android15_none_with_lockscreen_shown_is_swipe() -> None:
    facts = _facts("android15-swipe_LockSettingsService.txt")
    assert facts["lock.credential"].value == "swipe"
    assert facts["lock.secure"].value is False
    assert "IsLockScreenDisabled: false" in facts["lock.credential"].evidence


def test_lock_settings_android15_none_with_lockscreen_disabled_is_none() -> None:
    facts = _facts("android15-nolock_LockSettingsService.txt")
    assert facts["lock.credential"].value == "none"
    assert facts["lock.secure"].value is False


def test_lock_settings_samsung_uppercase_pattern_and_secure_folder_user() -> None:
    facts = _facts("samsung-a14_LockSettingsService.txt")
    assert facts["lock.credential"].value == "pattern"
    assert facts["lock.secure"].value is True
    assert {"user": 95, "credential": None, "secure": False} in facts["lock.users"].value


def test_lock_settings_quality_only_hex_alphanumeric_is_password() -> None:
    facts = _facts("oem-quality-only_LockSettingsService.txt")
    assert facts["lock.credential"].value == "password"
    assert facts["lock.secure"].value is True
    assert facts["lock.credential"].evidence[-1] == "Quality: 0x50000"


@pytest.mark.parametrize(
    ("line", "credential", "secure"),
    [
        ("CredentialType: PASSWORD_OR_PIN", None, True),
        ("CredentialType: SMARTCARDNUMERIC", None, True),
        ("CredentialType: None", None, False),  # Android 11-14: swipe or none is not shown
        ("CredentialType: Unknown 7", None, None),
        ("Quality: 131072", "pin", True),
        ("Quality: 196608", "pin", True),
        ("Quality: 65536", "pattern", True),
        ("Quality: 393216", "password", True),
        ("Quality: 524288", None, True),
        ("Quality: 12345", None, None),
    ],
)
def test_lock_settings_credential_table(line: str, credential: str | None,
                                        secure: bool | None) -> None:
    text = f"User State:\n  User 0\n    {line}\n"
    facts = {fact.name: fact for fact in parse_lock_settings(text)}
    assert facts["lock.credential"].value == credential
    assert facts["lock.secure"].value is secure
    if credential is None:
        assert facts["lock.credential"].note


def test_lock_settings_credential_type_wins_over_quality() -> None:
    text = "User State:\n  User 0\n    Quality: 0\n    CredentialType: Pin\n"
    facts = {fact.name: fact for fact in parse_lock_settings(text)}
    assert facts["lock.credential"].value == "pin"


def test_lock_settings_permission_denial_is_unknown() -> None:
    text = "Permission Denial: can't dump LockSettingsService from pid=1, uid=2000\n"
    facts = {fact.name: fact for fact in parse_lock_settings(text)}
    assert facts["lock.secure"].value is None
    assert "Permission Denial" in facts["lock.secure"].note


def test_lock_settings_missing_user0_is_unknown() -> None:
    text = "User State:\n  User 10\n    CredentialType: Pin\n"
    facts = {fact.name: fact for fact in parse_lock_settings(text)}
    assert facts["lock.credential"].value is None
    assert facts["lock.users"].value == [{"user": 10, "credential": "pin", "secure": True}]


@given(st.text(), st.sampled_from(["", "User State:\n  User 0\n    CredentialType: "]))
def test_lock_settings_never_raises_on_any_text(tail: str, prefix: str) -> None:
    text = prefix + tail
    parse_lock_settings(text)


def test_lock_settings_user_lines_level_with_the_header_plain_printwriter() -> None:
    """A build with a plain PrintWriter: the block's lines at `User N`'s own indent."""
    text = ("Current lock settings service state:\n\nUser State:\n  User 0\n"
            "  LSKF-based SP protector ID: 1a2b\n  Quality: 131072\n  CredentialType: PIN\n"
            "  User 10\n  Quality: 0\n  CredentialType: NONE\n\nKeys in namespace:\n\n"
            "PasswordHandleCount: 0\n")
    facts = {f.name: f for f in parse_lock_settings(text)}
    assert facts["lock.credential"].value == "pin"
    assert facts["lock.users"].value == [{"user": 0, "credential": "pin", "secure": True},
                                         {"user": 10, "credential": None, "secure": False}]


def test_lock_settings_flush_left_section_after_the_blocks_ends_them() -> None:
    text = "User State:\nUser 0\nCredentialType: NONE\nKeys in namespace:\nIsLockScreenDisabled: true\n"
    facts = {f.name: f for f in parse_lock_settings(text)}
    assert facts["lock.secure"].value is False
    assert facts["lock.credential"].value is None  # the later line is not user 0's
