"""Conditions in three-valued logic: a condition tree and the facts → true, false or unknown,
with the reasons in words.

A leaf on an unknown fact is unknown (not false, not true); `any` is true as soon as one
part is true and `all` false as soon as one part is false, even when other parts are
unknown. Operators come from `ops.OPS`; values from the phone are only pasted into text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from droidaudit.facts import FACT_NAMES, Fact, FactSet
from droidaudit.rules.conditions import PARAM_PATTERN, RELATIVE_DATE_KEY
from droidaudit.rules.model import AnyOf, Condition, Leaf, Not
from droidaudit.rules.ops import OPS, EvalError
from droidaudit.rules.text import show

Tri = bool | None  # True, False, or None = unknown
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Context:
    facts: FactSet
    params: Mapping[str, Any]
    today: date | None = None
    item: Mapping[str, Any] | None = None
    consulted: dict[str, Fact | None] = field(default_factory=dict)
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Reading:
    """One leaf's answer. Phrased only when a finding is kept: per-app rules evaluate every
    app, and most of those answers are dropped, so building their text eagerly was the
    main cost of a large scan."""

    leaf: Leaf
    actual: Any = None
    expected: Any = None
    outcome: Tri = None
    missing: str = ""  # the fact or item field that is unknown (outcome None)
    why: str = ""  # why it is unknown
    negated: bool = False  # under an odd number of `not`

    def detail(self) -> str:
        """The technical line (fact names, raw values) of the finding's `detail`."""
        if self.missing:
            return f"{self.missing} is unknown: {self.why}"
        name = self.leaf.subject
        if self.leaf.op == "exists":
            return f"{name} is {show(self.actual)}"
        return OPS[self.leaf.op].phrase(bool(self.outcome), name, self.actual, self.expected)


@dataclass
class Result:
    value: Tri
    readings: list[Reading]  # the answers that decided the value
    # An `any` that did not hold: every part's answers, one would have been enough.
    alternatives: list[Reading] | None = None


def join_reasons(result: Result) -> str:
    return "; ".join(dict.fromkeys(r.detail() for r in result.readings))


def evaluate_condition(condition: Condition, ctx: Context) -> Result:
    if isinstance(condition, Leaf):
        return _leaf(condition, ctx)
    if isinstance(condition, Not):
        inner = evaluate_condition(condition.part, ctx)
        flipped = [replace(r, negated=not r.negated) for r in inner.readings]
        return Result(None if inner.value is None else not inner.value, flipped)
    results = [evaluate_condition(part, ctx) for part in condition.parts]
    decisive = isinstance(condition, AnyOf)  # any: one True decides; all: one False decides
    every = [x for r in results for x in r.readings]
    alternatives = every if decisive and len(results) > 1 else None
    for wanted in (decisive, None):
        chosen = [r for r in results if r.value is wanted]
        if chosen:
            readings = [x for r in chosen for x in r.readings]
            return Result(wanted, readings, alternatives if wanted is None else None)
    return Result(not decisive, every, alternatives)


def _leaf(leaf: Leaf, ctx: Context) -> Result:
    name, actual, why_unknown = _subject(leaf, ctx)
    op = OPS[leaf.op]
    if leaf.op == "exists":
        # The one op that answers on an unknown value: it asks whether the value was read.
        if actual is None:
            return Result(False, [Reading(leaf, missing=name, why=why_unknown)])
        return Result(True, [Reading(leaf, actual, outcome=True)])
    if actual is None:
        return Result(None, [Reading(leaf, missing=name, why=why_unknown)])
    if op.kind == "none":
        outcome = op.test(actual, None, name)
        return Result(outcome, [Reading(leaf, actual, None, outcome)])
    expected, expected_name, expected_unknown = _expected(leaf, ctx)
    if expected is None:
        return Result(None, [Reading(leaf, actual, missing=expected_name,
                                     why=expected_unknown)])
    if isinstance(leaf.value, dict) and not (isinstance(actual, str) and _ISO_DATE.match(actual)):
        raise EvalError(f"{name} = {show(actual)} is not a YYYY-MM-DD date")
    outcome = op.test(actual, expected, name)
    return Result(outcome, [Reading(leaf, actual, expected, outcome)])


def _subject(leaf: Leaf, ctx: Context) -> tuple[str, Any, str]:
    """(display name, value, why unknown) of the thing a leaf looks at."""
    if leaf.from_item:
        item = ctx.item or {}
        value = item.get(leaf.subject)
        ctx.fields[leaf.subject] = value
        why = "not read for this item" if leaf.subject in item else "missing for this item"
        return leaf.subject, value, why
    return (leaf.subject, *_fact_value(leaf.subject, ctx))


def unknown_fact_name(name: str) -> EvalError:
    """A fact outside the vocabulary (a misspelt name) is a broken rule: `error`, never a
    reading that could pass (`not exists` on a name nothing sets is always true)."""
    return EvalError(f"{name!r} is not a fact droidaudit knows (misspelt?)")


def _fact_value(name: str, ctx: Context) -> tuple[Any, str]:
    fact = ctx.facts.get(name)
    ctx.consulted[name] = fact
    if fact is None:
        if name not in FACT_NAMES and not name.startswith("_"):
            raise unknown_fact_name(name)
        return None, "not in this scan"
    return fact.value, fact.note or "no reason recorded"


def _expected(leaf: Leaf, ctx: Context) -> tuple[Any, str, str]:
    if leaf.value_fact is not None:
        value, why = _fact_value(leaf.value_fact, ctx)
        return value, leaf.value_fact, why
    value = _resolve_param(leaf.value, ctx)
    if isinstance(value, dict):
        return _days_before_scan(value, ctx), "value", ""
    return value, "value", ""


def _resolve_param(value: Any, ctx: Context) -> Any:
    if isinstance(value, str) and (ref := PARAM_PATTERN.match(value)):
        if ref.group(1) not in ctx.params:
            raise EvalError(f"parameter {value} is not defined")
        return ctx.params[ref.group(1)]
    return value


def _days_before_scan(value: Mapping[str, Any], ctx: Context) -> str:
    """{ days_before_scan = N } → the ISO date N days before the scan (dates compare as text)."""
    days = _resolve_param(value.get(RELATIVE_DATE_KEY), ctx)
    if ctx.today is None:
        raise EvalError("a date relative to the scan needs the scan date")
    if isinstance(days, bool) or not isinstance(days, int):
        raise EvalError(f"{RELATIVE_DATE_KEY} must be a number of days, not {days!r}")
    return (ctx.today - timedelta(days=days)).isoformat()
