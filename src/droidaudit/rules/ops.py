"""The rule operators: one definition each (name, value kind, evaluator, phrases).

The loader checks a condition's value against `Op.kind`, the engine calls `Op.test` and
phrases the result with `Op.phrases` / `Op.wants`, lint type-checks values of the kinds that
compare with a fact's type, and `rules/schema.json` is generated from `OPS`
(`droidaudit.rules.schema`). Adding an operator means adding one `Op` here.

Phrase templates are filled by plain replacement (`{n}` the subject's name, `{a}` its value,
`{e}` the expected value, `{h}` the expected values found); never by str.format, because
values come from the phone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from droidaudit.rules.text import show

# none: no value; scalar: one string/number/bool; order: number, date text or
# { days_before_scan = N }; list: a list of scalars; scalar_or_list: either; regex: a pattern.
ValueKind = Literal["none", "scalar", "order", "list", "scalar_or_list", "regex"]


class EvalError(Exception):
    """A rule cannot be evaluated against these facts (wrong type, bad data): status `error`."""


@dataclass(frozen=True)
class Op:
    name: str
    kind: ValueKind
    meaning: str  # "true when ...", for the README table and the schema
    test: Callable[[Any, Any, str], bool]  # (actual, expected, subject name) → outcome
    phrases: tuple[str, str]  # detail when the leaf is true / false
    # What the condition asks for, in plain words: as written / under `not`.
    wants: tuple[str, str]
    typed: bool = False  # lint compares the value with the fact's declared type
    # Phrases when the expected value is one scalar, where that reads differently.
    scalar_phrases: tuple[str, str] | None = None

    def phrase(self, outcome: bool, name: str, actual: Any, expected: Any) -> str:
        phrases = self.phrases
        if self.scalar_phrases is not None and not isinstance(expected, list):
            phrases = self.scalar_phrases
        template = phrases[0 if outcome else 1]
        hits = contains_hits(actual, expected) if "{h}" in template else []
        return fill(template, n=name, a=show(actual), e=show(expected),
                    h=", ".join(show(h) for h in hits))


def fill(template: str, **values: str) -> str:
    """Plain `{key}` replacement, one key at a time, so a value is never read as a key."""
    parts = re.split(r"(\{[a-z]\})", template)
    return "".join(values.get(p[1:-1], p) if len(p) == 3 and p[0] == "{" else p for p in parts)


# -- comparisons ---------------------------------------------------------------------------

def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) != isinstance(b, bool):
        return False  # True is not 1 here: a rule comparing a bool fact to 1 is a mistake
    return bool(a == b)


def _same_kind(actual: Any, expected: Any, name: str) -> None:
    numbers = (int, float)
    if isinstance(actual, bool) or isinstance(expected, bool):
        if not (isinstance(actual, bool) and isinstance(expected, bool)):
            raise EvalError(f"{name} = {show(actual)} cannot be compared with {show(expected)}")
    elif isinstance(actual, numbers) and isinstance(expected, numbers):
        return
    elif type(actual) is not type(expected):
        raise EvalError(f"{name} = {show(actual)} cannot be compared with {show(expected)}")


def _orderable(actual: Any, expected: Any, name: str) -> None:
    def number(v: Any) -> bool:
        return isinstance(v, int | float) and not isinstance(v, bool)

    if not ((number(actual) and number(expected))
            or (isinstance(actual, str) and isinstance(expected, str))):
        raise EvalError(f"{name} = {show(actual)} cannot be ordered against {show(expected)}")


def _key(value: Any) -> tuple[bool, Any]:
    """A set key with `_equal`'s meaning: True and 1 hash alike, so the bool-ness is kept."""
    return isinstance(value, bool), value


def _keys(values: Iterable[Any]) -> frozenset[tuple[bool, Any]] | None:
    """The values as set keys, or None when one is unhashable (then compare pairwise)."""
    try:
        return frozenset(_key(v) for v in values)
    except TypeError:
        return None


def contains_hits(actual: Any, expected: Any) -> list[Any]:
    """The expected values that `actual` (text or list) includes, in the rule's order.

    Lists are compared through sets: per-app rules compare an app's grants with a
    permission list for every app, and pairwise comparison dominated a 400-app scan.
    """
    wanted = expected if isinstance(expected, list) else [expected]
    if isinstance(actual, str):
        return [w for w in wanted if str(w) in actual]
    if all(isinstance(w, str) for w in wanted):
        # Text only equals text, so a plain set is exact here (and built in C).
        try:
            plain = set(actual)
        except TypeError:
            plain = None
        if plain is not None:
            return [w for w in wanted if w in plain]
    present = _keys(actual)
    if present is not None:
        return [w for w in wanted if _hashable(w) and _key(w) in present]
    return [w for w in wanted if any(_equal(element, w) for element in actual)]


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _contains(actual: Any, expected: Any, name: str) -> bool:
    """Contains `expected`; a list value means 'contains any of them'."""
    if not isinstance(actual, str | list | tuple | set | frozenset):
        raise EvalError(f"{name} = {show(actual)} is not a list or text for op 'contains'")
    return bool(contains_hits(actual, expected))


def _one_of(actual: Any, expected: Any, name: str) -> bool:
    if not isinstance(expected, list):
        raise EvalError(f"{name}: op in/not_in needs a list value")
    if isinstance(actual, str):
        return actual in expected  # text only equals text: list membership is exact
    choices = _keys(expected)
    if choices is not None and _hashable(actual):
        return _key(actual) in choices
    return any(_equal(actual, choice) for choice in expected)


def _empty(actual: Any, expected: Any, name: str) -> bool:
    if not isinstance(actual, str | list | dict):
        raise EvalError(f"{name} = {show(actual)} has no length for op 'empty'")
    return len(actual) == 0


def _eq(actual: Any, expected: Any, name: str) -> bool:
    _same_kind(actual, expected, name)
    return bool(actual == expected)


def _ordered(compare: Callable[[Any, Any], bool]) -> Callable[[Any, Any, str], bool]:
    def test(actual: Any, expected: Any, name: str) -> bool:
        _orderable(actual, expected, name)
        return compare(actual, expected)
    return test


def _negated(test: Callable[[Any, Any, str], bool]) -> Callable[[Any, Any, str], bool]:
    return lambda actual, expected, name: not test(actual, expected, name)


def _matches(actual: Any, expected: Any, name: str) -> bool:
    return re.search(str(expected), str(actual)) is not None


def _exists(actual: Any, expected: Any, name: str) -> bool:
    return actual is not None


# -- the registry --------------------------------------------------------------------------

_ORDER = "numbers, or dates as `YYYY-MM-DD` text"
_INCLUDES = ("{n} includes {h}", "{n} includes none of {e}")
_INCLUDES_ONE = ("{n} includes {h}", "{n} does not include {e}")

OPS: dict[str, Op] = {op.name: op for op in (
    Op("eq", "scalar", "equal (a bool never equals a number)", _eq,
       ("{n} is {a}", "{n} is {a}, not {e}"), ("{e}", "not {e}"), typed=True),
    Op("ne", "scalar", "not equal", _negated(_eq),
       ("{n} is {a}, not {e}", "{n} is {a}"), ("not {e}", "{e}"), typed=True),
    Op("lt", "order", f"less than: {_ORDER}", _ordered(lambda a, e: bool(a < e)),
       ("{n} is {a}, less than {e}", "{n} is {a}, not less than {e}"),
       ("less than {e}", "at least {e}"), typed=True),
    Op("lte", "order", f"at most: {_ORDER}", _ordered(lambda a, e: bool(a <= e)),
       ("{n} is {a}, at most {e}", "{n} is {a}, more than {e}"),
       ("at most {e}", "more than {e}"), typed=True),
    Op("gt", "order", f"more than: {_ORDER}", _ordered(lambda a, e: bool(a > e)),
       ("{n} is {a}, more than {e}", "{n} is {a}, not more than {e}"),
       ("more than {e}", "at most {e}"), typed=True),
    Op("gte", "order", f"at least: {_ORDER}", _ordered(lambda a, e: bool(a >= e)),
       ("{n} is {a}, at least {e}", "{n} is {a}, less than {e}"),
       ("at least {e}", "less than {e}"), typed=True),
    Op("in", "list", "the value is in the list", _one_of,
       ("{n} is {a}, one of {e}", "{n} is {a}, not one of {e}"),
       ("one of {e}", "none of {e}"), typed=True),
    Op("not_in", "list", "the value is not in the list", _negated(_one_of),
       ("{n} is {a}, not one of {e}", "{n} is {a}, one of {e}"),
       ("none of {e}", "one of {e}"), typed=True),
    Op("contains", "scalar_or_list",
       "a list or text includes the value; with a list value: any of them", _contains,
       _INCLUDES, ("including {e}", "without {e}"), scalar_phrases=_INCLUDES_ONE),
    Op("not_contains", "scalar_or_list",
       "a list or text does not include the value; with a list value: none of them",
       _negated(_contains), (_INCLUDES[1], _INCLUDES[0]), ("without {e}", "including {e}"),
       scalar_phrases=(_INCLUDES_ONE[1], _INCLUDES_ONE[0])),
    Op("matches", "regex", "regular expression search", _matches,
       ("{n} is {a}, matching /{e}/", "{n} is {a}, not matching /{e}/"),
       ("matching /{e}/", "not matching /{e}/")),
    Op("exists", "none",
       "the fact was read at all (the only op that answers on an unknown value; never use "
       "it under `not` in a check)", _exists,
       ("{n} is {a}", "{n} is unknown"), ("read", "not read")),
    Op("empty", "none", "the list or text has no element", _empty,
       ("{n} is empty", "{n} is {a}"), ("none", "at least one")),
)}


def names_of(kinds: Collection[ValueKind]) -> tuple[str, ...]:
    """The operators whose value is of one of these kinds, in registry order."""
    return tuple(name for name, op in OPS.items() if op.kind in kinds)
