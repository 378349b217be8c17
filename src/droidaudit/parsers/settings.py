"""`settings list global|secure|system` → debugging, lock screen, backup, special access.

Format (frameworks/base/packages/SettingsProvider/.../SettingsService.java, `list`):
`key=value` per line, sorted. A key that is absent is unset: the platform default applies,
which we do not guess (the fact stays unknown). `settings get` prints the literal `null`
for an unset key; a real capture can hold `key=null` too. Each key lives in one
namespace: a reader that looks a key up in the wrong one is wrong, so each namespace has
its own parser and table.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from droidaudit.facts import Fact, FactValue
from droidaudit.parsers import packages_of
from droidaudit.parsers.conflicts import KeyedValues

Convert = Callable[[str], FactValue]


def parse_settings_lines(text: str) -> KeyedValues:
    """`key=value` lines; a key printed twice with different values is a conflict (a value
    holding a line break forges lines: conflicts.py)."""
    values = KeyedValues()
    for line in text.split("\n"):
        key, sep, value = line.partition("=")
        key = key.strip()
        if sep and key and " " not in key:
            values.put(key, value.strip())
    return values


def as_bool(raw: str) -> FactValue:
    return {"1": True, "0": False, "true": True, "false": False}.get(raw.lower())


def ms_to_s(raw: str) -> FactValue:
    try:
        return int(raw) // 1000
    except ValueError:
        return None


def as_text(raw: str) -> FactValue:
    return raw or None


def component_packages(raw: str) -> FactValue:
    """`pkg/.Svc:pkg2/pkg2.Other` → ["pkg", "pkg2"] (an empty setting → [])."""
    return packages_of(raw.split(":"))


def first_component_package(raw: str) -> FactValue:
    """`com.google.android.inputmethod.latin/com.android...LatinIME` → the package."""
    packages = component_packages(raw)
    return packages[0] if isinstance(packages, list) and packages else None


def component_names(raw: str) -> FactValue:
    """`pkg/.Agent:pkg2/pkg2.Other` → ["pkg/.Agent", "pkg2/pkg2.Other"]."""
    return [c.strip() for c in raw.split(":") if c.strip()]


@dataclass(frozen=True)
class SettingFact:
    key: str
    fact: str
    convert: Convert


GLOBAL = (
    SettingFact("adb_enabled", "adb.enabled", as_bool),
    SettingFact("adb_wifi_enabled", "adb.wifi_enabled", as_bool),
    SettingFact("development_settings_enabled", "dev.options_enabled", as_bool),
    SettingFact("package_verifier_enable", "verify.play_protect", as_bool),
    SettingFact("verifier_verify_adb_installs", "verify.adb_installs", as_bool),
    SettingFact("install_non_market_apps", "install.unknown_sources", as_bool),
    SettingFact("private_dns_mode", "net.private_dns_mode", as_text),
    # Play Protect "Improve harmful app detection" (GMS writes it; absent on non-GMS phones).
    SettingFact("upload_apk_enable", "verify.upload_apks", as_bool),
    SettingFact("auto_time", "time.auto", as_bool),
)

SECURE = (
    SettingFact("lock_screen_lock_after_timeout", "lock.auto_lock_s", ms_to_s),
    SettingFact("lock_screen_show_notifications", "lock.notifications_shown", as_bool),
    SettingFact("lock_screen_allow_private_notifications", "lock.private_notifications_shown",
                as_bool),
    SettingFact("lockscreen.power_button_instantly_locks", "lock.power_button_locks", as_bool),
    # Settings.Secure.LOCKDOWN_IN_POWER_MENU (Android 9+); SystemUI reads it with default 0,
    # but an absent key stays unknown here (some builds show Lockdown without it).
    SettingFact("lockdown_in_power_menu", "lock.lockdown_in_power_menu", as_bool),
    SettingFact("default_input_method", "input.default_ime", first_component_package),
    SettingFact("backup_enabled", "backup.enabled", as_bool),
    SettingFact("backup_transport", "backup.transport", as_text),
    SettingFact("install_non_market_apps", "install.unknown_sources", as_bool),
    SettingFact("sms_default_application", "_settings.sms_default_application", as_text),
    SettingFact("enabled_trust_agents", "_settings.trust_agents", component_names),
    SettingFact("enabled_accessibility_services", "_special.accessibility", component_packages),
    SettingFact("enabled_notification_listeners", "_special.notification_listener",
                component_packages),
)

SYSTEM = (SettingFact("screen_off_timeout", "screen.off_timeout_s", ms_to_s),)


def _facts_from(table: tuple[SettingFact, ...], probe: str, text: str) -> list[Fact]:
    values = parse_settings_lines(text)
    if not values:
        return []
    facts: list[Fact] = []
    for item in table:
        raw = values.get(item.key)
        if item.key in values.conflicts:
            seen = values.conflicts[item.key]
            facts.append(Fact(item.fact, None, probe,
                              tuple(f"{item.key}={v}" for v in seen[:3]),
                              values.conflict_note(item.key, probe)))
            continue
        if raw is None:
            facts.append(Fact(item.fact, None, probe, (),
                              f"{item.key} is unset (the platform default applies)"))
            continue
        evidence = (f"{item.key}={raw}",)
        if raw == "null":
            facts.append(Fact(item.fact, None, probe, evidence, f"{item.key} is null (unset)"))
            continue
        value = item.convert(raw)
        note = "" if value is not None else f"{item.key} has an unexpected value {raw!r}"
        facts.append(Fact(item.fact, value, probe, evidence, note))
    return facts


def parse_settings_global(text: str) -> list[Fact]:
    return _facts_from(GLOBAL, "settings_global", text)


def parse_settings_secure(text: str) -> list[Fact]:
    return _facts_from(SECURE, "settings_secure", text)


def parse_settings_system(text: str) -> list[Fact]:
    return _facts_from(SYSTEM, "settings_system", text)


# `dumpsys settings` (SettingsProvider.dump*, Android 8+): a header per namespace and user,
# then `_id:12 name:adb_enabled pkg:android value:1 default:1 defaultSystemSet:true`.
_DUMP_HEADER = re.compile(r"^\s*(GLOBAL|SECURE|SYSTEM) SETTINGS \(user (\d+)\)")
_DUMP_LINE = re.compile(r"^\s*_id:\S+ name:(\S+) pkg:\S* value:(.*?)(?: default:.*)?$")
_DUMP_TABLES = {"GLOBAL": (GLOBAL, "dumpsys_settings"), "SECURE": (SECURE, "dumpsys_settings"),
                "SYSTEM": (SYSTEM, "dumpsys_settings")}


def parse_settings_dump(text: str) -> list[Fact]:
    """Bugreports and AndroidQF's dumpsys.txt carry settings only in this form (user 0)."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.split("\n"):
        header = _DUMP_HEADER.match(line)
        if header:
            name, user = header.group(1), header.group(2)
            # A second user-0 header of one namespace adds to the same lines: any key the
            # two give different values becomes a conflict, never first- or last-wins.
            current = sections.setdefault(name, []) if user == "0" else None
            continue
        match = _DUMP_LINE.match(line) if current is not None else None
        if match and current is not None:
            current.append(f"{match.group(1)}={match.group(2)}")
    facts: list[Fact] = []
    for name, lines in sections.items():
        table, probe = _DUMP_TABLES[name]
        facts.extend(_facts_from(table, probe, "\n".join(lines)))
    return facts
