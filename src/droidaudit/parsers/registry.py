"""Which parser reads which probe. Adding a parser is one import and one line here."""

from __future__ import annotations

from collections.abc import Callable

from droidaudit.facts import Fact
from droidaudit.parsers import (
    ProbeParser,
    accessibility,
    androidqf,
    backup,
    biometrics,
    device_policy,
    dumpsys_package,
    getprop,
    lock_settings,
    mms_prefs,
    packages,
    role,
    settings,
    sms_role,
    system_state,
    trust,
    ui_mms,
    ui_state,
    window_policy,
)

PARSERS: dict[str, ProbeParser] = {
    "getprop": getprop.parse_getprop,
    "settings_global": settings.parse_settings_global,
    "settings_secure": settings.parse_settings_secure,
    "settings_system": settings.parse_settings_system,
    "dumpsys_lock_settings": lock_settings.parse_lock_settings,
    "dumpsys_trust": trust.parse_trust,
    "dumpsys_backup": backup.parse_backup,
    "bmgr_enabled": backup.parse_bmgr_enabled,
    "dumpsys_device_policy": device_policy.parse_device_policy,
    "sms_role": sms_role.parse_sms_role,
    "dumpsys_role": role.parse_dumpsys_role,
    "getenforce": system_state.parse_getenforce,
    "which_su": system_state.parse_which_su,
    "packages": packages.parse_packages,
    "packages_third_party": packages.parse_packages_third_party,
    "users": packages.parse_users,
    "appops_install_unknown": packages.parse_appops_install_unknown,
    "appops_overlay": packages.parse_appops_overlay,
    "appops_usage_stats": packages.parse_appops_usage_stats,
    "dumpsys_package": dumpsys_package.parse_dumpsys_package,
    "dumpsys_accessibility": accessibility.parse_accessibility,
    "dumpsys_window_policy": window_policy.parse_window_policy,
    "dumpsys_fingerprint": biometrics.parse_fingerprint,
    "dumpsys_face": biometrics.parse_face,
    # screen reading (--ui-probe): what the app's own screen showed comes first
    "ui_mms_screen": ui_mms.parse_ui_mms,
    "ui_samsung_mms_prefs": ui_state.parse_samsung_provider,
    # root follow-ups (--use-root): AOSP Messaging per-SIM files before the older bugle.xml
    "mms_prefs_legacy": mms_prefs.parse_mms_prefs_legacy,
    "mms_prefs_bugle_subs": mms_prefs.parse_mms_prefs_bugle_subs,
    "mms_prefs_bugle": mms_prefs.parse_mms_prefs_bugle,
    "mms_prefs_samsung": mms_prefs.parse_mms_prefs_samsung,
    # imports only (AndroidQF, bugreports): never sent to a phone
    "dumpsys_settings": settings.parse_settings_dump,
    "androidqf_packages": androidqf.parse_androidqf_packages,
    "androidqf_root_binaries": androidqf.parse_androidqf_root_binaries,
}

# Probes whose parser also reads the raw bytes, decoding a piece at a time (same facts as
# PARSERS[probe](decode(data))): big dumps are never held as bytes and text at once.
BYTES_PARSERS: dict[str, Callable[[bytes], list[Fact]]] = {
    "dumpsys_package": dumpsys_package.parse_dumpsys_package_data,
}
