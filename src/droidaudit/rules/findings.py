"""Findings: one rule's result on one phone (or one item), with its text filled in and the
evidence that supports it (raw lines from the facts consulted, plus `fact = value`).
"""

from __future__ import annotations

from collections.abc import Mapping

from droidaudit.facts import Fact, FactSet
from droidaudit.rules.logic import Context
from droidaudit.rules.model import Finding, Rule, Status
from droidaudit.rules.text import Filler, show

MAX_ITEM_EVIDENCE = 8


def make_finding(rule: Rule, status: Status, detail: str, ctx: Context, *,
             item: str | None = None, evidence: tuple[str, ...] | None = None) -> Finding:
    fill = Filler(ctx.facts, ctx.params, item)
    return Finding(
        rule=rule.id, title=fill(rule.title), area=rule.area, severity=rule.severity,
        status=status, detail=detail,
        evidence=evidence if evidence is not None else fact_evidence(ctx.consulted),
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
