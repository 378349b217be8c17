"""The screen-reading groups of the allow-list: exact shapes only, opening only what the
table says is exported, and the read-only proof extended to what the feature must never
send (input tap|swipe|text, am broadcast, cmd statusbar, settings put)."""

from __future__ import annotations

import pytest

from droidaudit.probes import PROBES, Probe, is_read_only
from droidaudit.ui_labels import Opener, load_table
from droidaudit.ui_probes import (
    UI_DUMP,
    UI_HOME,
    UI_PROBES,
    UI_SAMSUNG,
    is_ui_allowed,
    open_probe,
    ui_commands,
)
from droidaudit.vphone.screens import is_ui_action

TABLE = load_table()
MSG = "com.android.messaging"
NEVER = ("input tap 500 500", "input swipe 0 0 1 1", "input text hello", "am broadcast -a x",
         "cmd statusbar expand-notifications", "settings put global x 1",
         "content insert --uri content://settings/global", "am start -n a.b/.C")


@pytest.mark.parametrize("command", NEVER)
def test_what_the_feature_must_never_send_is_not_read_only(command: str) -> None:
    assert not is_read_only(command)


def test_the_read_group_is_read_only_and_apart_from_the_scan() -> None:
    assert all(is_read_only(p.command) for p in UI_PROBES)
    assert not {p.command for p in UI_PROBES} - {"dumpsys window policy"} & {
        p.command for p in PROBES}
    assert UI_DUMP.command == "uiautomator dump /dev/tty"


def test_open_is_only_for_exported_screens_with_their_filter_action() -> None:
    commands = ui_commands(TABLE)
    opens = [c for c in commands if c.startswith("am start")]
    assert opens == [
        "am start -W -a android.intent.action.MAIN -n com.android.messaging/"
        ".ui.appsettings.ApplicationSettingsActivity --ez top_level_settings true",
        "am start -W -a miui.intent.action.APP_SETTINGS -n com.android.mms/"
        ".ui.MessagingPreferenceActivity"]
    assert all(is_ui_action(c) for c in [*opens, UI_HOME.command])
    assert not [c for c in commands if c.startswith(NEVER)]


def test_is_ui_allowed_accepts_only_exact_shapes_for_this_app() -> None:
    opener = TABLE.for_package(MSG)[0].opens[0]
    good = open_probe(MSG, opener)
    assert is_ui_allowed(good, TABLE, MSG, open_allowed=True)
    assert not is_ui_allowed(good, TABLE, MSG, open_allowed=False)
    assert not is_ui_allowed(UI_HOME, TABLE, MSG, open_allowed=False)
    assert not is_ui_allowed(good, TABLE, "com.android.mms", open_allowed=True)
    assert not is_ui_allowed(UI_SAMSUNG, TABLE, MSG, open_allowed=False)
    assert is_ui_allowed(UI_SAMSUNG, TABLE, "com.samsung.android.messaging", False)
    for command in (good.command + " --ez x true", good.command.replace("-W ", ""),
                    "uiautomator dump /sdcard/x.xml", "input keyevent KEYCODE_BACK"):
        assert not is_ui_allowed(Probe(good.name, command, ""), TABLE, MSG, True)
        assert not is_ui_allowed(Probe("ui_dump", command, ""), TABLE, MSG, True)


def test_a_hostile_package_or_activity_never_shapes_a_command() -> None:
    with pytest.raises(ValueError):
        open_probe("com.x; input tap 1 1", Opener(".A", "android.intent.action.MAIN", (), ""))
    with pytest.raises(ValueError):
        open_probe(MSG, Opener(".A;rm", "android.intent.action.MAIN", (), ""))
