"""Findings: one rule's result on one phone (or one item), with its text filled in and the
evidence that supports it (raw lines from the facts consulted, plus `fact = value`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from droidaudit.facts import Fact, FactSet
from droidaudit.rules.logic import Context
from droidaudit.rules.model import Finding, Rule, Status
from droidaudit.rules.plain import human, sentence, words_for
from droidaudit.rules.text import Filler, show

MAX_ITEM_EVIDENCE = 8


@dataclass(frozen=True)
class Verdict:
    """A rule's answer before it becomes a Finding: status, why (technical), why (plain)."""

    status: Status
    detail: str  # fact names and raw values
    found: str  # plain words with units (rules/plain.py)
    severity: str | None = None  # set by a severity band; None = the rule's own


def make_finding(rule: Rule, verdict: Verdict, ctx: Context, *, item: str | None = None,
                 evidence: tuple[str, ...] | None = None) -> Finding:
    fill = Filler(ctx.facts, ctx.params, item)
    title = fill(rule.title)
    return Finding(
        rule=rule.id, title=title, area=rule.area, severity=verdict.severity or rule.severity,
        status=verdict.status, detail=verdict.detail,
        evidence=evidence if evidence is not None else fact_evidence(ctx.consulted),
        facts=tuple(ctx.consulted), item=item,
        rationale=fill(rule.rationale), remediation=fill(rule.remediation),
        remediation_oem={oem: fill(text) for oem, text in rule.remediation_oem.items()},
        references=rule.references, manual=fill(_manual_text(rule, ctx.facts)),
        headline=_headline(rule, verdict.status, ctx, item) or title,
        found=verdict.found if item is not None else sentence(verdict.found),
    )


def _headline(rule: Rule, status: Status, ctx: Context, item: str | None) -> str | None:
    """The fail title, facts written with their units; None (→ the title) when the check
    did not fail or a fact it names is unknown: never "the patch is unknown days old"."""
    if status not in ("fail", "informational") or not rule.fail_title:
        return None
    fill = Filler(ctx.facts, ctx.params, item, render=_with_unit)
    return fill.strict(rule.fail_title)


def _with_unit(name: str, value: Any) -> str:
    return human(value, words_for(name)[1])


def _manual_text(rule: Rule, facts: FactSet) -> str:
    """The steps for the app in front of the person (e.g. its SMS app), else the general ones."""
    if not rule.manual_by_app:
        return rule.manual
    app = facts.value(rule.manual_app_fact)
    return rule.manual_by_app.get(app, rule.manual) if isinstance(app, str) else rule.manual


def fact_evidence(consulted: Mapping[str, Fact | None]) -> tuple[str, ...]:
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


def item_evidence(list_fact: Fact, label: str, ctx: Context) -> tuple[str, ...]:
    """The raw lines about this item (not the whole list's evidence) plus the fields used."""
    lines = [line for line in list_fact.evidence if label in line][:MAX_ITEM_EVIDENCE]
    lines += [f"{label}: {name} = {show(value)}" for name, value in ctx.fields.items()]
    users = ctx.item.get("users") if ctx.item is not None else None
    if isinstance(users, list) and users and "users" not in ctx.fields:
        # Work profiles and second users (Samsung Secure Folder is user 150): say whose.
        lines.append(f"{label}: installed for user(s) {show(users)}")
    lines += fact_evidence({k: v for k, v in ctx.consulted.items() if k != list_fact.name})
    return tuple(dict.fromkeys(lines))
