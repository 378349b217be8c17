"""Which probes answer each fact, in the order they are tried (data, not prose).

The facts stage uses it to say why a fact is unknown (each probe's own failure: not
captured, failed, cut off); the README's fact table is rendered from it
(`python scripts/facts_table.py`; `tests/test_readme.py` checks they agree). A derived fact
lists the probes its inputs come from. An empty tuple: no probe answers it (an attestation,
a root read, an indicator file, or nothing read-only exists yet).
"""

from __future__ import annotations

_GETPROP = ("getprop",)
_SETTINGS_SECURE = ("settings_secure",)
_SETTINGS_GLOBAL = ("settings_global",)

FACT_PROBES: dict[str, tuple[str, ...]] = {
    "device.manufacturer": _GETPROP,
    "device.model": _GETPROP,
    "device.serial": _GETPROP,
    "device.name": _GETPROP,
    "os.release": _GETPROP,
    "os.sdk": _GETPROP,
    "os.fingerprint": _GETPROP,
    "os.security_patch": _GETPROP,
    "os.security_patch_age_days": _GETPROP,
    "os.vendor_security_patch": _GETPROP,
    "os.play_system_update": ("dumpsys_package",),
    "os.release_supported": _GETPROP,
    "os.build_type": _GETPROP,
    "os.build_tags": _GETPROP,
    # the package list first (present or absent); a GMS build prop says present only
    "os.gms": ("packages", "packages_third_party", "dumpsys_package", "getprop"),
    "lock.secure": ("dumpsys_lock_settings", "dumpsys_window_policy"),
    "lock.credential": ("dumpsys_lock_settings",),
    "lock.auto_lock_s": _SETTINGS_SECURE,
    "screen.off_timeout_s": ("settings_system",),
    "lock.power_button_locks": _SETTINGS_SECURE,
    "lock.trust_agents": ("dumpsys_trust", "settings_secure"),
    "lock.users": ("dumpsys_lock_settings",),
    "lock.device_locked": ("dumpsys_trust",),
    "device.owner": ("dumpsys_device_policy",),
    "device.profile_owner": ("dumpsys_device_policy",),
    "lock.notifications_shown": _SETTINGS_SECURE,
    "lock.private_notifications_shown": _SETTINGS_SECURE,
    "backup.enabled": ("dumpsys_backup", "bmgr_enabled", "settings_secure"),
    "backup.transport": ("dumpsys_backup", "settings_secure"),
    "backup.cloud": ("dumpsys_backup", "settings_secure"),
    "backup.e2e_possible": ("dumpsys_lock_settings", "getprop"),
    "mms.default_sms_app": ("sms_role", "dumpsys_role", "settings_secure"),
    "mms.auto_retrieve": (),
    "mms.auto_retrieve_roaming": (),
    "mms.auto_retrieve_source": (),
    "mms.auto_retrieve_read_at": (),  # scan --ui-probe: ui_mms_screen, outside PROBES
    "mms.ui_probe_status": (),
    "apps": ("packages", "dumpsys_package", "packages_third_party", "users", "settings_secure",
             "dumpsys_accessibility", "dumpsys_device_policy", "appops_install_unknown",
             "appops_overlay", "appops_usage_stats"),
    "apps.third_party_count": ("packages_third_party", "packages"),
    "adb.enabled": _SETTINGS_GLOBAL,
    "adb.wifi_enabled": _SETTINGS_GLOBAL,
    "dev.options_enabled": _SETTINGS_GLOBAL,
    "verify.play_protect": _SETTINGS_GLOBAL,
    "verify.adb_installs": _SETTINGS_GLOBAL,
    "install.unknown_sources": ("settings_secure", "settings_global"),
    "crypto.state": _GETPROP,
    "crypto.type": _GETPROP,
    "boot.verified_state": _GETPROP,
    "boot.bootloader_locked": _GETPROP,
    "selinux.mode": ("getenforce",),
    "root.indicators": ("which_su", "packages"),
    "net.private_dns_mode": _SETTINGS_GLOBAL,
    "users.count": ("users",),
    "accessibility.users": ("dumpsys_accessibility",),
    "users.guest": ("users",),
    "users.secondary": ("users",),
    "lock.lockdown_in_power_menu": _SETTINGS_SECURE,
    "lock.biometrics_enrolled": ("dumpsys_fingerprint", "dumpsys_face"),
    "lock.biometrics": ("dumpsys_fingerprint", "dumpsys_face"),
    "verify.upload_apks": _SETTINGS_GLOBAL,
    "input.default_ime": _SETTINGS_SECURE,
    "time.auto": _SETTINGS_GLOBAL,
    "iocs.indicator_count": (),
    "iocs.matched_apps": ("packages", "packages_third_party"),
}
