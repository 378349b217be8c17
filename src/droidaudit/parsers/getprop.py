"""`getprop` → build identity, patch levels, boot, encryption and build-type facts.

Format (system/core/toolbox/getprop.cpp, toybox getprop): `[name]: [value]` per line; a
value may span lines (it ends at the first line that ends with `]`).
"""

from __future__ import annotations

import re

from droidaudit.facts import Fact
from droidaudit.parsers.conflicts import KeyedValues

PROBE = "getprop"
_PROP_START = re.compile(r"^\[([^\]]+)\]:\s*\[(.*)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_properties(text: str) -> KeyedValues:
    """All properties; malformed lines are skipped, and a property printed twice with
    different values is a conflict (no value: conflicts.py)."""
    props = KeyedValues()
    name: str | None = None
    parts: list[str] = []
    for line in text.split("\n"):
        if name is None:
            match = _PROP_START.match(line.strip())
            if not match:
                continue
            name, rest = match.group(1), match.group(2)
            parts = [rest]
        else:
            parts.append(line)
        if parts[-1].rstrip().endswith("]"):
            value = "\n".join(parts).rstrip()[:-1]
            props.put(name, value, f"[{name}]: [{value}]")
            name = None
    return props


def _conflicted(props: KeyedValues, fact: str, *keys: str) -> Fact | None:
    """An unknown fact when any key it may be read from is in conflict."""
    for key in keys:
        if key in props.conflicts:
            evidence = tuple(f"[{key}]: [{v}]" for v in props.conflicts[key][:3])
            return Fact(fact, None, PROBE, evidence, props.conflict_note(key, "getprop"))
    return None


def _text_fact(props: KeyedValues, fact: str, *keys: str) -> Fact:
    if conflict := _conflicted(props, fact, *keys):
        return conflict
    for key in keys:
        value = (props.get(key) or "").strip()
        if value:
            return Fact(fact, value, PROBE, (f"[{key}]: [{value}]",))
    return Fact(fact, None, PROBE, (), f"{' / '.join(keys)} not set")


def _date_fact(props: KeyedValues, fact: str, key: str) -> Fact:
    if conflict := _conflicted(props, fact, key):
        return conflict
    value = (props.get(key) or "").strip()
    if _DATE.match(value):
        return Fact(fact, value, PROBE, (f"[{key}]: [{value}]",))
    note = f"{key} not set" if not value else f"{key} is not a date: {value!r}"
    return Fact(fact, None, PROBE, (), note)


def _sdk_fact(props: KeyedValues) -> Fact:
    if conflict := _conflicted(props, "os.sdk", "ro.build.version.sdk"):
        return conflict
    raw = (props.get("ro.build.version.sdk") or "").strip()
    if raw.isdigit():
        return Fact("os.sdk", int(raw), PROBE, (f"[ro.build.version.sdk]: [{raw}]",))
    return Fact("os.sdk", None, PROBE, (), "ro.build.version.sdk missing or not a number")


def _bootloader_fact(props: KeyedValues) -> Fact:
    if conflict := _conflicted(props, "boot.bootloader_locked", "ro.boot.flash.locked",
                               "ro.boot.vbmeta.device_state"):
        return conflict
    flash = (props.get("ro.boot.flash.locked") or "").strip()
    if flash in ("0", "1"):
        return Fact("boot.bootloader_locked", flash == "1", PROBE,
                    (f"[ro.boot.flash.locked]: [{flash}]",))
    state = (props.get("ro.boot.vbmeta.device_state") or "").strip()
    if state in ("locked", "unlocked"):
        return Fact("boot.bootloader_locked", state == "locked", PROBE,
                    (f"[ro.boot.vbmeta.device_state]: [{state}]",))
    return Fact("boot.bootloader_locked", None, PROBE, (),
                "neither ro.boot.flash.locked nor ro.boot.vbmeta.device_state is set")


def _crypto_facts(props: KeyedValues) -> list[Fact]:
    state = (props.get("ro.crypto.state") or "").strip()
    ctype = (props.get("ro.crypto.type") or "").strip()
    facts = [_text_fact(props, "crypto.state", "ro.crypto.state")]
    if conflict := _conflicted(props, "crypto.type", "ro.crypto.type"):
        facts.append(conflict)
    elif ctype:
        facts.append(Fact("crypto.type", ctype, PROBE, (f"[ro.crypto.type]: [{ctype}]",)))
    elif state == "encrypted":
        # Before Android 7 only full-disk (block) encryption existed and no type was set.
        facts.append(Fact("crypto.type", None, PROBE, (), "ro.crypto.type not set"))
    else:
        facts.append(Fact("crypto.type", None, PROBE, (), "ro.crypto.type not set"))
    return facts


def _gms_build_fact(props: KeyedValues) -> Fact:
    """`ro.com.google.gmsversion` is set by the GMS partner makefile
    (vendor/partner_gms/products/gms.mk, PRODUCT_PROPERTY_OVERRIDES) of every build that
    ships Google Mobile Services, next to GmsCore (com.google.android.gms) in
    PRODUCT_PACKAGES. Its presence says the build ships Play services; its absence says
    nothing (Pixels and custom ROMs with GApps do not set it)."""
    return _text_fact(props, "_getprop.gms_version", "ro.com.google.gmsversion")


def parse_getprop(text: str) -> list[Fact]:
    props = parse_properties(text)
    if not props:
        return []
    facts = [
        _text_fact(props, "device.manufacturer", "ro.product.manufacturer",
                   "ro.product.vendor.manufacturer", "ro.product.system.manufacturer"),
        _text_fact(props, "device.model", "ro.product.model", "ro.product.vendor.model",
                   "ro.product.system.model"),
        _text_fact(props, "device.name", "ro.product.device", "ro.product.vendor.device"),
        _text_fact(props, "device.serial", "ro.serialno", "ro.boot.serialno"),
        _text_fact(props, "os.release", "ro.build.version.release",
                   "ro.build.version.release_or_codename"),
        _sdk_fact(props),
        _text_fact(props, "os.fingerprint", "ro.build.fingerprint",
                   "ro.system.build.fingerprint"),
        _date_fact(props, "os.security_patch", "ro.build.version.security_patch"),
        _date_fact(props, "os.vendor_security_patch", "ro.vendor.build.security_patch"),
        _text_fact(props, "os.build_type", "ro.build.type"),
        _text_fact(props, "os.build_tags", "ro.build.tags"),
        _text_fact(props, "boot.verified_state", "ro.boot.verifiedbootstate"),
        _bootloader_fact(props),
        *_crypto_facts(props),
        _gms_build_fact(props),
    ]
    return facts
