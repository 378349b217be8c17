"""The virtual phone's scripted screens: one step per dump, the status line alone without
a tty, am start only for exported screens, and UI actions told apart from writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from droidaudit.parsers.ui_state import focused_package, keyguard_showing, wakefulness
from droidaudit.vphone.screens import Screens, is_ui_action
from droidaudit.vphone.shell import refusal

SCREENS = Path(__file__).parents[1] / "data" / "ui_mms"


def screens(tmp_path: Path) -> Screens:
    (tmp_path / "probes").mkdir()
    (tmp_path / "ui").mkdir()
    (tmp_path / "ui" / "script.toml").write_text(
        f'[[step]]\ndump = "{SCREENS}/aosp-messaging-settings.txt"\n'
        f'[[step]]\ndump = "{SCREENS}/lockscreen.txt"\nkeyguard = true\npower = "Asleep"\n'
        '[start]\n"com.android.messaging/.ui.appsettings.ApplicationSettingsActivity" = 0\n')
    (tmp_path / "state").mkdir()
    return Screens(tmp_path, tmp_path / "state")


def test_each_dump_shows_the_next_step_and_the_last_one_stays(tmp_path: Path) -> None:
    s = screens(tmp_path)
    assert wakefulness(s.power()) == "Awake" and keyguard_showing(s.window_policy()) is False
    assert focused_package(s.windows()) == "com.android.messaging"
    assert 'package="com.android.messaging"' in s.dump(tty=True)
    assert wakefulness(s.power()) == "Asleep" and keyguard_showing(s.window_policy()) is True
    assert focused_package(s.windows()) == ""  # the notification shade
    assert "systemui" in s.dump(tty=True) and "systemui" in s.dump(tty=True)


def test_without_a_tty_only_the_status_line_is_printed(tmp_path: Path) -> None:
    assert screens(tmp_path).dump(tty=False) == "UI hierchary dumped to: /dev/tty\n"


def test_am_start_opens_only_exported_screens(tmp_path: Path) -> None:
    s = screens(tmp_path)
    s.dump(tty=True)
    assert s.start("com.android.messaging/.ui.appsettings.PerSubscriptionSettingsActivity") \
        is None
    assert s.start("com.android.messaging/.ui.appsettings.ApplicationSettingsActivity") == 0
    assert "Advanced" in s.dump(tty=True)


@pytest.mark.parametrize(("command", "ui"), [
    ("am start -W -a android.intent.action.MAIN -n a.b/.C --ez k true", True),
    ("input keyevent KEYCODE_HOME", True),
    ("input keyevent KEYCODE_BACK", False), ("input tap 1 1", False),
    ("am broadcast -a x", False), ("am start -n a.b/.C; input tap 1 1", False),
])
def test_ui_actions_are_told_apart_from_writes(command: str, ui: bool) -> None:
    assert is_ui_action(command) is ui
    assert (refusal(command) == "") is ui
