"""Inputs and the comparison for the metamorphic tests (mutations: tests/parsers/metamorphic.py).

Inputs are the corpus files (read as they are, never edited), the parser fixtures and the
demo phone's probes. A variant's facts must say what the original's say, or less.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from droidaudit.decode import decode
from droidaudit.facts import Fact
from droidaudit.parsers.registry import PARSERS
from tests.corpus import ALTERNATE_FILES, FILE_TO_PROBE, corpus_profiles

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
DEMO = ROOT / "fixtures" / "demo-pixel7-a14" / "probes"


@dataclass(frozen=True)
class Sample:
    """One real output and the probe whose parser reads it."""

    label: str
    probe: str
    data: bytes


# mms_prefs fixtures are one folder for four probes: the file name says which.
_MMS_FILES = {"com.android.mms_preferences": "mms_prefs_legacy",
              "buglesub": "mms_prefs_bugle_subs", "bugle.xml": "mms_prefs_bugle",
              "samsung": "mms_prefs_samsung"}


def _fixture_probe(path: Path) -> str | None:
    folder = path.parent.name
    if folder in PARSERS:
        return folder
    if folder == "mms_prefs":
        return next((p for key, p in _MMS_FILES.items() if key in path.name), None)
    return None


def samples() -> list[Sample]:
    """Corpus files (mapped as tests/corpus.py maps them), parser fixtures, the demo phone."""
    found: list[Sample] = []
    for profile in corpus_profiles():
        for relative, probe in {**FILE_TO_PROBE, **ALTERNATE_FILES}.items():
            path = profile / relative
            if path.is_file():
                found.append(Sample(f"corpus/{profile.name}/{relative}", probe,
                                    path.read_bytes()))
    for path in sorted(FIXTURES.glob("*/*")):
        reader = _fixture_probe(path)
        if reader is not None and path.is_file():
            found.append(Sample(f"fixture/{path.parent.name}/{path.name}", reader,
                                path.read_bytes()))
    for path in sorted(DEMO.glob("*.txt")):
        if path.stem in PARSERS:
            found.append(Sample(f"demo/{path.name}", path.stem, path.read_bytes()))
    return found


# -- comparison ------------------------------------------------------------------------------


def _normal(value: object) -> object:
    """Order of list items is not a fact: lists compare as sorted."""
    if isinstance(value, list):
        return sorted((_normal(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, dict):
        return {str(k): _normal(v) for k, v in value.items()}
    return value


def readings(facts: list[Fact]) -> dict[str, Fact]:
    """Facts by name; the first reading of a name is the one derive keeps (FactSet.add)."""
    out: dict[str, Fact] = {}
    for fact in facts:
        if fact.name not in out or (out[fact.name].value is None and fact.value is not None):
            out[fact.name] = fact
    return out


def parse(probe: str, data: bytes) -> dict[str, Fact]:
    return readings(PARSERS[probe](decode(data)))


_IDENTITY = ("package", "user", "id")


def covers(original: object, variant: object) -> bool:
    """The variant says the same as the original, or less (`None` where it could not read
    a part: a user's credential, a package's grants); never something else. Lists must
    have the same items (a shorter list of grants would read as fewer grants)."""
    if variant is None or original == variant:
        return True
    if isinstance(original, dict) and isinstance(variant, dict):
        # `conflict` says why an entry is unknown (a package block that reads two ways)
        return (original.keys() <= variant.keys() <= original.keys() | {"conflict"}
                and all(covers(original[k], variant[k]) for k in original))
    if isinstance(original, list) and isinstance(variant, list):
        return len(original) == len(variant) and _items_covered(original, variant)
    return False


def _items_covered(original: list[object], variant: list[object]) -> bool:
    if _normal(original) == _normal(variant):
        return True
    key = next((k for k in _IDENTITY if all(isinstance(v, dict) and k in v
                                             for v in [*original, *variant])), None)
    if key is not None:
        by_key = {json.dumps(o[key]): o for o in original if isinstance(o, dict)}
        return all(isinstance(v, dict) and covers(by_key.get(json.dumps(v[key])), v)
                   for v in variant)
    unused = list(original)
    for item in variant:
        match = next((i for i, o in enumerate(unused) if covers(o, item)), None)
        if match is None:
            return False
        unused.pop(match)
    return True


def changed(original: dict[str, Fact], variant: dict[str, Fact]) -> list[str]:
    """Facts of the variant that say something the original does not (the one failure)."""
    problems = []
    for name, fact in variant.items():
        before = original.get(name)
        was = None if before is None else before.value
        if fact.value is not None and (was is None or not covers(was, fact.value)):
            problems.append(f"{name}: {_short(was)} → {_short(fact.value)}")
    return problems


def lost(original: dict[str, Fact], variant: dict[str, Fact]) -> list[str]:
    """Facts known on the original and unknown (or absent) on the variant."""
    return [name for name, fact in original.items()
            if fact.value is not None and (name not in variant or variant[name].value is None)]


def unexplained(original: dict[str, Fact], variant: dict[str, Fact]) -> list[str]:
    """Facts that became unknown with no note saying which probe and line: a person could
    not tell what to report."""
    return [name for name in lost(original, variant)
            if name in variant and not variant[name].note]


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) < 100 else text[:97] + "..."
