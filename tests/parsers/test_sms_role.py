"""cmd role get-role-holders android.app.role.SMS → mms.default_sms_app."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from droidaudit.decode import decode
from droidaudit.facts import Fact
from droidaudit.parsers.sms_role import parse_sms_role

FIXTURES = Path(__file__).parent / "fixtures" / "sms_role"


def _parse(name: str) -> list[Fact]:
    return parse_sms_role(decode((FIXTURES / name).read_bytes()))


def test_sms_role_android14_one_holder() -> None:
    [fact] = _parse("android14_RoleShellCommand.txt")
    assert fact.name == "mms.default_sms_app"
    assert fact.value == "com.google.android.apps.messaging"
    assert fact.source == "sms_role"


def test_sms_role_no_holder_is_unknown_so_fallback_decides() -> None:
    [fact] = _parse("android14-noholder_RoleShellCommand.txt")
    assert fact.value is None
    assert "no package holds" in fact.note


def test_sms_role_cmd_missing_gives_no_fact() -> None:
    assert _parse("android6_cmd-missing.txt") == []


def test_sms_role_role_service_missing_gives_no_fact() -> None:
    assert _parse("android9_role-service-missing.txt") == []


def test_sms_role_exception_text_gives_no_fact() -> None:
    assert parse_sms_role("Exception occurred while executing 'get-role-holders':\n") == []


@given(st.text(), st.sampled_from(["", ""]))
def test_sms_role_never_raises_on_any_text(tail: str, prefix: str) -> None:
    text = prefix + tail
    parse_sms_role(text)
