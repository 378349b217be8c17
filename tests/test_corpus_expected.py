"""Every corpus profile gives exactly the facts a person reads in its files.

`tests/corpus_expected/<profile>.toml` was written by hand from the raw files (never from
our parsers' output). Each file accounts for every fact of the vocabulary: a value under
`[facts]`, or a name in `unknown` (it must be null: nothing in the files supports it).
`[apps]` holds the package count and what is read for single packages (`unknown_fields`:
fields that must be null); `[alternate."<file>".package]` replaces the packages expected
when a second capture of the same probe is read instead. Every mismatch of a profile is
reported at once; the totals are printed with `-s` (and checked to be zero).
"""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from droidaudit.facts import FACT_SPECS, FactSet
from droidaudit.facts.derive import extract_facts
from tests.corpus import CORPUS, alternates, capture_from_profile, corpus_profiles

EXPECTED = Path(__file__).parent / "corpus_expected"
SCANNED_AT = datetime(2026, 11, 24, tzinfo=UTC)  # the corpus captures' stated time
# Facts from policy tables, not from the phone's files: checked by the rules' own tests.
NOT_READ_FROM_FILES = {"os.release_supported"}
PROFILES = corpus_profiles()
pytestmark = pytest.mark.skipif(not PROFILES,
                                reason=f"no corpus at {CORPUS} (set DROIDAUDIT_CORPUS)")
TOTALS = {"profiles": 0, "captures": 0, "facts": 0, "mismatches": 0}


def load(profile: Path) -> dict[str, Any]:
    with (EXPECTED / f"{profile.name}.toml").open("rb") as handle:
        return tomllib.load(handle)


def _app_entries(facts: FactSet) -> dict[str, dict[str, Any]]:
    """Per-package values: the `apps` fact when known, else dumpsys package's readings."""
    apps = facts.value("apps")
    if isinstance(apps, list):
        return {str(a["package"]): a for a in apps}
    details = facts.value("_pkg.details")
    return details if isinstance(details, dict) else {}


def for_capture(expected: dict[str, Any], alternate: str | None) -> dict[str, Any]:
    """The expectations for the main capture, or for one read with `alternate` instead."""
    override = expected.get("alternate", {}).get(alternate) if alternate else None
    if override is None:
        return expected
    apps = dict(expected.get("apps", {}))
    apps["package"] = override.get("package", {})
    return {**expected, "apps": apps}


def check(facts: FactSet, expected: dict[str, Any]) -> tuple[int, list[str]]:
    checked, problems = 0, []
    for name, want in expected.get("facts", {}).items():
        checked += 1
        got = facts.value(name)
        if got != want:
            problems.append(f"{name}: expected {want!r}, got {got!r}")
    for name in expected.get("unknown", []):
        checked += 1
        got = facts.value(name)
        if got is not None:
            problems.append(f"{name}: expected unknown, got {got!r}")
    apps = expected.get("apps", {})
    if "count" in apps:
        checked += 1
        value = facts.value("apps")
        got = len(value) if isinstance(value, list) else None
        if got != apps["count"]:
            problems.append(f"apps: expected {apps['count']} packages, got {got}")
    entries = _app_entries(facts)
    for package, fields in apps.get("package", {}).items():
        entry = entries.get(package)
        if entry is None:
            checked += 1
            problems.append(f"apps[{package}]: not found")
            continue
        wanted = {k: v for k, v in fields.items() if k != "unknown_fields"}
        wanted |= {k: None for k in fields.get("unknown_fields", [])}
        for key, want in wanted.items():
            checked += 1
            if entry.get(key) != want:
                problems.append(f"apps[{package}].{key}: expected {want!r}, "
                                f"got {entry.get(key)!r}")
    return checked, problems


def test_every_profile_has_an_expectation_file_accounting_for_every_fact() -> None:
    gaps = []
    for profile in PROFILES:
        path = EXPECTED / f"{profile.name}.toml"
        if not path.is_file():
            gaps.append(f"{profile.name}: no {path.name}")
            continue
        expected = load(profile)
        named = set(expected.get("facts", {})) | set(expected.get("unknown", []))
        if "count" in expected.get("apps", {}):
            named.add("apps")
        missing = sorted(s.name for s in FACT_SPECS
                         if s.name not in named | NOT_READ_FROM_FILES)
        if missing:
            gaps.append(f"{profile.name}: says nothing about {missing}")
    assert gaps == []


@pytest.mark.parametrize("profile", PROFILES, ids=[p.name for p in PROFILES])
def test_profile_facts_match_what_a_person_reads(profile: Path) -> None:
    expected = load(profile)
    problems: list[str] = []
    TOTALS["profiles"] += 1
    for alternate in [None, *alternates(profile)]:
        facts = extract_facts(capture_from_profile(profile, alternate), SCANNED_AT)
        checked, found = check(facts, for_capture(expected, alternate))
        TOTALS["captures"] += 1
        TOTALS["facts"] += checked
        TOTALS["mismatches"] += len(found)
        label = f"[{alternate}] " if alternate else ""
        problems += [label + p for p in found]
    assert problems == [], f"{profile.name}:\n  " + "\n  ".join(problems)


def test_report_totals() -> None:
    """Runs last in this file: prints the figures (pytest -s) and checks the sum."""
    if TOTALS["profiles"] == 0:
        pytest.skip("the profile tests did not run in this session")
    print(f"\ncorpus: {TOTALS['profiles']} profiles, {TOTALS['captures']} captures, "
          f"{TOTALS['facts']} facts checked, {TOTALS['mismatches']} mismatches")
    assert TOTALS["mismatches"] == 0
