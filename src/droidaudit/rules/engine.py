"""Evaluate rules against a FactSet: conditions in three-valued logic, one Finding per result.

Never a false pass: a condition on an unknown fact is unknown (not false, not true), and an
unknown check becomes `unknown` or `notchecked`, never `pass`. `any` is true as soon as one
part is true and `all` false as soon as one part is false, even when other parts are unknown.
One rule that blows up becomes an `error` finding; the others still run. Text from the
phone is only ever pasted into strings (no format(), no eval), so it cannot run as code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from droidaudit.facts import FACT_NAMES, Fact, FactSet
from droidaudit.rules.findings import Verdict, item_evidence, make_finding
from droidaudit.rules.logic import (
    Context,
    Result,
    Tri,
    evaluate_condition,
    join_reasons,
    unknown_fact_name,
)
from droidaudit.rules.model import BANDED_STATUSES, PROFILES, Finding, Rule, Status
from droidaudit.rules.ops import EvalError
from droidaudit.rules.plain import phrase_result, sentence, words_for
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
            why = f"the rule could not be evaluated: {exc}"
            results = [make_finding(rule, Verdict("error", why, why),
                                    Context(facts, rule.params_for(profile), today))]
        findings.extend(apply_waivers(f, waivers, device or {}, today) for f in results)
    return findings


def evaluate_rule(rule: Rule, facts: FactSet, profile: str = "personal",
                  today: date | None = None) -> list[Finding]:
    """One rule → its findings. Raises EvalError (or anything) when it cannot be judged."""
    ctx = Context(facts, rule.params_for(profile), today)
    if rule.applies is not None:
        stepped_aside = _applies(rule, evaluate_condition(rule.applies, ctx))
        if stepped_aside is not None:
            return [make_finding(rule, stepped_aside, ctx)]
    if rule.each:
        return _evaluate_each(rule, facts, ctx)
    return [make_finding(rule, _banded(rule, ctx, _judge(rule, ctx).verdict()), ctx)]


def _applies(rule: Rule, applies: Result) -> Verdict | None:
    """The verdict when the rule steps aside (or cannot tell), None when it applies."""
    why, plain = join_reasons(applies), phrase_result(applies, "applies")
    if applies.value is False:
        return Verdict("notapplicable", "Does not apply: " + why,
                       "This check does not apply: " + plain)
    if applies.value is None and rule.when_applies_unknown != "check":
        if rule.when_applies_unknown == "notapplicable":
            return Verdict("notapplicable", "Treated as not applicable: " + why,
                           "Treated as not applicable: " + plain)
        return Verdict(_unknown_status(rule), "Cannot tell whether this check applies: " + why,
                       "Cannot tell whether this check applies: " + plain)
    return None


@dataclass(frozen=True)
class _Judged:
    """The check's status and the results behind it, not yet phrased: most items of an
    `each` rule pass and are dropped, and phrasing them dominated a large scan."""

    status: Status
    check: Result
    doubt: Result | None = None  # `unknown_when` that kept a pass from being certain

    def verdict(self) -> Verdict:
        if self.doubt is None:
            return Verdict(self.status, join_reasons(self.check), phrase_result(self.check))
        return Verdict(
            self.status,
            f"{join_reasons(self.check)}, but this cannot be confirmed: "
            f"{join_reasons(self.doubt)}",
            f"{phrase_result(self.check)}, but this cannot be confirmed: "
            f"{phrase_result(self.doubt, 'doubt')}")


def _judge(rule: Rule, ctx: Context) -> _Judged:
    """The check's status; a pass needs `unknown_when` to be certainly false."""
    check = evaluate_condition(rule.check, ctx)
    if check.value is True and rule.unknown_when is not None:
        doubt = evaluate_condition(rule.unknown_when, ctx)
        if doubt.value is not False:
            return _Judged(_unknown_status(rule), check, doubt)
    return _Judged(_status(rule, check.value), check)


def _banded(rule: Rule, ctx: Context, verdict: Verdict) -> Verdict:
    """The first severity band that certainly holds sets the severity of a non-pass; an
    unknown band condition leaves the rule's own severity (it never lowers a finding)."""
    if verdict.status not in BANDED_STATUSES:
        return verdict
    for band in rule.severity_bands:
        if evaluate_condition(band.when, ctx).value is True:
            return replace(verdict, severity=band.severity)
    return verdict


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
    label, _ = words_for(each)
    if fact is None and each not in FACT_NAMES:
        raise unknown_fact_name(each)
    if fact is None or fact.value is None:
        reason = fact.note if fact is not None and fact.note else "not in this scan"
        return [make_finding(rule, Verdict(_unknown_status(rule), f"{each} is unknown: {reason}",
                                           f"{label} could not be read ({reason})"), outer)]
    if not isinstance(fact.value, list):
        raise EvalError(f"{each} is not a list")
    findings: list[Finding] = []
    in_scope = 0
    for index, item in enumerate(fact.value):
        if not isinstance(item, Mapping):
            raise EvalError(f"{each}[{index}] is not an object")
        finding, matched = _evaluate_item(rule, fact, item, index, outer)
        in_scope += matched
        if finding is not None:
            findings.append(finding)
    if findings:
        return findings
    total = len(fact.value)
    if fact.partial:  # "no app does X" needs the whole inventory
        why = f"{fact.partial}; {in_scope} of {total} item(s) in scope, none fails"
        return [make_finding(rule, Verdict(_unknown_status(rule),
                                           f"{each} may be incomplete: {why}",
                                           f"{label} may be incomplete ({fact.partial})"),
                             outer)]
    if in_scope:
        verdict = Verdict("pass", f"{in_scope} of {total} item(s) of {each} in scope; none fails",
                          f"{label}: {in_scope} of {total} checked, none fails")
    else:
        verdict = Verdict("pass", f"no item of {each} is in scope ({total} checked)",
                          f"{label}: none of the {total} is concerned")
    return [make_finding(rule, verdict, outer)]


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
    judged = _judge(rule, ctx)
    if judged.status == "pass":
        return None, True
    verdict = _banded(rule, ctx, judged.verdict())
    if where.value is None:
        verdict = Verdict(_unknown_status(rule),
                          f"cannot tell whether it is in scope: {join_reasons(where)}",
                          "cannot tell whether it is concerned: "
                          + phrase_result(where, "applies"), verdict.severity)
    verdict = replace(verdict, detail=f"{label}: {verdict.detail}",
                      found=f"{label}: {sentence(verdict.found)}")
    evidence = item_evidence(list_fact, label, ctx)
    return make_finding(rule, verdict, ctx, item=label, evidence=evidence), True
