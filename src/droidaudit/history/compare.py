"""What changed between two recorded scans of a phone, from the findings the database
kept (the report folders may be gone): the same Change records `droidaudit diff` prints."""

from __future__ import annotations

from droidaudit.history.record import FindingRow
from droidaudit.report.diff import Change


def changes_between(old: list[FindingRow], new: list[FindingRow]) -> list[Change]:
    before = {(f.rule, f.item): f for f in old}
    after = {(f.rule, f.item): f for f in new}
    changes = []
    for key in sorted(before.keys() | after.keys()):
        a, b = before.get(key), after.get(key)
        status_a, status_b = (a.status if a else "absent"), (b.status if b else "absent")
        if status_a != status_b:
            ref = b if b is not None else a
            if ref is None:  # absent on both sides cannot differ; keeps mypy's narrowing
                continue
            changes.append(Change(ref.rule, ref.item or None, ref.title, ref.severity,
                                  status_a, status_b))
    return changes
