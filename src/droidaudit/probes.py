"""The probes: the one allow-list of commands droidaudit ever sends to a phone.

Everything here only reads. `assert_read_only` guards the list at import time, and the
live source refuses to send any command that is not built from PROBES. Never add a
command that writes a setting or tests a credential (`settings put`, `pm grant`,
`cmd lock_settings ...`, `locksettings verify`, `bmgr backupnow`, `svc`, `appops set`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from droidaudit.package_names import PACKAGE_NAME


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
    Probe("dumpsys_role", "dumpsys role", "default SMS app when cmd role fails (Android 10+)"),
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
    Probe("dumpsys_accessibility", "dumpsys accessibility",
          "enabled accessibility services per user (when the setting reads null)"),
    Probe("dumpsys_window_policy", "dumpsys window policy",
          "keyguard state: no lock-screen credential on Android 8.1-10"),
    # No arguments: the plain dump only prints; Samsung's fingerprint dump takes commands
    # as arguments (removeFinger), which must never be sent.
    Probe("dumpsys_fingerprint", "dumpsys fingerprint", "enrolled fingerprints per user"),
    Probe("dumpsys_face", "dumpsys face", "enrolled faces per user (Android 10+)"),
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
    r"\bam\s+(start|force-stop|kill|broadcast|instrument|startservice)\b",
    r"\binput\s",  # taps, swipes, text, key events: only the opt-in ui_probes.UI_HOME
    r"\bcmd\s+statusbar\b",
    r"\bcontent\s+(insert|update|delete|call|write)\b",
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


# -- root follow-up probes (only with `droidaudit scan --use-root`) ----------------------
#
# MMS auto-retrieve lives in the default SMS app's private SharedPreferences
# (/data/data/<package>/shared_prefs/*.xml), readable only as root. With the person's
# consent (--use-root) and an `su` on the phone, the live source sends these as one more
# batch (droidaudit.sources.root_followup). They only `cat` the app's preference files:
# nothing else, nothing written. The package comes from the phone (hostile input): it is
# validated before it is put into a command, and `is_allowed` rebuilds every root probe from
# its template before sending.


# Default SMS app → (probe name, preference file under shared_prefs/). Files follow the apps'
# sources: AOSP Mms (packages/apps/Mms, MessagingPreferenceActivity: the default
# SharedPreferences file `<package>_preferences.xml`), AOSP Messaging (packages/apps/Messaging,
# BuglePrefsImpl / BugleSubscriptionPrefs: `bugle.xml` and `buglesub_<subId>.xml`), Samsung
# Messages (default SharedPreferences file). Google Messages is left out: its preference
# layout is not public, and guessing it could turn an absent key into a wrong answer.
ROOT_PREFS_FILES: dict[str, tuple[tuple[str, str], ...]] = {
    "com.android.mms": (("mms_prefs_legacy", "com.android.mms_preferences.xml"),),
    "com.android.messaging": (("mms_prefs_bugle_subs", "buglesub_*.xml"),
                              ("mms_prefs_bugle", "bugle.xml")),
    "com.samsung.android.messaging": (
        ("mms_prefs_samsung", "com.samsung.android.messaging_preferences.xml"),),
}
ROOT_PROBE_NAMES = frozenset(name for files in ROOT_PREFS_FILES.values() for name, _ in files)
# Magisk / SuperSU take `su -c CMD`; the AOSP userdebug su takes `su UID CMD...`. A glob
# must be expanded by the root shell (the shell user cannot list the folder), hence sh -c.
_ROOT_CAT = ('su -c "cat /data/data/{package}/shared_prefs/{file}"'
             ' || su 0 sh -c "cat /data/data/{package}/shared_prefs/{file}"')
_PREFS_PATH = re.compile(r"/data/data/([^/\s\"]+)/shared_prefs/")


def mms_prefs_probes(package: str) -> list[Probe]:
    """The root probes that read `package`'s MMS preferences ([] for an app we cannot read).

    Raises ValueError for a package name that is not a plain Java package name: it came
    from the phone and is about to become part of a root shell command."""
    if not PACKAGE_NAME.match(package):
        raise ValueError(f"refusing a package name that is not a Java package: {package!r}")
    return [Probe(name, _ROOT_CAT.format(package=package, file=file),
                  f"MMS auto-retrieve preferences of {package} (root)", timeout_s=20)
            for name, file in ROOT_PREFS_FILES.get(package, ())]


def is_allowed(probe: Probe) -> bool:
    """In the allow-list: a PROBES entry, or a root probe exactly as its template builds it."""
    if not is_read_only(probe.command):
        return False
    if PROBES_BY_NAME.get(probe.name) == probe:
        return True
    if probe.name not in ROOT_PROBE_NAMES:
        return False
    match = _PREFS_PATH.search(probe.command)
    if match is None or not PACKAGE_NAME.match(match.group(1)):
        return False
    return probe in mms_prefs_probes(match.group(1))
