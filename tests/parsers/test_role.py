"""dumpsys role → SMS role holders of user 0; the default SMS app's fallback order."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from droidaudit.capture import Capture, ProbeOutput
from droidaudit.facts.derive import extract_facts
from droidaudit.parsers.role import parse_dumpsys_role

FIXTURES = Path(__file__).parent / "fixtures" / "dumpsys_role"
NOW = datetime(2024, 6, 20, tzinfo=UTC)


def reading(name: str) -> object:
    [fact] = parse_dumpsys_role((FIXTURES / name).read_text())
    return fact.value


@pytest.mark.parametrize(("name", "holders"), [
    ("android10_RoleManagerService.txt", ["com.android.messaging"]),
    ("android14-workprofile_RoleService.txt", ["com.samsung.android.messaging"]),
    ("android14-noholder_RoleService.txt", []),
    ("android9_dumpsys-no-role-service.txt", None),
])
def test_sms_role_holders_of_user_0(name: str, holders: list[str] | None) -> None:
    assert reading(name) == holders


def test_two_sms_entries_for_user_0_are_ambiguous() -> None:
    def entry(holder: str) -> str:
        return ("  user_states={\n    user_id=0\n    roles=[\n      {\n"
                f"        name=android.app.role.SMS\n        holders={holder}\n      }}\n"
                "    ]\n  }\n")
    [fact] = parse_dumpsys_role(entry("com.a.sms") + entry("com.b.sms"))
    assert fact.value is None and "ambiguous" in fact.note


def test_a_holder_that_is_not_a_package_name_is_unknown() -> None:
    [fact] = parse_dumpsys_role("user_id=0\nname=android.app.role.SMS\nholders=rm -rf\n}\n")
    assert fact.value is None and "not a package name" in fact.note


def facts_of(**outputs: bytes) -> dict[str, object]:
    capture = Capture(started="2024-06-20T09:29:58Z")
    for probe, data in outputs.items():
        capture.add(ProbeOutput(probe, probe, data, 0))
    fact = extract_facts(capture, NOW).get("mms.default_sms_app")
    assert fact is not None
    return {"value": fact.value, "source": fact.source}


ROLE_DUMP = (FIXTURES / "android14-workprofile_RoleService.txt").read_bytes()


def test_cmd_role_answers_first() -> None:
    got = facts_of(sms_role=b"com.google.android.apps.messaging\n", dumpsys_role=ROLE_DUMP)
    assert got == {"value": "com.google.android.apps.messaging", "source": "sms_role"}


def test_dumpsys_role_answers_when_cmd_role_fails() -> None:
    got = facts_of(sms_role=b"cmd: Can't find service: role\n", dumpsys_role=ROLE_DUMP,
                   settings_secure=b"sms_default_application=com.android.mms\n")
    assert got == {"value": "com.samsung.android.messaging", "source": "dumpsys_role"}


def test_settings_answer_last() -> None:
    got = facts_of(sms_role=b"/system/bin/sh: cmd: not found\n",
                   dumpsys_role=b"Can't find service: role\n",
                   settings_secure=b"sms_default_application=com.android.mms\n")
    assert got == {"value": "com.android.mms", "source": "settings_secure"}
