"""Capture → facts: run every parser on its probe, then put together the facts that need
several probes. Never raises for anything a capture holds: a failing parser makes its
facts unknown with the reason, and every fact in the vocabulary ends up present (known
or unknown with a note), so rules always see why something is missing.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

from droidaudit.capture import Capture
from droidaudit.facts import FACT_SPECS, Fact, FactSet
from droidaudit.facts.apps import build_apps
from droidaudit.facts.attest import Attestation, apply_attestations
from droidaudit.facts.biometrics import add_biometrics
from droidaudit.facts.iocs import ioc_facts
from droidaudit.facts.releases import release_supported_fact
from droidaudit.facts.sensitive import sensitive_groups
from droidaudit.parsers.registry import BYTES_PARSERS, PARSERS
from droidaudit.parsers.sms_role import resolve_default_sms_app
from droidaudit.probes import PROBES_BY_NAME
from droidaudit.sources.indicators import IocSet

log = logging.getLogger(__name__)

# Backup transports that keep data on the phone (AOSP LocalTransport) or send nothing.
_LOCAL_TRANSPORTS = ("com.android.localtransport", "android/com.android.internal.backup")


def extract_facts(capture: Capture, scanned_at: datetime,
                  attestations: Sequence[Attestation] = (),
                  iocs: IocSet | None = None) -> FactSet:
    """All facts of a capture; attestations fill what the phone could not answer, and an
    indicator file (--iocs) is matched against the installed packages."""
    facts = FactSet()
    for probe, parse in PARSERS.items():
        output = capture.probes.get(probe)
        if output is None or not output.usable:
            continue
        try:
            raw = BYTES_PARSERS.get(probe)  # big dumps: parsed without a whole decoded copy
            for fact in raw(output.data) if raw else parse(output.text()):
                facts.add_reading(bounded(_naming_probe(fact, probe)))
        except Exception as exc:  # a parser bug must not stop the scan
            log.warning("parser for %s failed: %s", probe, exc)
            facts.set(f"_error.{probe}", str(exc), probe, note=f"parser failed: {exc}")
    add_biometrics(facts)  # the phone's answer, before any attestation
    apply_attestations(facts, attestations)
    _derive(facts, capture, scanned_at.date())
    for fact in ioc_facts(iocs, facts):
        facts.add(fact)
    _fill_unknowns(facts, capture)
    return facts


def _naming_probe(fact: Fact, probe: str) -> Fact:
    """An unknown reading's note names the command it came from (the report's "could not be
    checked" list shows the note and the raw lines, so a person can say what to report)."""
    if fact.known or not fact.note:
        return fact
    known = PROBES_BY_NAME.get(probe)
    command = known.command.split(" ||")[0] if known is not None else probe
    if command in fact.note or probe in fact.note:
        return fact
    return Fact(fact.name, fact.value, fact.source, fact.evidence, f"{command}: {fact.note}")


MAX_TEXT = 1024  # characters of one device string kept in a fact or an evidence line
MAX_EVIDENCE = 200  # evidence lines kept per fact


def _cut(text: str) -> str:
    if len(text) <= MAX_TEXT:
        return text
    return f"{text[:MAX_TEXT]}… ({len(text) - MAX_TEXT} more characters cut)"


def _bounded_value(value: object, depth: int = 0) -> object:
    if isinstance(value, str):
        return _cut(value)
    if depth > 4:
        return value
    if isinstance(value, list):
        return [_bounded_value(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {k: _bounded_value(v, depth + 1) for k, v in value.items()}
    return value


def bounded(fact: Fact) -> Fact:
    """A reading with every device string cut to MAX_TEXT characters and at most
    MAX_EVIDENCE evidence lines: a 50 MB `ro.product.model` must not make a 150 MB report.
    Cheap for normal facts: nothing is copied unless something is too long."""
    value = fact.value
    if (isinstance(value, str) and len(value) > MAX_TEXT) or isinstance(value, list | dict):
        value = _bounded_value(value)
    evidence = fact.evidence
    if len(evidence) > MAX_EVIDENCE or any(len(line) > MAX_TEXT for line in evidence):
        evidence = tuple(_cut(line) for line in evidence[:MAX_EVIDENCE])
    note = _cut(fact.note)
    if value is fact.value and evidence is fact.evidence and note is fact.note:
        return fact
    return replace(fact, value=value, evidence=evidence, note=note)


def _derive(facts: FactSet, capture: Capture, today: date) -> None:
    _implausible_dates(facts, today)
    _patch_age(facts, today)
    _backup_cloud(facts)
    resolve_default_sms_app(facts)
    _trust_agents(facts)
    for fact in build_apps(facts):
        facts.add(fact)
    _gms_from_build(facts)
    _sensitive_groups(facts)
    _users(facts)
    sdk = facts.value("os.sdk")
    facts.add(release_supported_fact(sdk if isinstance(sdk, int) else None, today))
    _mms_auto_retrieve(facts)


# Dates a phone reports about its own updates; none can lie after the scan.
_UPDATE_DATES = ("os.security_patch", "os.vendor_security_patch", "os.play_system_update")


def _implausible_dates(facts: FactSet, today: date) -> None:
    """A patch date after the scan date (`2099-01-01`) would read as brand new and pass
    every age check: it is an error, the fact unknown, and the report says why."""
    for name in _UPDATE_DATES:
        fact = facts.get(name)
        if fact is None or not fact.known:
            continue
        try:
            when = date.fromisoformat(str(fact.value))
        except ValueError:
            continue
        if when > today:
            note = (f"{name} {fact.value} is after the scan date {today.isoformat()}: "
                    "implausible (a forged property or a wrong clock), so not used")
            facts.refute(name, note)
            facts.set(f"_warning.{name}", note, fact.source, fact.evidence, note)


def _patch_age(facts: FactSet, today: date) -> None:
    patch = facts.get("os.security_patch")
    if patch is None or not patch.known:
        if patch is not None and patch.note:
            facts.unknown("os.security_patch_age_days", patch.source, patch.note)
        return
    try:
        age = (today - date.fromisoformat(str(patch.value))).days
    except ValueError:
        return
    facts.set("os.security_patch_age_days", age, "getprop", patch.evidence,
              f"patch {patch.value}, scanned {today.isoformat()}")


def _backup_cloud(facts: FactSet) -> None:
    transport = facts.get("backup.transport")
    if transport is None or not transport.known:
        return
    name = str(transport.value)
    is_local = any(name.startswith(prefix) for prefix in _LOCAL_TRANSPORTS)
    facts.set("backup.cloud", not is_local, transport.source, transport.evidence)
    sdk, secure = facts.value("os.sdk"), facts.value("lock.secure")
    if not is_local and isinstance(sdk, int) and isinstance(secure, bool):
        # Android 9+ encrypts cloud backups end to end with a key derived from the
        # lock-screen credential; with no credential there is nothing to derive it from.
        facts.set("backup.e2e_possible", sdk >= 28 and secure, transport.source,
                  transport.evidence, "needs Android 9+ and a lock-screen credential")


def _gms_from_build(facts: FactSet) -> None:
    """os.gms: the package list first (present or absent, apps.py); when it cannot say,
    a GMS build's `ro.com.google.gmsversion` says present. Never absent from getprop."""
    build = facts.get("_getprop.gms_version")
    if build is not None and build.known:
        facts.add(Fact("os.gms", True, build.source, build.evidence,
                       "a GMS build (ro.com.google.gmsversion set by partner_gms gms.mk, which "
                       "ships com.google.android.gms); the package list could not say"))


def _trust_agents(facts: FactSet) -> None:
    fallback = facts.get("_settings.trust_agents")
    if fallback is not None and fallback.known:
        facts.add(Fact("lock.trust_agents", fallback.value, fallback.source, fallback.evidence,
                       "enabled_trust_agents setting"))


def _mms_auto_retrieve(facts: FactSet) -> None:
    """MMS auto-retrieve lives in the SMS app's private preferences: without root (or a
    person's attestation) it cannot be read, and the report must say so. A root reading
    or an attestation set it already; a failed root reading keeps its own reason."""
    note = ("the setting is private to the SMS app: read it from the app's screen "
            "(scan --ui-probe), as root (--use-root), or record what you saw (--attest); "
            "or check it by hand")
    facts.unknown("mms.auto_retrieve", "", note)
    facts.unknown("mms.auto_retrieve_roaming", "", note)
    source = facts.get("mms.auto_retrieve_source")
    if source is None or not source.known:
        facts.set("mms.auto_retrieve_source", "unreadable", "", note=note)


# UserInfo flags (frameworks/base/core/java/android/content/pm/UserInfo.java).
_FLAG_GUEST = 0x4
_FLAG_MANAGED_PROFILE = 0x20
_FLAG_PROFILE = 0x1000  # Android 11+: any profile (work, clone, private space)


def _users(facts: FactSet) -> None:
    """users.guest and users.secondary from `pm list users` (work profiles are not users)."""
    users = facts.get("_users")
    if users is None or not isinstance(users.value, list):
        note = users.note if users is not None and users.note else "pm list users unreadable"
        facts.unknown("users.guest", "users", note)
        facts.unknown("users.secondary", "users", note)
        return
    entries = [u for u in users.value if isinstance(u, dict)]
    guests = [u for u in entries if int(u.get("flags", 0)) & _FLAG_GUEST]
    secondary = [u for u in entries if u.get("id") != 0
                 and not int(u.get("flags", 0)) & (_FLAG_MANAGED_PROFILE | _FLAG_PROFILE)]
    facts.set("users.guest", bool(guests), users.source, users.evidence,
              f"guest user id {guests[0].get('id')}" if guests else "")
    facts.set("users.secondary", len(secondary), users.source, users.evidence,
              "flags read from UserInfo{id:name:flags}")


def _sensitive_groups(facts: FactSet) -> None:
    """Per app: which kinds of personal data its runtime grants reach (sensitive.py)."""
    apps = facts.value("apps")
    if not isinstance(apps, list):
        return
    for app in apps:
        if not isinstance(app, dict):
            continue
        granted = app.get("granted")
        groups = sensitive_groups(granted) if isinstance(granted, list) else None
        app["sensitive_groups"] = groups
        app["sensitive_group_count"] = len(groups) if groups is not None else None


def _fill_unknowns(facts: FactSet, capture: Capture) -> None:
    """Every vocabulary fact not read becomes unknown, saying where it would have come from
    and why those probes gave nothing (failed, cut off, or not captured)."""
    for spec in FACT_SPECS:
        if spec.name in facts:
            continue
        reasons = [capture.why_missing(name) for name in spec.probes]
        note = f"not read (from {spec.sources})"
        if any(reasons):
            note += "; " + "; ".join(r for r in reasons if r)
        facts.unknown(spec.name, "", note)
