"""Enrolled biometrics per user, from the fingerprint and face services' readings
(parsers/biometrics.py). Runs before attestations, so the phone's own answer comes first.

`lock.biometrics_enrolled` (user 0) is true as soon as either service shows an enrolment;
it is false only when both services answered (or are absent from the phone) with none:
one unread service could hold the one enrolled face.
"""

from __future__ import annotations

from typing import Any

from droidaudit.facts import Fact, FactSet

_READINGS = (("_bio.fingerprint", "fingerprints"), ("_bio.face", "faces"))


def _counts(reading: Fact | None) -> dict[int, int] | None:
    """User → enrolled count (a missing service: none for anyone), or None when unread."""
    if reading is None or not isinstance(reading.value, dict):
        return None
    users: list[dict[str, Any]] = reading.value.get("users", [])
    return {int(u["user"]): int(u["count"]) for u in users}


def _per_user(read: dict[str, dict[int, int] | None], absent: set[str]) -> list[dict[str, Any]]:
    ids = sorted({user for counts in read.values() if counts for user in counts} | {0})
    rows = []
    for user in ids:
        row: dict[str, Any] = {"user": user}
        for key, counts in read.items():
            known = counts is not None and (user in counts or key in absent)
            row[key] = (counts or {}).get(user, 0) if known else None
        rows.append(row)
    return rows


def add_biometrics(facts: FactSet) -> None:
    readings = {key: facts.get(name) for name, key in _READINGS}
    if all(r is None for r in readings.values()):
        return  # neither probe in this capture: the vocabulary fill says so
    read = {key: _counts(r) for key, r in readings.items()}
    absent = {key for key, r in readings.items()
              if r is not None and isinstance(r.value, dict) and not r.value.get("service")}
    evidence = tuple(line for r in readings.values() if r is not None for line in r.evidence)
    source = "+".join(r.source for r in readings.values() if r is not None and r.known)
    notes = "; ".join(f"{key}: {r.note}" for key, r in readings.items() if r is not None and r.note)
    if all(counts is None for counts in read.values()):
        facts.unknown("lock.biometrics", "", notes or "biometric services unreadable")
        facts.unknown("lock.biometrics_enrolled", "", notes or "biometric services unreadable")
        return
    rows = _per_user(read, absent)
    facts.set("lock.biometrics", rows, source, evidence, notes)
    owner = rows[0] if rows and rows[0]["user"] == 0 else {}
    values = [owner.get(key) for key in read]
    if any(isinstance(v, int) and v > 0 for v in values):
        facts.set("lock.biometrics_enrolled", True, source, evidence, notes)
    elif all(v == 0 for v in values):
        facts.set("lock.biometrics_enrolled", False, source, evidence,
                  "; ".join(n for n in (notes, "none enrolled in the AOSP fingerprint and face "
                                        "services (a maker's own face unlock is not seen)") if n))
    else:
        unread = [key for key, v in zip(read, values, strict=True) if v is None]
        facts.unknown("lock.biometrics_enrolled", source,
                      f"none seen for user 0, but {', '.join(unread)} could not be read"
                      + (f" ({notes})" if notes else ""))
