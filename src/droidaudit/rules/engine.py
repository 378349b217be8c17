"""Evaluate rules against a FactSet: conditions in three-valued logic, one Finding per result.

Never a false pass: a condition on an unknown fact is unknown (not false, not true), and an
unknown check becomes `unknown` or `notchecked`, never `pass`. `any` is true as soon as one
part is true and `all` false as soon as one part is false, even when other parts are unknown.
One rule that blows up becomes an `error` finding; the others still run. Text from the
phone is only ever pasted into strings (no format(), no eval), so it cannot run as code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from droidaudit.facts import FACT_NAMES, Fact, FactSet
from droidaudit.rules.loader import PARAM_PATTERN, RELATIVE_DATE_KEY
from droidaudit.rules.model import (
    PROFILES,
    AllOf,
    AnyOf,
    Condition,
    Finding,
    Leaf,
    Not,
    Rule,
    Status,
)
from droidaudit.rules.waivers import Waiver, apply_waivers

Tri = bool | None  # True, False, or None = unknown
MAX_ITEM_EVIDENCE = 8
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class EvalError(Exception):
    """A rule cannot be evaluated against these facts (wrong type, bad data): status `error`."""


@dataclass
class _Context:
    facts: FactSet
    params: Mapping[str, Any]
    today: date | None = None
    item: Mapping[str, Any] | None = None
    consulted: dict[str, Fact | None] = field(default_factory=dict)
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Result:
    value: Tri
    reasons: list[str]


def evaluate(rules: Sequence[Rule], facts: FactSet, *, profile: str = "personal",
             waivers: Sequence[Waiver] = (), device: Mapping[str, str] | None = None,
             today: date) -> list[Finding]:
    """Every rule of the profile → its findings (one, or one per item for `each` rules)."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r} (known: {', '.join(PROFILES)})")
    findings: list[Finding] = []
    for rule in rules:
        if profile not in rule.profiles:
            continue
        try:
            results = evaluate_rule(rule, facts, profile, today)
        except Exception as exc:  # one broken rule must not hide the others' results
            results = [_finding(rule, "error", f"the rule could not be evaluated: {exc}",
                                _Context(facts, rule.params_for(profile), today))]
        findings.extend(apply_waivers(f, waivers, device or {}, today) for f in results)
    return findings


def evaluate_rule(rule: Rule, facts: FactSet, profile: str = "personal",
                  today: date | None = None) -> list[Finding]:
    """One rule → its findings. Raises EvalError (or anything) when it cannot be judged."""
    ctx = _Context(facts, rule.params_for(profile), today)
    if rule.applies is not None:
        applies = _eval(rule.applies, ctx)
        if applies.value is False:
            return [_finding(rule, "notapplicable", "Does not apply: " + _join(applies), ctx)]
        if applies.value is None and rule.when_applies_unknown != "check":
            if rule.when_applies_unknown == "notapplicable":
                return [_finding(rule, "notapplicable",
                                 "Treated as not applicable: " + _join(applies), ctx)]
            return [_finding(rule, _unknown_status(rule),
                             "Cannot tell whether this check applies: " + _join(applies), ctx)]
    if rule.each:
        return _evaluate_each(rule, facts, ctx)
    status, detail = _judge(rule, ctx)
    return [_finding(rule, status, detail, ctx)]


def _judge(rule: Rule, ctx: _Context) -> tuple[Status, str]:
    """The check's status and why; a pass needs `unknown_when` to be certainly false."""
    check = _eval(rule.check, ctx)
    if check.value is True and rule.unknown_when is not None:
        doubt = _eval(rule.unknown_when, ctx)
        if doubt.value is not False:
            return _unknown_status(rule), f"{_join(check)}, but this cannot be confirmed: " \
                + _join(doubt)
    return _status(rule, check.value), _join(check)


def _status(rule: Rule, value: Tri) -> Status:
    if value is None:
        return _unknown_status(rule)
    if value:
        return "pass"
    return "informational" if rule.informational else "fail"


def _unknown_status(rule: Rule) -> Status:
    return "notchecked" if rule.when_unknown == "notchecked" else "unknown"


def _join(result: _Result) -> str:
    return "; ".join(dict.fromkeys(result.reasons))


# -- each = "list fact" --------------------------------------------------------------------

def _evaluate_each(rule: Rule, facts: FactSet, outer: _Context) -> list[Finding]:
    assert rule.each is not None
    fact = facts.get(rule.each)
    outer.consulted[rule.each] = fact
    if fact is None and rule.each not in FACT_NAMES:
        raise _unknown_name(rule.each)
    if fact is None or fact.value is None:
        reason = fact.note if fact is not None and fact.note else "not in this scan"
        return [_finding(rule, _unknown_status(rule), f"{rule.each} is unknown: {reason}", outer)]
    if not isinstance(fact.value, list):
        raise EvalError(f"{rule.each} is not a list")
    findings: list[Finding] = []
    in_scope = 0
    for index, item in enumerate(fact.value):
        if not isinstance(item, Mapping):
            raise EvalError(f"{rule.each}[{index}] is not an object")
        finding, matched = _evaluate_item(rule, fact, item, index, outer)
        in_scope += matched
        if finding is not None:
            findings.append(finding)
    if findings:
        return findings
    detail = (f"{in_scope} of {len(fact.value)} item(s) of {rule.each} in scope; none fails"
              if in_scope else f"no item of {rule.each} is in scope "
                               f"({len(fact.value)} checked)")
    if fact.partial:  # "no app does X" needs the whole inventory
        return [_finding(rule, _unknown_status(rule),
                         f"{detail}, but {rule.each} may be incomplete: {fact.partial}", outer)]
    return [_finding(rule, "pass", detail, outer)]


def _evaluate_item(rule: Rule, list_fact: Fact, item: Mapping[str, Any], index: int,
                   outer: _Context) -> tuple[Finding | None, bool]:
    """One item → a finding when it fails or cannot be judged; and whether it was in scope."""
    ctx = _Context(outer.facts, outer.params, outer.today, item)
    ctx.consulted[list_fact.name] = list_fact
    key_value = item.get(rule.item_key)
    label = f"#{index}" if key_value in (None, "") else str(key_value)
    where = _eval(rule.where, ctx) if rule.where is not None else _Result(True, [])
    if where.value is False:
        return None, False
    status, detail = _judge(rule, ctx)
    if status == "pass":
        return None, True
    if where.value is None:
        detail = f"{label}: cannot tell whether it is in scope: {_join(where)}"
        status = _unknown_status(rule)
    else:
        detail = f"{label}: {detail}"
    evidence = _item_evidence(list_fact, label, ctx)
    return _finding(rule, status, detail, ctx, item=label, evidence=evidence), True


def _item_evidence(list_fact: Fact, label: str, ctx: _Context) -> tuple[str, ...]:
    """The raw lines about this item (not the whole list's evidence) plus the fields used."""
    lines = [line for line in list_fact.evidence if label in line][:MAX_ITEM_EVIDENCE]
    lines += [f"{label}: {name} = {show(value)}" for name, value in ctx.fields.items()]
    users = ctx.item.get("users") if ctx.item is not None else None
    if isinstance(users, list) and users and "users" not in ctx.fields:
        # Work profiles and second users (Samsung Secure Folder is user 150): say whose.
        lines.append(f"{label}: installed for user(s) {show(users)}")
    lines += _fact_evidence({k: v for k, v in ctx.consulted.items() if k != list_fact.name})
    return tuple(dict.fromkeys(lines))


# -- conditions ----------------------------------------------------------------------------

def _eval(condition: Condition, ctx: _Context) -> _Result:
    if isinstance(condition, Leaf):
        return _eval_leaf(condition, ctx)
    if isinstance(condition, Not):
        inner = _eval(condition.part, ctx)
        return _Result(None if inner.value is None else not inner.value, inner.reasons)
    results = [_eval(part, ctx) for part in condition.parts]
    decisive = isinstance(condition, AnyOf)  # any: one True decides; all: one False decides
    assert isinstance(condition, AnyOf | AllOf)
    for wanted in (decisive, None):
        chosen = [r for r in results if r.value is wanted]
        if chosen:
            return _Result(wanted, [reason for r in chosen for reason in r.reasons])
    return _Result(not decisive, [reason for r in results for reason in r.reasons])


def _eval_leaf(leaf: Leaf, ctx: _Context) -> _Result:
    name, actual, why_unknown = _subject(leaf, ctx)
    if leaf.op == "exists":
        # The one op that answers on an unknown value: it asks whether the value was read.
        return _Result(actual is not None,
                       [f"{name} is {show(actual)}" if actual is not None
                        else f"{name} is unknown: {why_unknown}"])
    if actual is None:
        return _Result(None, [f"{name} is unknown: {why_unknown}"])
    if leaf.op == "empty":
        if not isinstance(actual, str | list | dict):
            raise EvalError(f"{name} = {show(actual)} has no length for op 'empty'")
        return _Result(len(actual) == 0,
                       [f"{name} is empty" if not actual else f"{name} is {show(actual)}"])
    expected, expected_name, expected_unknown = _expected(leaf, ctx)
    if expected is None:
        return _Result(None, [f"{expected_name} is unknown: {expected_unknown}"])
    if isinstance(leaf.value, dict) and not (isinstance(actual, str) and _ISO_DATE.match(actual)):
        raise EvalError(f"{name} = {show(actual)} is not a YYYY-MM-DD date")
    outcome = _apply(leaf.op, actual, expected, name)
    return _Result(outcome, [_phrase(leaf.op, outcome, name, actual, expected)])


def _subject(leaf: Leaf, ctx: _Context) -> tuple[str, Any, str]:
    """(display name, value, why unknown) of the thing a leaf looks at."""
    if leaf.from_item:
        item = ctx.item or {}
        value = item.get(leaf.subject)
        ctx.fields[leaf.subject] = value
        why = "not read for this item" if leaf.subject in item else "missing for this item"
        return leaf.subject, value, why
    return (leaf.subject, *_fact_value(leaf.subject, ctx))


def _unknown_name(name: str) -> EvalError:
    """A fact outside the vocabulary (a misspelt name) is a broken rule: `error`, never a
    reading that could pass (`not exists` on a name nothing sets is always true)."""
    return EvalError(f"{name!r} is not a fact droidaudit knows (misspelt?)")


def _fact_value(name: str, ctx: _Context) -> tuple[Any, str]:
    fact = ctx.facts.get(name)
    ctx.consulted[name] = fact
    if fact is None:
        if name not in FACT_NAMES and not name.startswith("_"):
            raise _unknown_name(name)
        return None, "not in this scan"
    return fact.value, fact.note or "no reason recorded"


def _expected(leaf: Leaf, ctx: _Context) -> tuple[Any, str, str]:
    if leaf.value_fact is not None:
        value, why = _fact_value(leaf.value_fact, ctx)
        return value, leaf.value_fact, why
    value = _resolve_param(leaf.value, ctx)
    if isinstance(value, dict):
        return _days_before_scan(value, ctx), "value", ""
    return value, "value", ""


def _resolve_param(value: Any, ctx: _Context) -> Any:
    if isinstance(value, str) and (ref := PARAM_PATTERN.match(value)):
        if ref.group(1) not in ctx.params:
            raise EvalError(f"parameter {value} is not defined")
        return ctx.params[ref.group(1)]
    return value


def _days_before_scan(value: Mapping[str, Any], ctx: _Context) -> str:
    """{ days_before_scan = N } → the ISO date N days before the scan (dates compare as text)."""
    days = _resolve_param(value.get(RELATIVE_DATE_KEY), ctx)
    if ctx.today is None:
        raise EvalError("a date relative to the scan needs the scan date")
    if isinstance(days, bool) or not isinstance(days, int):
        raise EvalError(f"{RELATIVE_DATE_KEY} must be a number of days, not {days!r}")
    return (ctx.today - timedelta(days=days)).isoformat()


def _apply(op: str, actual: Any, expected: Any, name: str) -> bool:
    if op in ("eq", "ne"):
        _same_kind(actual, expected, name)
        return bool(actual == expected) == (op == "eq")
    if op in ("lt", "lte", "gt", "gte"):
        _orderable(actual, expected, name)
        if op == "lt":
            return bool(actual < expected)
        if op == "lte":
            return bool(actual <= expected)
        return bool(actual > expected) if op == "gt" else bool(actual >= expected)
    if op in ("in", "not_in"):
        if not isinstance(expected, list):
            raise EvalError(f"op {op} needs a list value")
        found = any(_equal(actual, choice) for choice in expected)
        return found == (op == "in")
    if op in ("contains", "not_contains"):
        return _contains(actual, expected, name) == (op == "contains")
    if op == "matches":
        return re.search(str(expected), str(actual)) is not None
    raise EvalError(f"unknown op {op!r}")


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


def _contains(actual: Any, expected: Any, name: str) -> bool:
    """Contains `expected`; a list value means 'contains any of them'."""
    wanted = expected if isinstance(expected, list) else [expected]
    if isinstance(actual, str):
        return any(str(w) in actual for w in wanted)
    if isinstance(actual, list | tuple | set | frozenset):
        return any(_equal(element, w) for element in actual for w in wanted)
    raise EvalError(f"{name} = {show(actual)} is not a list or text for op 'contains'")


_PHRASES = {
    # op: (when true, when false); {n} name, {a} actual, {e} expected
    "eq": ("{n} is {a}", "{n} is {a}, not {e}"),
    "ne": ("{n} is {a}, not {e}", "{n} is {a}"),
    "lt": ("{n} is {a}, less than {e}", "{n} is {a}, not less than {e}"),
    "lte": ("{n} is {a}, at most {e}", "{n} is {a}, more than {e}"),
    "gt": ("{n} is {a}, more than {e}", "{n} is {a}, not more than {e}"),
    "gte": ("{n} is {a}, at least {e}", "{n} is {a}, less than {e}"),
    "in": ("{n} is {a}, one of {e}", "{n} is {a}, not one of {e}"),
    "not_in": ("{n} is {a}, not one of {e}", "{n} is {a}, one of {e}"),
    "matches": ("{n} is {a}, matching /{e}/", "{n} is {a}, not matching /{e}/"),
}


def _phrase(op: str, outcome: bool, name: str, actual: Any, expected: Any) -> str:
    if op in ("contains", "not_contains"):
        hits = _hits(actual, expected)
        if hits:
            return f"{name} includes {', '.join(show(h) for h in hits)}"
        return f"{name} includes none of {show(expected)}" if isinstance(expected, list) \
            else f"{name} does not include {show(expected)}"
    template = _PHRASES[op][0 if outcome else 1]
    # Plain replacement, never str.format on text that came from a phone.
    return (template.replace("{n}", name).replace("{a}", show(actual))
            .replace("{e}", show(expected)))


def _hits(actual: Any, expected: Any) -> list[Any]:
    wanted = expected if isinstance(expected, list) else [expected]
    if isinstance(actual, str):
        return [w for w in wanted if str(w) in actual]
    return [w for w in wanted if any(_equal(element, w) for element in actual)]


def show(value: Any) -> str:
    """A value as a reader sees it in a detail or evidence line (bounded length)."""
    if value is None:
        text = "unknown"
    elif value == "":
        text = '"" (empty)'
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, list | tuple):
        text = "[" + ", ".join(show(v) for v in value) + "]" if value else "[] (none)"
    elif isinstance(value, dict):
        text = json.dumps(value, sort_keys=True, default=str)
    else:
        text = str(value)
    return text if len(text) <= 300 else text[:297] + "..."


# -- findings ------------------------------------------------------------------------------

def _finding(rule: Rule, status: Status, detail: str, ctx: _Context, *,
             item: str | None = None, evidence: tuple[str, ...] | None = None) -> Finding:
    fill = _Filler(ctx, item)
    return Finding(
        rule=rule.id, title=fill(rule.title), area=rule.area, severity=rule.severity,
        status=status, detail=detail,
        evidence=evidence if evidence is not None else _fact_evidence(ctx.consulted),
        facts=tuple(ctx.consulted), item=item,
        rationale=fill(rule.rationale), remediation=fill(rule.remediation),
        remediation_oem={oem: fill(text) for oem, text in rule.remediation_oem.items()},
        references=rule.references, manual=fill(_manual_text(rule, ctx.facts)),
    )


def _manual_text(rule: Rule, facts: FactSet) -> str:
    """The steps for the app in front of the person (e.g. its SMS app), else the general ones."""
    if not rule.manual_by_app:
        return rule.manual
    app = facts.value(rule.manual_app_fact)
    return rule.manual_by_app.get(app, rule.manual) if isinstance(app, str) else rule.manual


def _fact_evidence(consulted: Mapping[str, Fact | None]) -> tuple[str, ...]:
    lines: list[str] = []
    for name, fact in consulted.items():
        if fact is None:
            lines.append(f"{name} = unknown (not in this scan)")
            continue
        lines.extend(fact.evidence)
        if not fact.known:
            lines.append(f"{name} = unknown ({fact.note or 'no reason recorded'})")
        else:
            note = f" ({fact.note})" if fact.note else ""
            lines.append(f"{name} = {show(fact.value)}{note}")
    return tuple(dict.fromkeys(lines))


_PLACEHOLDER = re.compile(r"\{(\$?[A-Za-z_][A-Za-z0-9_.]*)(?:\|([^{}]*))?\}")


class _Filler:
    """Fills `{fact.name}`, `{fact.name|fallback}`, `{$param}` and `{item}` in rule text.

    Plain text substitution: an unknown name is left as written, an unknown fact value
    becomes the fallback (or 'unknown'). The substituted text is never interpreted again.
    """

    def __init__(self, ctx: _Context, item: str | None) -> None:
        self.ctx, self.item = ctx, item

    def __call__(self, text: str) -> str:
        return _PLACEHOLDER.sub(self._one, text) if "{" in text else text

    def _one(self, match: re.Match[str]) -> str:
        name, fallback = match.group(1), match.group(2)
        if name.startswith("$"):
            value = self.ctx.params.get(name[1:])
            return show(value) if name[1:] in self.ctx.params else match.group(0)
        if name == "item":
            return self.item if self.item is not None else (fallback or "this item")
        fact = self.ctx.facts.get(name)
        if fact is None and fallback is None:
            return match.group(0)
        if fact is not None and fact.known and fact.value != "":
            return show(fact.value)
        return fallback if fallback is not None else "unknown"
