"""The virtual phone's screen: a scripted person navigating, for `uiautomator dump`.

A profile may hold `ui/script.toml`: the screens the person shows, one per dump, in order
(the last one stays), each with the phone's state at that moment; and which settings
screens `am start` may open (the activities the app exports). Runs inside the shims, so
it uses the standard library only. The dump files are whole outputs as the phone prints
them over a PTY (XML, then the status line); without a controlling terminal (`shell,v2`
raw, or `exec:` before Android 7) the XML never reaches stdout and only the status line is
printed, as on a real phone, so a test catches a scanner that uses the wrong service.

    [[step]]
    dump = "aosp-messaging-settings.txt"   # under ui/ (or an absolute path)
    power = "Awake"                          # mWakefulness (default Awake)
    keyguard = false                         # KeyguardServiceDelegate showing= (default false)
    focus = "com.android.messaging/.ui.appsettings.ApplicationSettingsActivity"  # optional
    [start]                                  # component → the step it shows
    "com.android.messaging/.ui.appsettings.ApplicationSettingsActivity" = 0
    [provider]
    samsung = "denied"                       # or "rows"
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

SCRIPT = Path("ui") / "script.toml"
STEP_FILE = "ui_step"
UI_ACTIONS_FILE = "ui_actions.log"
# Commands the script answers instead of the capture's recorded table.
SCRIPTED_COMMANDS = frozenset({"dumpsys power", "dumpsys window windows",
                               "dumpsys window policy"})
_XML = re.compile(r"<\?xml.*(</hierarchy>|</displays>)", re.S)
_UI_ACTION = re.compile(r"^(am start( -W)?( -a [\w.]+)? -n [\w.]+/[\w.$]+"
                        r"( --ez \w+ (true|false))*|input keyevent (KEYCODE_HOME|3))$")


def is_ui_action(command: str) -> bool:
    """A UI action a person could do by hand (open a screen, go home): not a write, and
    logged apart. Every other `am`/`input` stays refused as a write."""
    return _UI_ACTION.match(" ".join(command.split())) is not None


class Screens:
    def __init__(self, capture: Path, state: Path) -> None:
        self.capture = capture
        self.state = state
        path = capture / SCRIPT
        self.script: dict[str, Any] = tomllib.loads(path.read_text("utf-8")) \
            if path.is_file() else {}
        self.steps: list[dict[str, Any]] = list(self.script.get("step", []))

    @property
    def active(self) -> bool:
        return bool(self.steps)

    def _index(self) -> int:
        try:
            return int((self.state / STEP_FILE).read_text())
        except (OSError, ValueError):
            return 0

    def _set(self, index: int) -> None:
        (self.state / STEP_FILE).write_text(str(index))

    def step(self) -> dict[str, Any]:
        return self.steps[min(self._index(), len(self.steps) - 1)]

    def dump(self, tty: bool) -> str:
        """This step's dump output; then the person moves on to the next step."""
        step = self.step()
        self._set(self._index() + 1)
        text = self._file(str(step["dump"]))
        return text if tty else _XML.sub("", text)

    def _file(self, name: str) -> str:
        path = Path(name) if Path(name).is_absolute() else self.capture / "ui" / name
        return path.read_text(encoding="utf-8")

    def start(self, component: str) -> int | None:
        """The step an `am start` of component shows, or None (not exported)."""
        starts = self.script.get("start", {})
        index = starts.get(component) if isinstance(starts, dict) else None
        if isinstance(index, int):
            self._set(index)
        return index if isinstance(index, int) else None

    # -- what the dumpsys commands print at this step -----------------------------------

    def power(self) -> str:
        return ("POWER MANAGER (dumpsys power)\n\nPower Manager State:\n  mDirty=0x0\n"
                f"  mWakefulness={self.step().get('power', 'Awake')}\n"
                "  mWakefulnessChanging=false\n  mIsPowered=true\n")

    def window_policy(self) -> str:
        showing = "true" if self.step().get("keyguard", False) else "false"
        recorded = self.capture / "probes" / "dumpsys_window_policy.txt"
        text = recorded.read_text("utf-8", errors="replace") if recorded.is_file() else (
            "WINDOW MANAGER POLICY STATE (dumpsys window policy)\n    KeyguardServiceDelegate\n"
            "      showing=false\n      secure=true\n      currentUser=0\n")
        return re.sub(r"(?m)^(\s*showing=)\w+", lambda m: m.group(1) + showing, text)

    def windows(self) -> str:
        step = self.step()
        if step.get("keyguard", False):
            focus, app = "NotificationShade", "null"
        else:
            focus = str(step.get("focus") or f"{self._dump_package(step)}/.Main")
            app = f"ActivityRecord{{5e1f u0 {focus} t42}}"
        return ("WINDOW MANAGER WINDOWS (dumpsys window windows)\n"
                f"  Window #0 Window{{a1b2c3 u0 {focus}}}:\n    mDisplayId=0\n"
                f"  mCurrentFocus=Window{{a1b2c3 u0 {focus}}}\n  mFocusedApp={app}\n")

    def _dump_package(self, step: dict[str, Any]) -> str:
        match = re.search(r'package="([^"]+)"', self._file(str(step["dump"])))
        return match.group(1) if match else "com.android.launcher3"

    def samsung_provider(self) -> tuple[str, int]:
        provider = self.script.get("provider", {})
        if isinstance(provider, dict) and provider.get("samsung") == "rows":
            return ("Row: 0 pref_name=pref_key_mms_auto_retrieval, pref_value=false\n"
                    "Row: 1 pref_name=pref_key_mms_retrieval_during_roaming, "
                    "pref_value=false\n", 0)
        # ActivityManagerService.getContentProviderImpl → checkContentProviderPermission
        return ("Error while accessing provider:com.android.mms.csc.PreferenceProvider\n"
                "java.lang.SecurityException: Permission Denial: opening provider "
                "com.samsung.android.messaging.common.provider.PreferenceProvider from "
                "(null) (pid=4242, uid=2000) requires sec.android.permission.READ_MSG_PREF "
                "or sec.android.permission.WRITE_MSG_PREF\n", 1)
