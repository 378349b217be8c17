"""The fact vocabulary (DESIGN §4) and the set of facts read from one capture.

A fact is a named, typed reading with its provenance. `None` means unknown, and an
unknown fact always carries the reason it is unknown: rules turn it into `unknown`
or `notchecked`, never into a pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from droidaudit.facts.provenance import FACT_PROBES

FactValue = Any  # str | int | bool | list | dict | None; JSON-serialisable


@dataclass(frozen=True)
class FactSpec:
    name: str
    type: str
    meaning: str
    sources: str  # which probes and keys it is read from, for people (README)
    probes: tuple[str, ...] = ()  # the probes that answer it, in the order tried
    # For people: what the fact is called in a sentence ("Auto-lock delay") and its unit:
    # "s" (seconds), "days", another counted noun ("apps"), or for a bool the words for
    # true/false ("on/off"). Rules phrase what they found from these (rules/plain.py).
    label: str = ""
    unit: str = ""


@dataclass(frozen=True)
class Fact:
    name: str
    value: FactValue
    source: str  # probe name(s) the value came from
    evidence: tuple[str, ...] = ()  # raw lines that support the value
    note: str = ""  # why the value is unknown, or a caveat
    # For a list: why it may miss items (a partial inventory). A rule that finds no
    # offending item in a partial list is unknown, never a pass.
    partial: str = ""

    @property
    def known(self) -> bool:
        return self.value is not None


# name → (label, unit). Kept apart from the spec lines so each stays one reading's provenance.
_WORDS: dict[str, tuple[str, str]] = {
    "device.manufacturer": ("Maker", ""),
    "device.model": ("Model", ""),
    "device.serial": ("Serial number", ""),
    "device.name": ("Device code name", ""),
    "os.release": ("Android version", ""),
    "os.sdk": ("Android API level", ""),
    "os.fingerprint": ("Build fingerprint", ""),
    "os.security_patch": ("Security patch date", ""),
    "os.security_patch_age_days": ("Security patch age", "days"),
    "os.vendor_security_patch": ("Vendor security patch date", ""),
    "os.play_system_update": ("Google Play system update date", ""),
    "os.release_supported": ("This Android release", "still supported/no longer supported"),
    "os.build_type": ("Build type", ""),
    "os.build_tags": ("Build signing keys", ""),
    "os.gms": ("Google services", "present/absent"),
    "lock.secure": ("Screen lock", "a PIN, pattern or password/none or swipe"),
    "lock.credential": ("Screen lock type", ""),
    "lock.auto_lock_s": ("Auto-lock delay after the screen turns off", "s"),
    "screen.off_timeout_s": ("Screen timeout", "s"),
    "lock.power_button_locks": ("\"Power button instantly locks\"", "on/off"),
    "lock.trust_agents": ("Smart Lock trust agents", ""),
    "lock.users": ("Screen lock per user", ""),
    "lock.device_locked": ("The phone locked right now", "yes/no"),
    "device.owner": ("Device owner app", ""),
    "device.profile_owner": ("Profile owner app", ""),
    "lock.notifications_shown": ("Showing notifications on the lock screen", "on/off"),
    "lock.private_notifications_shown": ("Showing what notifications say on the lock screen",
                                         "on/off"),
    "backup.enabled": ("Backup", "on/off"),
    "backup.transport": ("Backup service", ""),
    "backup.cloud": ("Backup to the cloud", "yes/no"),
    "backup.e2e_possible": ("End-to-end encrypted cloud backup", "possible/not possible"),
    "mms.default_sms_app": ("Default SMS app", ""),
    "mms.auto_retrieve": ("Automatic MMS download", "on/off"),
    "mms.auto_retrieve_roaming": ("Automatic MMS download while roaming", "on/off"),
    "mms.auto_retrieve_source": ("How MMS auto-download was read", ""),
    "mms.auto_retrieve_read_at": ("When the SMS app's settings screen was read", ""),
    "mms.ui_probe_status": ("Reading the SMS app's settings screen", ""),
    "apps": ("Installed apps", ""),
    "apps.third_party_count": ("Apps not from the phone's maker", "apps"),
    "adb.enabled": ("USB debugging", "on/off"),
    "adb.wifi_enabled": ("Wireless debugging", "on/off"),
    "dev.options_enabled": ("Developer options", "on/off"),
    "verify.play_protect": ("Play Protect app scanning", "on/off"),
    "verify.adb_installs": ("Checking of apps installed over USB", "on/off"),
    "install.unknown_sources": ("Installing apps from unknown sources", "allowed/blocked"),
    "crypto.state": ("Encryption", ""),
    "crypto.type": ("Encryption type", ""),
    "boot.verified_state": ("Verified boot state", ""),
    "boot.bootloader_locked": ("Bootloader", "locked/unlocked"),
    "selinux.mode": ("SELinux", ""),
    "root.indicators": ("Signs of root", ""),
    "net.private_dns_mode": ("Private DNS mode", ""),
    "users.count": ("Users on the phone", "users"),
    "accessibility.users": ("Accessibility services per user", ""),
    "users.guest": ("Guest user", "present/absent"),
    "users.secondary": ("Other full users", "users"),
    "lock.lockdown_in_power_menu": ("Lockdown in the power menu", "offered/not offered"),
    "lock.biometrics_enrolled": ("Fingerprint or face unlock", "set up/not set up"),
    "lock.biometrics": ("Fingerprints and faces per user", ""),
    "verify.upload_apks": ("Sending unknown apps to Google for analysis", "on/off"),
    "input.default_ime": ("Default keyboard", ""),
    "time.auto": ("Automatic date and time", "on/off"),
    "iocs.indicator_count": ("Indicators loaded", "indicators"),
    "iocs.matched_apps": ("Apps named by an indicator", ""),
}


def _brief(value: FactValue) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _spec(name: str, type_: str, meaning: str, sources: str) -> FactSpec:
    label, unit = _WORDS.get(name, ("", ""))
    return FactSpec(name, type_, meaning, sources, FACT_PROBES[name], label, unit)


FACT_SPECS: tuple[FactSpec, ...] = (
    _spec("device.manufacturer", "str", "maker", "getprop ro.product.manufacturer"),
    _spec("device.model", "str", "model", "getprop ro.product.model"),
    _spec("device.serial", "str", "serial number (redactable)", "getprop ro.serialno; adb serial"),
    _spec("device.name", "str", "product/device code name", "getprop ro.product.device"),
    _spec("os.release", "str", "Android release", "getprop ro.build.version.release"),
    _spec("os.sdk", "int", "API level", "getprop ro.build.version.sdk"),
    _spec("os.fingerprint", "str", "build fingerprint", "getprop ro.build.fingerprint"),
    _spec("os.security_patch", "date", "security patch level (YYYY-MM-DD)",
          "getprop ro.build.version.security_patch"),
    _spec("os.security_patch_age_days", "int", "days from patch date to scan time",
          "os.security_patch and the scan time"),
    _spec("os.vendor_security_patch", "date", "vendor security patch level",
          "getprop ro.vendor.build.security_patch"),
    _spec("os.play_system_update", "date", "Google Play system update (mainline) date",
          "dumpsys package com.google.android.modulemetadata versionName"),
    _spec("os.release_supported", "bool", "release still gets security bulletins",
          "os.sdk and rules/data/android_releases.toml"),
    _spec("os.build_type", "str", "user / userdebug / eng", "getprop ro.build.type"),
    _spec("os.build_tags", "str", "release-keys / test-keys", "getprop ro.build.tags"),
    _spec("os.gms", "bool", "Google Mobile Services present",
          "pm list packages, dumpsys package (com.google.android.gms); "
          "getprop ro.com.google.gmsversion (present only)"),
    _spec("lock.secure", "bool", "a PIN, pattern or password protects the lock screen",
          "dumpsys lock_settings; dumpsys window policy (false only)"),
    _spec("lock.credential", "enum", "none, swipe, pattern, pin, password",
          "dumpsys lock_settings CredentialType / quality"),
    _spec("lock.auto_lock_s", "int", "lock after screen off, seconds",
          "settings secure lock_screen_lock_after_timeout"),
    _spec("screen.off_timeout_s", "int", "screen off after inactivity, seconds",
          "settings system screen_off_timeout"),
    _spec("lock.power_button_locks", "bool", "power button locks instantly",
          "settings secure lockscreen.power_button_instantly_locks"),
    _spec("lock.trust_agents", "list[str]", "enabled trust agents (Smart Lock)",
          "dumpsys trust; settings secure enabled_trust_agents"),
    _spec("lock.users", "list[obj]", "per user: user id, credential, secure (null = unknown)",
          "dumpsys lock_settings User blocks"),
    _spec("lock.device_locked", "bool", "the current user's device is locked right now",
          "dumpsys trust deviceLocked="),
    _spec("device.owner", "str", "device owner package (\"\" when none is set)",
          "dumpsys device_policy Device Owner"),
    _spec("device.profile_owner", "str", "profile owner package of user 0 (\"\" when none)",
          "dumpsys device_policy Profile Owner (User 0)"),
    _spec("lock.notifications_shown", "bool", "notifications appear on the lock screen",
          "settings secure lock_screen_show_notifications"),
    _spec("lock.private_notifications_shown", "bool",
          "notification content appears on the lock screen",
          "settings secure lock_screen_allow_private_notifications"),
    _spec("backup.enabled", "bool", "backup manager enabled",
          "dumpsys backup; settings secure backup_enabled"),
    _spec("backup.transport", "str", "current backup transport",
          "dumpsys backup; settings secure backup_transport"),
    _spec("backup.cloud", "bool", "transport sends data off the device", "backup.transport"),
    _spec("backup.e2e_possible", "bool", "a cloud backup can be end-to-end encrypted",
          "lock.secure and os.sdk >= 28"),
    _spec("mms.default_sms_app", "str", "package holding the SMS role",
          "cmd role get-role-holders; dumpsys role; settings secure sms_default_application"),
    _spec("mms.auto_retrieve", "bool", "default SMS app downloads MMS without a tap",
          "the app's settings screen (--ui-probe), app preferences (root) or --attest"),
    _spec("mms.auto_retrieve_roaming", "bool", "auto-retrieve also while roaming",
          "the app's settings screen (--ui-probe), app preferences (root) or --attest"),
    _spec("mms.auto_retrieve_source", "enum",
          "screen, root-prefs, provider, attested, unreadable",
          "how mms.auto_retrieve was read"),
    _spec("mms.auto_retrieve_read_at", "str", "when the SMS app's settings screen was read "
          "(UTC)", "scan --ui-probe (uiautomator dump)"),
    _spec("mms.ui_probe_status", "enum", "read, or why the screen was not read "
          "(phone_locked, wrong_screen, label_not_found, ...)",
          "scan --ui-probe (uiautomator dump)"),
    _spec("apps", "list[obj]", "installed packages with grants and special access",
          "pm list packages; dumpsys package; settings secure; dumpsys device_policy; appops"),
    _spec("apps.third_party_count", "int", "number of non-system packages", "apps"),
    _spec("adb.enabled", "bool", "USB debugging on", "settings global adb_enabled"),
    _spec("adb.wifi_enabled", "bool", "wireless debugging on", "settings global adb_wifi_enabled"),
    _spec("dev.options_enabled", "bool", "developer options on",
          "settings global development_settings_enabled"),
    _spec("verify.play_protect", "bool", "Play Protect scans apps",
          "settings global package_verifier_enable (null on non-GMS)"),
    _spec("verify.adb_installs", "bool", "apps installed over ADB are verified",
          "settings global verifier_verify_adb_installs"),
    _spec("install.unknown_sources", "bool", "legacy global unknown-sources switch",
          "settings secure/global install_non_market_apps (Android < 8)"),
    _spec("crypto.state", "str", "encrypted / unencrypted", "getprop ro.crypto.state"),
    _spec("crypto.type", "str", "file / block", "getprop ro.crypto.type"),
    _spec("boot.verified_state", "str", "green / yellow / orange / red",
          "getprop ro.boot.verifiedbootstate"),
    _spec("boot.bootloader_locked", "bool", "bootloader locked",
          "getprop ro.boot.flash.locked; ro.boot.vbmeta.device_state"),
    _spec("selinux.mode", "str", "enforcing / permissive / disabled", "getenforce"),
    _spec("root.indicators", "list[str]", "su binaries, root-manager packages",
          "which su; pm list packages"),
    _spec("net.private_dns_mode", "str", "off / opportunistic / hostname",
          "settings global private_dns_mode"),
    _spec("users.count", "int", "number of users (profiles) on the phone", "pm list users"),
    _spec("accessibility.users", "list[obj]",
          "per user: user id, enabled accessibility services (null = unreadable)",
          "dumpsys accessibility Enabled services"),
    _spec("users.guest", "bool", "a guest user exists", "pm list users (FLAG_GUEST)"),
    _spec("users.secondary", "int", "full users other than the owner (work profiles excluded)",
          "pm list users (flags)"),
    _spec("lock.lockdown_in_power_menu", "bool", "the power menu offers Lockdown (Android 9+)",
          "settings secure lockdown_in_power_menu"),
    _spec("lock.biometrics_enrolled", "bool", "a fingerprint or face is enrolled (user 0)",
          "dumpsys fingerprint and dumpsys face enrolment counts; --attest"),
    _spec("lock.biometrics", "list[obj]",
          "per user: user id, enrolled fingerprints, faces (null = unread)",
          "dumpsys fingerprint, dumpsys face `prints` sets"),
    _spec("verify.upload_apks", "bool", "Play Protect sends unknown apps to Google for analysis",
          "settings global upload_apk_enable (null on non-GMS)"),
    _spec("input.default_ime", "str", "package of the default keyboard",
          "settings secure default_input_method"),
    _spec("time.auto", "bool", "date and time are set from the network",
          "settings global auto_time"),
    _spec("iocs.indicator_count", "int", "app indicators loaded from --iocs (null without it)",
          "--iocs STIX2 file"),
    _spec("iocs.matched_apps", "list[str]", "installed packages named by an --iocs indicator",
          "apps and the --iocs file"),
)

FACT_NAMES: frozenset[str] = frozenset(s.name for s in FACT_SPECS)
SPECS_BY_NAME: dict[str, FactSpec] = {s.name: s for s in FACT_SPECS}


@dataclass
class FactSet:
    """Facts read from one capture, by name. Later readings never overwrite a known value."""

    facts: dict[str, Fact] = field(default_factory=dict)

    def add(self, fact: Fact) -> None:
        current = self.facts.get(fact.name)
        if current is None or (not current.known and fact.known):
            self.facts[fact.name] = fact

    def add_reading(self, fact: Fact) -> None:
        """A parser's reading. Two readings of one fact that disagree resolve to the worse
        one, never the better: lists (who holds a special access, which agents run) join,
        anything else becomes unknown with both readings in the note. A reading that
        agrees with, or adds to, an unknown one is taken as `add` takes it."""
        current = self.facts.get(fact.name)
        if current is None or not current.known or not fact.known or current.value == fact.value:
            self.add(fact)
            return
        said = (f"{current.source or '?'} says {_brief(current.value)}, "
                f"{fact.source or '?'} says {_brief(fact.value)}")
        evidence = tuple(dict.fromkeys(current.evidence + fact.evidence))
        source = "+".join(dict.fromkeys((current.source, fact.source)))
        if isinstance(current.value, list) and isinstance(fact.value, list):
            joined = list(current.value) + [v for v in fact.value if v not in current.value]
            self.facts[fact.name] = Fact(fact.name, joined, source, evidence,
                                         f"sources disagree ({said}): both are counted")
            return
        self.facts[fact.name] = Fact(fact.name, None, source, evidence,
                                     f"sources disagree ({said}): unknown")

    def refute(self, name: str, note: str) -> None:
        """A later check shows a reading cannot be true (a patch date after the scan):
        the fact becomes unknown, keeping its evidence."""
        current = self.facts.get(name)
        evidence = current.evidence if current is not None else ()
        source = current.source if current is not None else ""
        self.facts[name] = Fact(name, None, source, evidence, note)

    def set(self, name: str, value: FactValue, source: str,
            evidence: tuple[str, ...] | list[str] = (), note: str = "") -> None:
        self.add(Fact(name, value, source, tuple(evidence), note))

    def unknown(self, name: str, source: str, note: str) -> None:
        self.add(Fact(name, None, source, (), note))

    def get(self, name: str) -> Fact | None:
        return self.facts.get(name)

    def value(self, name: str) -> FactValue:
        fact = self.facts.get(name)
        return None if fact is None else fact.value

    def __iter__(self) -> Iterator[Fact]:
        return iter(self.facts.values())

    def __contains__(self, name: object) -> bool:
        return name in self.facts

    def values(self) -> dict[str, FactValue]:
        return {name: fact.value for name, fact in sorted(self.facts.items())}
