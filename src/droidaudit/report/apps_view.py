"""The apps table: one row per app a person may need to act on, with what it can reach in
plain words and the findings it causes (per-app findings collapse into their app's row).

Reads only the `apps` fact and findings; a label shows when the capture has one, else the
package name (Settings shows the label, so steps use it when known)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from droidaudit.report.model import severity_rank, sort_findings
from droidaudit.rules.model import Finding

# The sensitive permission groups (facts/sensitive.py) and special access, as a person says them.
GROUP_WORDS = {
    "sms": "read your SMS", "call_log": "read your call log", "contacts": "read your contacts",
    "microphone": "record audio", "camera": "use the camera", "location": "see your location",
    "body_sensors": "read body sensors", "media": "see your photos and files",
    "phone": "see your calls and phone number", "calendar": "read your calendar",
    "activity": "see your physical activity", "nearby": "find nearby devices",
}
SPECIAL_WORDS = {
    "accessibility": "control the phone (accessibility)",
    "notification_listener": "read all your notifications", "device_admin": "act as device admin",
    "install_unknown_apps": "install other apps", "overlay": "draw over other apps",
    "usage_access": "see which apps you use",
}
_BACKGROUND_LOCATION = "android.permission.ACCESS_BACKGROUND_LOCATION"
INSTALLER_WORDS = {
    "com.android.vending": "Play Store", "com.sec.android.app.samsungapps": "Galaxy Store",
    "com.xiaomi.market": "Xiaomi GetApps", "com.xiaomi.mipicks": "Xiaomi GetApps",
    "com.huawei.appmarket": "AppGallery", "com.amazon.venezia": "Amazon Appstore",
    "org.fdroid.fdroid": "F-Droid", "com.android.shell": "adb (a computer)",
    "com.google.android.packageinstaller": "a file (package installer)",
    "com.android.packageinstaller": "a file (package installer)",
}
NOT_A_STORE = ("com.google.android.packageinstaller", "com.android.packageinstaller",
               "com.android.shell")
_PROBLEM = ("fail", "notchecked", "unknown", "error")


@dataclass(frozen=True)
class AppRow:
    package: str
    label: str  # '' when the capture holds no label
    installer: str  # plain words
    system: bool
    grants: tuple[str, ...]  # what its sensitive grants let it do, in plain words
    special: tuple[str, ...]  # its special access, in plain words
    findings: tuple[Finding, ...]  # the problems it causes (not passes)

    @property
    def name(self) -> str:
        return self.label or self.package

    @property
    def failed(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.status == "fail")

    @property
    def worst(self) -> str:
        failed = self.failed
        return max((f.severity for f in failed), key=severity_rank) if failed else ""

    @property
    def abilities(self) -> tuple[str, ...]:
        return self.grants + self.special


def _grant_words(app: dict[str, Any]) -> tuple[str, ...]:
    groups = app.get("sensitive_groups") or []
    granted = app.get("granted") or []
    words = [GROUP_WORDS.get(g, g) for g in groups]
    if "location" in groups and _BACKGROUND_LOCATION in granted:
        words[groups.index("location")] = "track your location in the background"
    return tuple(words)


def installer_words(installer: object) -> str:
    if not installer:
        return "unknown"
    return INSTALLER_WORDS.get(str(installer), str(installer))


def _row(app: dict[str, Any], findings: Sequence[Finding]) -> AppRow:
    package = str(app.get("package") or "")
    return AppRow(
        package=package, label=str(app.get("label") or ""),
        installer=installer_words(app.get("installer")), system=bool(app.get("system")),
        grants=_grant_words(app),
        special=tuple(SPECIAL_WORDS.get(s, s) for s in app.get("special") or []),
        findings=tuple(sort_findings([f for f in findings
                                      if f.item == package and f.status in _PROBLEM])))


def app_rows(apps: object, findings: Iterable[Finding]) -> list[AppRow]:
    """Rows for apps that cause a problem or reach something sensitive (system apps only
    when they cause a problem), the most serious first."""
    if not isinstance(apps, list):
        return []
    problems = [f for f in findings if f.item]
    rows = [_row(app, problems) for app in apps if isinstance(app, dict)]
    shown = [r for r in rows if r.findings or (not r.system and r.abilities)]
    return sorted(shown, key=lambda r: (-severity_rank(r.worst) if r.worst else 1,
                                        -len(r.failed), -len(r.findings), r.name.lower()))


def app_packages(rows: Iterable[AppRow]) -> set[str]:
    return {row.package for row in rows}
