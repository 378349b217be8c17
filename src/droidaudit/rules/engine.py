"""Evaluate rules against a FactSet: conditions in three-valued logic, one Finding per result.

Never a false pass: a condition on an unknown fact is unknown (not false, not true), and an
unknown check becomes `unknown` or `notchecked`, never `pass`. `any` is true as soon as one
part is true and `all` false as soon as one part is false, even when other parts are unknown.
One rule that blows up becomes an `error` finding; the others still run. Text from the
phone is only ever pasted into strings (no format(), no eval), so it cannot run as code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from droidaudit.facts import Fact, FactSet
from droidaudit.rules.findings import item_evidence, make_finding
from droidaudit.rules.logic import Context, Result, Tri, evaluate_condition, join_reasons
from droidaudit.rules.model import PROFILES, Finding, Rule, Status
from droidaudit.rules.ops import EvalError
from droidaudit.rules.waivers import Waiver, apply_waivers


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
            results = [make_finding(rule, "error", f"the rule could not be evaluated: {exc}",
                                    Context(facts, rule.params_for(profile), today))]
        findings.extend(apply_waivers(f, waivers, device or {}, today) for f in results)
    return findings


def evaluate_rule(rule: Rule, facts: FactSet, profile: str = "personal",
                  today: date | None = None) -> list[Finding]:
    """One rule → its findings. Raises EvalError (or anything) when it cannot be judged."""
    ctx = Context(facts, rule.params_for(profile), today)
    if rule.applies is not None:
        applies = evaluate_condition(rule.applies, ctx)
        why = join_reasons(applies)
        if applies.value is False:
            return [make_finding(rule, "notapplicable", "Does not apply: " + why, ctx)]
        if applies.value is None and rule.when_applies_unknown != "check":
            if rule.when_applies_unknown == "notapplicable":
                return [make_finding(rule, "notapplicable",
                                     "Treated as not applicable: " + why, ctx)]
            return [make_finding(rule, _unknown_status(rule),
                                 "Cannot tell whether this check applies: " + why, ctx)]
    if rule.each:
        return _evaluate_each(rule, facts, ctx)
    status, detail = _judge(rule, ctx)
    return [make_finding(rule, status, detail, ctx)]


def _judge(rule: Rule, ctx: Context) -> tuple[Status, str]:
    """The check's status and why; a pass needs `unknown_when` to be certainly false."""
    check = evaluate_condition(rule.check, ctx)
    if check.value is True and rule.unknown_when is not None:
        doubt = evaluate_condition(rule.unknown_when, ctx)
        if doubt.value is not False:
            return _unknown_status(rule), (f"{join_reasons(check)}, but this cannot be "
                                           f"confirmed: {join_reasons(doubt)}")
    return _status(rule, check.value), join_reasons(check)


def _status(rule: Rule, value: Tri) -> Status:
    if value is None:
        return _unknown_status(rule)
    if value:
        return "pass"
    return "informational" if rule.informational else "fail"


def _unknown_status(rule: Rule) -> Status:
    return "notchecked" if rule.when_unknown == "notchecked" else "unknown"


# -- each = "list fact" --------------------------------------------------------------------

def _evaluate_each(rule: Rule, facts: FactSet, outer: Context) -> list[Finding]:
    each = rule.each or ""
    fact = facts.get(each)
    outer.consulted[each] = fact
    if fact is None or fact.value is None:
        reason = fact.note if fact is not None and fact.note else "not in this scan"
        return [make_finding(rule, _unknown_status(rule), f"{each} is unknown: {reason}", outer)]
    if not isinstance(fact.value, list):
        raise EvalError(f"{each} is not a list")
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
    return [make_finding(rule, "pass", detail, outer)]


def _evaluate_item(rule: Rule, list_fact: Fact, item: Mapping[str, Any], index: int,
                   outer: Context) -> tuple[Finding | None, bool]:
    """One item → a finding when it fails or cannot be judged; and whether it was in scope."""
    ctx = Context(outer.facts, outer.params, outer.today, item)
    ctx.consulted[list_fact.name] = list_fact
    key_value = item.get(rule.item_key)
    label = f"#{index}" if key_value in (None, "") else str(key_value)
    where = evaluate_condition(rule.where, ctx) if rule.where is not None else Result(True, [])
    if where.value is False:
        return None, False
    status, detail = _judge(rule, ctx)
    if status == "pass":
        return None, True
    if where.value is None:
        detail = f"{label}: cannot tell whether it is in scope: {join_reasons(where)}"
        status = _unknown_status(rule)
    else:
        detail = f"{label}: {detail}"
    evidence = item_evidence(list_fact, label, ctx)
    return make_finding(rule, status, detail, ctx, item=label, evidence=evidence), True


