"""The screen-reading groups of the allow-list: opt-in, named, exact shapes only.

Sent only by `droidaudit scan --ui-probe` (sources.ui_probe), after the person agreed:

- "screen reading" (UI_PROBES): read-only. Whether the screen is awake, whether the lock
  screen shows, which app is in front, one `uiautomator dump /dev/tty` (it prints the
  active window's view tree; while it runs, about 1-10 s, Android pauses TalkBack and
  every other accessibility service; on first use it may create the shell-owned folder
  /data/local/tmp/dalvik-cache), and on Samsung one `content query` of the Messages
  preference provider (a Permission Denial is the expected answer).
- "open a settings screen" (UI_OPEN, only with --open): `am start` of a settings screen the
  label table lists as exported, with the action of its intent filter, and `input keyevent
  KEYCODE_HOME` only to leave a screen the tool itself opened. Nothing else: never `input
  tap|swipe|text`, `am broadcast`, `cmd statusbar`, `settings put`.

`is_ui_allowed` rebuilds every such command from its template and the table before it is
sent, so a package or activity from the phone can never shape a command.
"""

from __future__ import annotations

from droidaudit.package_names import PACKAGE_NAME
from droidaudit.probes import Probe
from droidaudit.ui_labels import (
    ACTION_NAME,
    ACTIVITY_NAME,
    LabelTable,
    Opener,
)

UI_GROUP = "screen reading"
UI_OPEN_GROUP = "open a settings screen"
SAMSUNG_PROVIDER_URI = "content://com.android.mms.csc.PreferenceProvider/listall"
SAMSUNG_PACKAGES = frozenset({"com.samsung.android.messaging"})

UI_POWER = Probe("ui_power", "dumpsys power", "screen awake (mWakefulness=)")
UI_KEYGUARD = Probe("ui_keyguard", "dumpsys window policy",
                    "lock screen showing (KeyguardServiceDelegate showing=)")
UI_FOCUS = Probe("ui_focus", "dumpsys window windows",
                 "which app is in front (mCurrentFocus, mFocusedApp)")
UI_DUMP = Probe("ui_dump", "uiautomator dump /dev/tty",
                "the active window's view tree (pauses accessibility services for 1-10 s)",
                timeout_s=30)
UI_SAMSUNG = Probe("ui_samsung_mms_prefs", f"content query --uri {SAMSUNG_PROVIDER_URI}",
                   "Samsung Messages' MMS preferences (Permission Denial expected)")
UI_HOME = Probe("ui_home", "input keyevent KEYCODE_HOME",
                "leave the settings screen the tool opened")

UI_PROBES: tuple[Probe, ...] = (UI_POWER, UI_KEYGUARD, UI_FOCUS, UI_DUMP, UI_SAMSUNG)
UI_PRECONDITIONS: tuple[Probe, ...] = (UI_POWER, UI_KEYGUARD, UI_FOCUS)
_OPEN_NAME = "ui_open"


def open_probe(package: str, opener: Opener) -> Probe:
    """`am start` of one exported settings screen, with its filter's action (Android 14+
    drops an explicit intent that matches none of the target's filters)."""
    if not PACKAGE_NAME.match(package) or not ACTIVITY_NAME.match(opener.activity) \
            or not ACTION_NAME.match(opener.action):
        raise ValueError("refusing a package, activity or action that is not a Java name")
    words = ["am", "start", "-W", "-a", opener.action, "-n", f"{package}/{opener.activity}",
             *opener.extras]
    return Probe(_OPEN_NAME, " ".join(words), f"open {package}'s settings screen")


def is_ui_allowed(probe: Probe, table: LabelTable, package: str, open_allowed: bool) -> bool:
    """In the screen-reading groups, exactly as built here, for this SMS app."""
    if probe in UI_PROBES:
        return probe != UI_SAMSUNG or package in SAMSUNG_PACKAGES
    if not open_allowed:
        return False
    if probe == UI_HOME:
        return True
    if probe.name != _OPEN_NAME or not PACKAGE_NAME.match(package):
        return False
    return any(probe == open_probe(package, opener)
               for app in table.for_package(package) for opener in app.opens)


def ui_commands(table: LabelTable) -> list[str]:
    """Every command the feature may send (for the README and the read-only proof)."""
    opens = [open_probe(app.package, opener).command
             for app in table.apps for opener in app.opens]
    return [p.command for p in UI_PROBES] + opens + [UI_HOME.command]
