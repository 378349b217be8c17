"""settings list global|secure|system → facts, each key read from its own namespace."""

from droidaudit.parsers.settings import (
    parse_settings_global,
    parse_settings_secure,
    parse_settings_system,
)

SECURE = """\
backup_enabled=1
backup_transport=com.google.android.gms/.backup.BackupTransportService
enabled_accessibility_services=com.a/.Svc:com.b/com.b.Other:com.a/.Second
lock_screen_lock_after_timeout=5000
lock_screen_show_notifications=null
weird key=1
"""


def values(facts: list) -> dict[str, object]:
    return {f.name: f.value for f in facts}


def test_secure_namespace_lock_and_backup() -> None:
    facts = values(parse_settings_secure(SECURE))
    assert facts["lock.auto_lock_s"] == 5
    assert facts["backup.enabled"] is True
    assert facts["backup.transport"].startswith("com.google.android.gms/")
    assert facts["_special.accessibility"] == ["com.a", "com.b"]


def test_literal_null_and_absent_keys_are_unknown_with_reason() -> None:
    facts = {f.name: f for f in parse_settings_secure(SECURE)}
    assert facts["lock.notifications_shown"].value is None
    assert "null" in facts["lock.notifications_shown"].note
    assert facts["lock.power_button_locks"].value is None
    assert "unset" in facts["lock.power_button_locks"].note


def test_key_in_wrong_namespace_is_not_read() -> None:
    # screen_off_timeout lives in system; a copy in secure must not be taken for it.
    assert "screen.off_timeout_s" not in values(parse_settings_secure("screen_off_timeout=1\n"))
    assert values(parse_settings_system("screen_off_timeout=30000\n"))["screen.off_timeout_s"] == 30


def test_global_debug_flags() -> None:
    facts = values(parse_settings_global("adb_enabled=1\ndevelopment_settings_enabled=0\n"))
    assert facts["adb.enabled"] is True
    assert facts["dev.options_enabled"] is False
    assert facts["verify.play_protect"] is None  # unset on a non-GMS phone: unknown


def test_unexpected_value_is_unknown_not_false() -> None:
    facts = {f.name: f for f in parse_settings_global("adb_enabled=maybe\n")}
    assert facts["adb.enabled"].value is None
    assert "unexpected" in facts["adb.enabled"].note


def test_shell_error_gives_no_facts() -> None:
    assert parse_settings_global("/system/bin/sh: settings: not found\n") == []


SETTINGS_DUMP = """\
GLOBAL SETTINGS (user 0)
_id:12 name:adb_enabled pkg:android value:1 default:1 defaultSystemSet:true
_id:40 name:development_settings_enabled pkg:com.android.settings value:0 default:null defaultSystemSet:false
SECURE SETTINGS (user 0)
_id:77 name:lock_screen_lock_after_timeout pkg:com.android.settings value:5000 default:5000
SECURE SETTINGS (user 10)
_id:78 name:lock_screen_lock_after_timeout pkg:com.android.settings value:600000 default:5000
SYSTEM SETTINGS (user 0)
_id:5 name:screen_off_timeout pkg:com.android.settings value:30000 default:30000
"""


def test_settings_dump_from_bugreport_reads_user0_per_namespace() -> None:
    from droidaudit.parsers.settings import parse_settings_dump

    facts = values(parse_settings_dump(SETTINGS_DUMP))
    assert facts["adb.enabled"] is True
    assert facts["dev.options_enabled"] is False
    assert facts["lock.auto_lock_s"] == 5  # user 0, not the work profile's 600
    assert facts["screen.off_timeout_s"] == 30
