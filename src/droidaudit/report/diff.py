"""Compare two scans of a phone: which checks got worse, which got better, which facts
changed. Findings are matched by (rule, item)."""

from __future__ import annotations

from dataclasses import dataclass

from droidaudit.report.model import ScanReport
from droidaudit.rules.model import Finding

_BAD = ("fail", "error", "unknown", "notchecked")


@dataclass(frozen=True)
class Change:
    rule: str
    item: str | None
    title: str
    severity: str
    before: str  # status, or "absent"
    after: str

    @property
    def worse(self) -> bool:
        return self.after == "fail" and self.before != "fail"


def _key(finding: Finding) -> tuple[str, str]:
    return finding.rule, finding.item or ""


FactChanges = dict[str, tuple[object, object]]


def diff_reports(old: ScanReport, new: ScanReport) -> tuple[list[Change], FactChanges]:
    before = {_key(f): f for f in old.findings}
    after = {_key(f): f for f in new.findings}
    changes = []
    for key in sorted(before.keys() | after.keys()):
        a, b = before.get(key), after.get(key)
        status_a = a.status if a else "absent"
        status_b = b.status if b else "absent"
        if status_a != status_b:
            ref = b if b is not None else a
            if ref is None:  # absent on both sides cannot differ; keeps mypy's narrowing
                continue
            changes.append(Change(ref.rule, ref.item, ref.title, ref.severity, status_a, status_b))
    old_facts, new_facts = old.facts.values(), new.facts.values()
    facts = {name: (old_facts.get(name), new_facts.get(name))
             for name in sorted(old_facts.keys() | new_facts.keys())
             if old_facts.get(name) != new_facts.get(name)
             and name != "apps" and not name.startswith("_")}
    return changes, facts
