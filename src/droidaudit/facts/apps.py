"""Build the `apps` fact (installed packages with grants and special access) and the facts
that follow from the package list: `apps.third_party_count`, `os.gms`, `root.indicators`
and, when `pm list users` was unreadable, `users.count`.

A pure function of readings other parsers left in the FactSet: `_pm.packages`,
`_pm.third_party`, `_pkg.details`, `_pkg.user_ids`, `_special.*` and `_root.su_paths`.
It never reads a capture and never talks to a phone.

Principle 1 (never a false pass) shapes every choice here: with no readable package
probe `apps` is None, never `[]` (an empty list would make every per-app rule pass);
a per-app value nobody printed (grants of a shared-uid app, flags of a cut block) is
None; a special-access list that could not be read is named in each app's
`special_unknown` instead of silently reading as "no app has it".
"""

from __future__ import annotations

from typing import Any

from droidaudit.facts import Fact, FactSet

# Special access kinds → the reading that lists the packages holding it.
SPECIAL_READINGS: tuple[tuple[str, str], ...] = (
    ("accessibility", "_special.accessibility"),
    ("notification_listener", "_special.notification_listener"),
    ("device_admin", "_special.device_admin"),
    ("install_unknown_apps", "_special.install_unknown_apps"),
    ("overlay", "_special.overlay"),
    ("usage_access", "_special.usage_access"),
)

# Root managers: Magisk (and its Delta/Alpha forks), SuperSU, KernelSU, Superuser.
ROOT_PACKAGES: tuple[str, ...] = (
    "com.topjohnwu.magisk",
    "io.github.huskydg.magisk",
    "io.github.vvb2060.magisk",
    "eu.chainfire.supersu",
    "me.weishu.kernelsu",
    "com.noshufou.android.su",
    "com.koushikdutta.superuser",
)

GMS_PACKAGE = "com.google.android.gms"
FRAMEWORK_PACKAGE = "android"  # framework-res.apk: present on every phone
# Read-only partitions hold only preinstalled (system) apps; /data/app holds installed
# ones, but also updates of system apps, so a /data/app path is the weakest evidence.
_SYSTEM_PATHS = ("/system/", "/product/", "/vendor/", "/system_ext/", "/apex/", "/odm/")
_DATA_PATHS = ("/data/app/", "/mnt/expand/")

Details = dict[str, dict[str, Any]]


def build_apps(facts: FactSet) -> list[Fact]:
    pm = _known_list(facts, "_pm.packages")
    third = _known_list(facts, "_pm.third_party")
    details = _known_details(facts)
    third_names = {str(n) for n in third} if third is not None else None
    pm_by_name = {str(e["package"]): e for e in pm if isinstance(e, dict)} if pm else {}
    names = _universe(pm_by_name, pm is not None, third_names, details)
    source = _source(facts)
    full_list = pm is not None or details is not None
    if names is not None and full_list and FRAMEWORK_PACKAGE not in names:
        return _incomplete(facts, names, source)
    if names is None:
        note = "no package list readable (pm list packages, pm list packages -3, dumpsys package)"
        return [*_unknown_list_facts(source, note), *_root_indicators(facts, None),
                *_users_count(facts)]
    # A partial list (only `-3`) can show a root manager, never rule one out.
    root_names = names if full_list or names & set(ROOT_PACKAGES) else None
    out = [*_root_indicators(facts, root_names), *_users_count(facts)]
    special, special_unknown = _special_lists(facts)
    apps: list[dict[str, Any]] = []
    by_path = 0
    for name in sorted(names):
        info = (details or {}).get(name) or {}
        system, basis = _is_system(name, pm_by_name.get(name), info, third_names)
        by_path += basis == "path"
        apps.append(_app(name, system, pm_by_name.get(name), info, special, special_unknown))
    path_note = (f"system/third-party of {by_path} package(s) read from the install path "
                 "(an updated system app in /data/app counts as third-party)") if by_path else ""
    note = "; ".join(n for n in (_apps_note(apps, special_unknown, pm, details), path_note) if n)
    summary = f"{len(apps)} packages, {sum(1 for a in apps if a['system'] is False)} third-party"
    partial = "" if full_list else (
        "only `pm list packages -3` was readable (no full package list, no dumpsys package): "
        "an app missing from it cannot be ruled out")
    conflicts = tuple(str(info["conflict"]) for info in (details or {}).values()
                      if info.get("conflict"))
    out.insert(0, Fact("apps", apps, source, (summary, *conflicts), note, partial=partial))
    out.insert(1, _third_party_count(apps, source, path_note))
    out.insert(2, _gms(names, full_list, source))
    return out


def _unknown_list_facts(source: str, note: str) -> list[Fact]:
    return [Fact(name, None, source, (), note)
            for name in ("apps", "apps.third_party_count", "os.gms")]


def _incomplete(facts: FactSet, names: set[str], source: str) -> list[Fact]:
    """Every phone lists the framework package: without it the list is cut or edited, and
    what is missing could be the very app a rule looks for. What it does show still counts."""
    note = f"package list incomplete (no {FRAMEWORK_PACKAGE!r} package): cut or edited"
    out = _unknown_list_facts(source, note)
    if GMS_PACKAGE in names:
        out[2] = _gms(names, True, source)
    found_root = bool(names & set(ROOT_PACKAGES))
    return [*out, *_root_indicators(facts, names if found_root else None), *_users_count(facts)]


# -- readings -----------------------------------------------------------------------------


def _known_list(facts: FactSet, name: str) -> list[Any] | None:
    value = facts.value(name)
    return value if isinstance(value, list) else None


def _known_details(facts: FactSet) -> Details | None:
    value = facts.value("_pkg.details")
    return value if isinstance(value, dict) else None


def _source(facts: FactSet) -> str:
    probes = [facts.get(n) for n in ("_pm.packages", "_pm.third_party", "_pkg.details")]
    names = sorted({f.source for f in probes if f is not None and f.known})
    return "+".join(names) if names else "packages"


def _universe(pm_by_name: dict[str, Any], pm_known: bool, third: set[str] | None,
              details: Details | None) -> set[str] | None:
    """Installed packages: pm's list (user 0) plus dumpsys packages installed for any user."""
    if not pm_known and details is None:
        return set(third) if third is not None else None
    names = set(pm_by_name)
    for name, info in (details or {}).items():
        users = info.get("users")
        if users or (users is None and not pm_known):
            names.add(name)
    return names


def _special_lists(facts: FactSet) -> tuple[dict[str, set[str]], list[str]]:
    known: dict[str, set[str]] = {}
    unknown: list[str] = []
    for kind, reading in SPECIAL_READINGS:
        value = facts.value(reading)
        if isinstance(value, list):
            known[kind] = {str(p) for p in value}
        else:
            unknown.append(kind)
    return known, unknown


# -- one app ------------------------------------------------------------------------------


def _app(name: str, system: bool | None, pm_entry: dict[str, Any] | None,
         info: dict[str, Any], special: dict[str, set[str]],
         special_unknown: list[str]) -> dict[str, Any]:
    installer = info.get("installer")
    if installer is None and pm_entry is not None:
        installer = pm_entry.get("installer")
    return {
        "package": name,
        "system": system,
        "installer": installer,
        "version": info.get("version"),
        "target_sdk": info.get("target_sdk"),
        "granted": info.get("granted"),
        "special": [kind for kind, _ in SPECIAL_READINGS if name in special.get(kind, ())],
        "special_unknown": list(special_unknown),
        "allow_backup": info.get("allow_backup"),
        "users": info.get("users"),
    }


def _is_system(name: str, pm_entry: dict[str, Any] | None, info: dict[str, Any],
               third: set[str] | None) -> tuple[bool | None, str]:
    """FLAG_SYSTEM from dumpsys, else `pm list packages -3` membership, else the path."""
    flag = info.get("system")
    if isinstance(flag, bool):
        return flag, "flags"
    if third is not None and name in third:
        return False, "third-party list"
    if third is not None and pm_entry is not None:
        return True, "third-party list"  # pm listed it for the same user, -3 did not
    path = str((pm_entry or {}).get("path") or info.get("path") or "")
    if path.startswith(_SYSTEM_PATHS):
        return True, "path"
    if path.startswith(_DATA_PATHS):
        return False, "path"  # may be an updated system app: errs towards more scrutiny
    return None, ""


def _apps_note(apps: list[dict[str, Any]], special_unknown: list[str],
               pm: list[Any] | None, details: Details | None) -> str:
    notes: list[str] = []
    if pm is None and details is None:
        notes.append("only third-party packages known (pm list packages -3)")
    if details is None:
        notes.append("dumpsys package unreadable: versions, flags and grants unknown")
    no_grants = sum(1 for a in apps if a["granted"] is None)
    if details is not None and no_grants:
        notes.append(f"runtime grants unknown for {no_grants} package(s) "
                     "(shared uid, or no User line)")
    if special_unknown:
        notes.append("special access unreadable: " + ", ".join(special_unknown))
    return "; ".join(notes)


# -- facts that follow from the list --------------------------------------------------------


def _third_party_count(apps: list[dict[str, Any]], source: str, note: str) -> Fact:
    unknown = [a["package"] for a in apps if a["system"] is None]
    if unknown:
        return Fact("apps.third_party_count", None, source, (),
                    f"system or not unknown for {len(unknown)} package(s), e.g. {unknown[0]}")
    count = sum(1 for a in apps if a["system"] is False)
    return Fact("apps.third_party_count", count, source, (), note or "non-system packages")


def _gms(names: set[str], full_list: bool, source: str) -> Fact:
    if not full_list:
        return Fact("os.gms", None, source, (), "only the third-party package list is known")
    present = GMS_PACKAGE in names
    return Fact("os.gms", present, source, (GMS_PACKAGE,) if present else (),
                "" if present else f"{GMS_PACKAGE} is not installed")


def _root_indicators(facts: FactSet, names: set[str] | None) -> list[Fact]:
    su = _known_list(facts, "_root.su_paths")
    found = [str(p) for p in su or []]
    if names is not None:
        found += [p for p in ROOT_PACKAGES if p in names]
    missing = [what for what, value in (("which su", su), ("package list", names))
               if value is None]
    source = "which_su+packages"
    if missing and not found:
        return [Fact("root.indicators", None, source, (), "unreadable: " + ", ".join(missing))]
    note = ("partial: " + ", ".join(missing) + " unreadable") if missing else (
        "" if found else "no su on PATH, no root-manager package installed")
    return [Fact("root.indicators", found, source, tuple(found), note)]


def _users_count(facts: FactSet) -> list[Fact]:
    current = facts.get("users.count")
    user_ids = _known_list(facts, "_pkg.user_ids")
    if (current is not None and current.known) or not user_ids:
        return []
    return [Fact("users.count", len(user_ids), "dumpsys_package", (),
                 "users seen in dumpsys package User lines (pm list users unreadable)")]
