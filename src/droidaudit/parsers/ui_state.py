"""Read-only preconditions of a screen reading, and Samsung's preference provider.

Pure functions of text:
- `dumpsys power` → `mWakefulness=Awake|Asleep|Dreaming|Dozing` (PowerManagerService.dump,
  Android 5-16);
- `dumpsys window policy` → KeyguardServiceDelegate `showing=` (parsers.window_policy);
- `dumpsys window windows` → the focused window's package: `mCurrentFocus=Window{<hash>
  u0 <package>/<activity>}`, else `mFocusedApp=ActivityRecord{<hash> u0 <package>/...`
  (WindowManagerService / DisplayContent dumps, Android 7-16);
- `content query --uri content://com.android.mms.csc.PreferenceProvider/listall` → rows
  `Row: 0 pref_name=pref_key_mms_auto_retrieval, pref_value=true` (Samsung's CSC provider,
  research note §3.4), or the Permission Denial the shell is expected to get.
"""

from __future__ import annotations

import re

from droidaudit.facts import Fact
from droidaudit.package_names import PACKAGE_NAME
from droidaudit.parsers.window_policy import delegate_values

SAMSUNG_PROBE = "ui_samsung_mms_prefs"
_WAKEFULNESS = re.compile(r"^\s*mWakefulness=(\w+)", re.M)
_FOCUS = re.compile(r"^\s*mCurrentFocus=Window\{\S+ u\d+ ([^/\s}]+)", re.M)
_FOCUSED_APP = re.compile(r"^\s*mFocusedApp=\S*\{\S+ u\d+ ([^/\s}]+)/", re.M)
_ROW = re.compile(r"^Row: \d+ pref_name=([^,\s]+), pref_value=(\S*)\s*$", re.M)
_SAMSUNG_KEYS = {"pref_key_mms_auto_retrieval": "mms.auto_retrieve",
                 "pref_key_mms_retrieval_during_roaming": "mms.auto_retrieve_roaming"}


def wakefulness(text: str) -> str | None:
    match = _WAKEFULNESS.search(text)
    return match.group(1) if match else None


def keyguard_showing(text: str) -> bool | None:
    found = delegate_values(text)
    if found is None:
        return None
    showing = found[0].get("showing")
    return {"true": True, "false": False}.get(showing or "")


def focused_package(text: str) -> str | None:
    """The package of the focused window ('' for a system window such as the shade)."""
    for pattern in (_FOCUS, _FOCUSED_APP):
        match = pattern.search(text)
        if match:
            name = match.group(1)
            return name if PACKAGE_NAME.match(name) else ""
    return None


def parse_samsung_provider(text: str) -> list[Fact]:
    """The two MMS keys if the provider answered; otherwise nothing (the expected denial
    is kept in the capture as evidence, and the screen reading decides)."""
    facts: list[Fact] = []
    for match in _ROW.finditer(text):
        name = _SAMSUNG_KEYS.get(match.group(1))
        value = {"true": True, "false": False}.get(match.group(2).lower())
        if name and value is not None:
            facts.append(Fact(name, value, SAMSUNG_PROBE, (match.group(0).strip(),),
                              "Samsung Messages' preference provider answered the shell"))
    if any(f.name == "mms.auto_retrieve" for f in facts):
        facts.append(Fact("mms.auto_retrieve_source", "provider", SAMSUNG_PROBE,
                          (SAMSUNG_PROBE,)))
    return facts


def samsung_denied(text: str) -> bool:
    return "Permission Denial" in text or "SecurityException" in text
