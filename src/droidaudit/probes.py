"""The probes: the one allow-list of commands droidaudit ever sends to a phone.

Everything here only reads. `assert_read_only` guards the list at import time, and the
live source refuses to send any command that is not built from PROBES. Never add a
command that writes a setting or tests a credential (`settings put`, `pm grant`,
`cmd lock_settings ...`, `locksettings verify`, `bmgr backupnow`, `svc`, `appops set`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Probe:
    name: str  # stable snake_case; the capture file name
    command: str  # one shell command; `a || b` is a fallback with the same output format
    purpose: str
    streamed: bool = False  # large output: read on its own stream, not in the batch
    timeout_s: int = 30  # wall-clock limit on the phone (toybox `timeout`, where present)


PROBES: tuple[Probe, ...] = (
    Probe("getprop", "getprop", "build, patch level, boot and encryption properties"),
    Probe("settings_global", "settings list global", "debugging, Play Protect, DNS"),
    Probe("settings_secure", "settings list secure",
          "lock screen, backup, accessibility, listeners, SMS app"),
    Probe("settings_system", "settings list system", "screen timeout"),
    Probe("dumpsys_lock_settings", "dumpsys lock_settings", "lock screen credential type"),
    Probe("dumpsys_trust", "dumpsys trust", "trust agents (Smart Lock), device locked"),
    Probe("dumpsys_backup", "dumpsys backup", "backup enabled and transport"),
    Probe("bmgr_enabled", "bmgr enabled", "backup enabled (fallback)"),
    Probe("dumpsys_device_policy", "dumpsys device_policy", "device admins, password policy"),
    Probe("sms_role", "cmd role get-role-holders android.app.role.SMS", "default SMS app"),
    Probe("getenforce", "getenforce", "SELinux mode"),
    Probe("which_su", "which su", "su binary on PATH (root)"),
    Probe("packages", "pm list packages -f -i -U || pm list packages -f -i",
          "installed packages with path, installer and uid"),
    Probe("packages_third_party", "pm list packages -3", "non-system packages"),
    Probe("users", "pm list users", "users and work profiles"),
    Probe("appops_install_unknown", "cmd appops query-op REQUEST_INSTALL_PACKAGES allow",
          "apps allowed to install unknown apps"),
    Probe("appops_overlay", "cmd appops query-op SYSTEM_ALERT_WINDOW allow",
          "apps allowed to draw over other apps"),
    Probe("appops_usage_stats", "cmd appops query-op GET_USAGE_STATS allow",
          "apps with usage access"),
    Probe("dumpsys_package", "dumpsys package packages",
          "per-package flags, installer, runtime grants", streamed=True, timeout_s=120),
)

PROBES_BY_NAME: dict[str, Probe] = {p.name: p for p in PROBES}

# Commands (or command shapes) that change a phone or test a credential.
_WRITE_PATTERNS = (
    r"\bsettings\s+(put|delete|reset)\b",
    r"\bpm\s+(grant|revoke|disable|enable|uninstall|install|clear|hide|suspend|set-)",
    r"\bcmd\s+lock_settings\b",
    r"\blocksettings\b",
    r"\bappops\s+(set|reset|write-settings)\b",
    r"\bbmgr\s+(backupnow|backup|transport|enable|restore|wipe|run)\b",
    r"\bsvc\b",
    r"\bsetprop\b",
    r"\bam\s+(start|force-stop|kill|broadcast)\b",
    r"--reset\b",
    r"\brm\s",
    r"[>]",  # no redirection into files on the phone
)
_WRITE_RE = re.compile("|".join(_WRITE_PATTERNS))


def is_read_only(command: str) -> bool:
    """True when a command matches none of the known write shapes."""
    cleaned = command.replace("2>&1", "").replace(">/dev/null", "")
    return _WRITE_RE.search(cleaned) is None


def assert_read_only(probes: tuple[Probe, ...]) -> None:
    for probe in probes:
        if not is_read_only(probe.command):
            raise AssertionError(f"probe {probe.name} would write: {probe.command}")
        if "'" in probe.command:  # commands are wrapped in single quotes in the batch
            raise AssertionError(f"probe {probe.name} must not contain a single quote")


assert_read_only(PROBES)
