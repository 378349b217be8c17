"""Condition tables of a rule (`check = {...}`, `all`/`any`/`not`) → typed condition trees.

Refuses what the engine could misread: an unknown operator, a value of the wrong kind for
its operator (kinds from `ops.OPS`), a `$param` that is not defined, a bad regular
expression. Nothing in a condition is ever executed.
"""

from __future__ import annotations

import re
from typing import Any

from droidaudit.rules.model import AllOf, AnyOf, Condition, Leaf, Not
from droidaudit.rules.ops import OPS

LEAF_KEYS = frozenset(("fact", "field", "op", "value", "value_fact"))
PARAM_PATTERN = re.compile(r"^\$([A-Za-z_][A-Za-z0-9_]*)$")
RELATIVE_DATE_KEY = "days_before_scan"


class ConditionError(Exception):
    """A problem inside one condition; the loader adds the file, line and rule id."""


def parse_condition(raw: Any, *, in_item: bool, params: dict[str, Any]) -> Condition:
    """A TOML table → a condition tree; ConditionError names what is wrong."""
    if not isinstance(raw, dict):
        raise ConditionError(f"a condition must be a table, not {raw!r}")
    combinators = [k for k in ("all", "any", "not") if k in raw]
    if combinators:
        if len(raw) != 1:
            raise ConditionError(f"{combinators[0]!r} must be alone in its table, "
                                 f"found {sorted(raw)}")
        return _parse_combinator(combinators[0], raw[combinators[0]], in_item, params)
    return _parse_leaf(raw, in_item, params)


def _parse_combinator(name: str, body: Any, in_item: bool,
                      params: dict[str, Any]) -> Condition:
    if name == "not":
        return Not(parse_condition(body, in_item=in_item, params=params))
    if not isinstance(body, list) or not body:
        raise ConditionError(f"{name!r} needs a non-empty list of conditions")
    parts = tuple(parse_condition(p, in_item=in_item, params=params) for p in body)
    return AllOf(parts) if name == "all" else AnyOf(parts)


def _parse_leaf(raw: dict[str, Any], in_item: bool, params: dict[str, Any]) -> Leaf:
    unknown = sorted(set(raw) - LEAF_KEYS)
    if unknown:
        raise ConditionError(f"unknown condition key(s) {', '.join(unknown)} "
                   "(use fact/field, op, value or value_fact; or all/any/not)")
    if ("fact" in raw) == ("field" in raw):
        raise ConditionError("a condition needs exactly one of `fact` or `field`")
    if "field" in raw and not in_item:
        raise ConditionError("`field` refers to an item and is only allowed in `each` rules")
    subject = raw.get("fact", raw.get("field"))
    if not isinstance(subject, str) or not subject:
        raise ConditionError("`fact`/`field` must be a non-empty string")
    op = raw.get("op")
    if not isinstance(op, str) or op not in OPS:
        raise ConditionError(f"unknown op {op!r} (known: {', '.join(OPS)})")
    has_value, has_fact = "value" in raw, "value_fact" in raw
    if OPS[op].kind == "none":
        if has_value or has_fact:
            raise ConditionError(f"op {op!r} takes no value")
    elif has_value == has_fact:
        raise ConditionError(f"op {op!r} needs exactly one of `value` or `value_fact`")
    value_fact = raw.get("value_fact")
    if has_fact and (not isinstance(value_fact, str) or not value_fact):
        raise ConditionError("`value_fact` must be a fact name")
    if has_value:
        _check_value(op, raw["value"], params)
    return Leaf(subject, op, raw.get("value"), "field" in raw, value_fact)


def _check_value(op: str, value: Any, params: dict[str, Any]) -> None:
    if isinstance(value, dict):
        _check_relative_date(op, value, params)
        return
    if isinstance(value, str) and (ref := PARAM_PATTERN.match(value)):
        if ref.group(1) not in params:
            raise ConditionError(f"{value} is not defined under [rule.params]")
        value = params[ref.group(1)]
    kind = OPS[op].kind
    if kind == "list" and not isinstance(value, list):
        raise ConditionError(f"op {op!r} needs a list value, not {value!r}")
    if kind == "order" and (isinstance(value, bool) or not isinstance(value, int | float | str)):
        raise ConditionError(f"op {op!r} needs a number or a date string, not {value!r}")
    if kind == "regex":
        if not isinstance(value, str):
            raise ConditionError(f"op 'matches' needs a regular expression string, not {value!r}")
        try:
            re.compile(value)
        except re.error as exc:
            raise ConditionError(f"bad regular expression {value!r}: {exc}") from exc


def _check_relative_date(op: str, value: dict[str, Any], params: dict[str, Any]) -> None:
    """`value = { days_before_scan = 120 }`: the date that many days before the scan."""
    if OPS[op].kind != "order" or set(value) != {RELATIVE_DATE_KEY}:
        raise ConditionError(f"a table value must be {{ {RELATIVE_DATE_KEY} = N }} "
                             "with lt/lte/gt/gte")
    days = value[RELATIVE_DATE_KEY]
    if isinstance(days, str) and (ref := PARAM_PATTERN.match(days)):
        if ref.group(1) not in params:
            raise ConditionError(f"{days} is not defined under [rule.params]")
        days = params[ref.group(1)]
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ConditionError(f"{RELATIVE_DATE_KEY} must be a whole number of days, not {days!r}")
