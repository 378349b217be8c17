"""Attestations: what a technician saw on the phone with their own eyes, recorded as facts.

`droidaudit scan --attest mms.auto_retrieve=off --attested-by "A. Tech"` turns a reading
that ADB cannot make (the SMS app's private switch) into a fact whose source says who saw it
and when. An attestation never overrides a value read from the phone (the reading wins and
the fact's note says the attestation was set aside); list facts cannot be attested. It never
talks to a phone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from droidaudit.facts import SPECS_BY_NAME, Fact, FactSet, FactValue

ATTESTABLE_TYPES = ("bool", "int", "str", "enum", "date")
NOT_ATTESTABLE = frozenset(("mms.auto_retrieve_source", "iocs.indicator_count",
                            "iocs.matched_apps"))
_TRUE = ("on", "true", "yes", "1", "enabled")
_FALSE = ("off", "false", "no", "0", "disabled")
_MMS_FACTS = ("mms.auto_retrieve", "mms.auto_retrieve_roaming")


@dataclass(frozen=True)
class Attestation:
    fact: str
    value: FactValue
    raw: str  # as typed, for the evidence line
    by: str
    at: str  # UTC time, ISO 8601

    @property
    def source(self) -> str:
        return f"attested by {self.by} at {self.at}"


def parse_attestation(text: str, by: str, at: str) -> Attestation:
    """`fact=value` → an Attestation; ValueError with a message for a person otherwise."""
    name, sep, raw = text.partition("=")
    name, raw = name.strip(), raw.strip()
    if not sep or not name or not raw:
        raise ValueError(f"{text!r}: write FACT=VALUE, e.g. mms.auto_retrieve=off")
    spec = SPECS_BY_NAME.get(name)
    if spec is None or name.startswith("_"):
        raise ValueError(f"{name!r} is not a fact (see the Facts table in README.md)")
    if spec.type not in ATTESTABLE_TYPES or name in NOT_ATTESTABLE:
        raise ValueError(f"{name} ({spec.type}) cannot be attested")
    if not by.strip():
        raise ValueError("say who attests it: --attested-by NAME")
    return Attestation(name, _convert(spec.type, raw, name), raw, by.strip(), at)


def _convert(type_: str, raw: str, name: str) -> FactValue:
    if type_ == "bool":
        word = raw.lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise ValueError(f"{name} is on or off, not {raw!r}")
    if type_ == "int":
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"{name} is a whole number, not {raw!r}") from None
    return raw


def apply_attestations(facts: FactSet, attestations: Sequence[Attestation]) -> None:
    """Add each attestation as a fact unless the phone itself answered."""
    for item in attestations:
        current = facts.get(item.fact)
        if current is not None and current.known:
            facts.facts[item.fact] = Fact(
                current.name, current.value, current.source, current.evidence,
                "; ".join(n for n in (current.note, f"read from the phone; {item.source} "
                                      f"said {item.raw}, set aside") if n))
            continue
        line = f"{item.fact}={item.raw} ({item.source})"
        facts.add(Fact(item.fact, item.value, item.source, (line,), item.source))
        if item.fact in _MMS_FACTS:
            facts.add(Fact("mms.auto_retrieve_source", "attested", item.source, (line,),
                           item.source))
