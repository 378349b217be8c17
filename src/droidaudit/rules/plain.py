"""What a rule found, in plain words with units: the finding's `found` text.

Generated from the fact vocabulary's labels and units (`facts.FactSpec.label` / `.unit`,
item fields in `model.FIELD_WORDS`) and the operators' wanted-value phrases (`ops.Op.wants`),
never hand-written per rule: "Auto-lock delay after the screen turns off is 30 minutes
(1800 s); at most 5 seconds is safe". The raw fact names stay in the finding's `detail` and
evidence. Values are pasted into text, never interpreted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from droidaudit.facts import SPECS_BY_NAME
from droidaudit.rules.logic import Reading, Result
from droidaudit.rules.model import FIELD_WORDS
from droidaudit.rules.ops import OPS, contains_hits, fill
from droidaudit.rules.text import show

Role = Literal["check", "applies", "doubt"]
MAX_LISTED = 6
_PERMISSION_PREFIX = "android.permission."
_BARE = ("eq", "exists", "empty")  # when as wanted, the value alone says it


def words_for(name: str, from_item: bool = False) -> tuple[str, str]:
    """(label, unit) of a fact or item field; the raw name when the vocabulary has none."""
    if from_item:
        return FIELD_WORDS.get(name, (name, ""))
    spec = SPECS_BY_NAME.get(name)
    return (spec.label or name, spec.unit) if spec is not None else (name, "")


def human(value: Any, unit: str = "") -> str:
    """A value as a person says it: durations, days, on/off, lists, "not set"."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        yes, _, no = unit.partition("/") if "/" in unit else ("yes", "/", "no")
        return yes if value else no
    if isinstance(value, int | float) and unit:
        return _amount(value, unit)
    if isinstance(value, list | tuple):
        return _listed(value, unit)
    if isinstance(value, str):
        if value == "":
            return "not set"
        return value.removeprefix(_PERMISSION_PREFIX)
    return show(value)


def _amount(value: int | float, unit: str) -> str:
    if unit == "s":
        return _duration(value)
    noun = unit[:-1] if value == 1 and unit.endswith("s") else unit
    return f"{value:g} {noun}"


def _duration(seconds: int | float) -> str:
    whole = int(seconds)
    if whole != seconds or whole < 60 or whole % 60:
        return f"{seconds:g} second{'s' * (seconds != 1)}"
    for size, noun in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if whole % size == 0:
            count = whole // size
            return f"{count} {noun}{'s' * (count != 1)} ({whole} s)"
    return f"{whole} s"  # unreachable: every multiple of 60 matched above


def _listed(values: Sequence[Any], unit: str) -> str:
    if not values:
        return "none"
    shown = [human(v, unit) for v in values[:MAX_LISTED]]
    more = len(values) - MAX_LISTED
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _expected(value: Any, unit: str) -> str:
    if isinstance(value, list):
        return _listed(value, unit) if len(value) <= MAX_LISTED * 2 else f"{len(value)} values"
    return human(value, unit)


def phrase_reading(reading: Reading, role: Role = "check") -> str:
    """One leaf's answer as a clause: the thing, its value, and what is safe."""
    leaf = reading.leaf
    if reading.missing:
        missing_item = leaf.from_item and reading.missing == leaf.subject
        label, _ = words_for(reading.missing, missing_item)
        return f"{label} could not be read ({reading.why})"
    label, unit = words_for(leaf.subject, leaf.from_item)
    op = OPS[leaf.op]
    if op.kind == "scalar_or_list":
        hits = contains_hits(reading.actual, reading.expected)
        if hits:
            return f"{label} include {_listed(hits, unit)}"
        return f"{label} include none of {_expected(reading.expected, unit)}"
    said = _said(label, reading.actual, unit)
    want = fill(op.wants[reading.negated], e=_wanted(reading, unit))
    as_wanted = bool(reading.outcome) != reading.negated
    if role == "doubt" or (as_wanted and (leaf.op in _BARE or role == "applies")):
        return said
    if as_wanted:
        return f"{said} (safe: {want})"
    if role == "applies":
        return f"{said}; this check is only for {want}"
    return f"{said}; it should be {want}"


def _said(label: str, value: Any, unit: str) -> str:
    joiner = ":" if isinstance(value, list) else " is"  # "Signs of root: none"
    return f"{label}{joiner} {human(value, unit)}"


def _wanted(reading: Reading, unit: str) -> str:
    """The expected value; when it is another fact's, that fact is named too."""
    shown = _expected(reading.expected, unit)
    if reading.leaf.value_fact is None:
        return shown
    return f"{shown} ({words_for(reading.leaf.value_fact)[0]})"


def phrase_result(result: Result, role: Role = "check") -> str:
    """A condition's outcome as clauses; an unmet `any` reads as alternatives ("one of")."""
    if result.alternatives is not None:
        clauses = _unique(phrase_reading(r, role) for r in result.alternatives)
        lead = ("one of these would be enough, but none holds: " if result.value is False
                else "one of these would be enough, but none is confirmed: ")
        return lead + "; or ".join(clauses)
    return "; ".join(_unique(phrase_reading(r, role) for r in result.readings))


def _unique(clauses: Any) -> list[str]:
    return list(dict.fromkeys(clauses))


def sentence(text: str) -> str:
    """Capitalised, ending with a full stop ("" stays "")."""
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
