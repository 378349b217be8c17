"""--redact: take personal identifiers out of everything written for hand-over.

Masks the phone's serial wherever it appears, and e-mail addresses (accounts), IMEI-like
15-digit numbers, MAC addresses and phone numbers in any text: the report (every format)
and, when one is written beside it, the capture (each probe's text masked the same way).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from droidaudit.capture import Capture
from droidaudit.facts import Fact, FactSet
from droidaudit.report.model import ScanReport
from droidaudit.rules.model import Finding

MASK = "<redacted>"
_PATTERNS = (
    re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"),  # e-mail / account
    re.compile(r"\b\d{15}\b"),  # IMEI
    re.compile(r"\b(?:[0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}\b"),  # MAC address
    re.compile(r"(?<![\w.])\+\d[\d ()-]{7,}\d"),  # phone number in international form
)
# Facts that are identifiers through and through.
_IDENTITY_FACTS = ("device.serial",)
WHAT_IS_MASKED = "the serial, e-mail accounts, IMEIs, MAC addresses and phone numbers"


@dataclasses.dataclass(frozen=True)
class Masker:
    """Masks the known secrets (serials) and every identifier pattern in any value."""

    secrets: frozenset[str]

    @classmethod
    def for_serials(cls, *serials: object) -> Masker:
        return cls(frozenset(str(s) for s in serials if s and len(str(s)) >= 4))

    def text(self, value: str) -> str:
        for secret in self.secrets:
            value = value.replace(secret, MASK)
        for pattern in _PATTERNS:
            value = pattern.sub(MASK, value)
        return value

    def __call__(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list | tuple):
            return type(value)(self(v) for v in value)
        if isinstance(value, dict):
            return {k: self(v) for k, v in value.items()}
        return value


def report_masker(report: ScanReport) -> Masker:
    return Masker.for_serials(report.device.get("serial"), report.facts.value("device.serial"))


def redact_report(report: ScanReport) -> ScanReport:
    clean = report_masker(report)
    facts = FactSet()
    for fact in report.facts:
        value = MASK if fact.name in _IDENTITY_FACTS and fact.value else clean(fact.value)
        facts.add(Fact(fact.name, value, clean(fact.source), clean(fact.evidence),
                       clean(fact.note)))
    findings = [Finding(**{f.name: clean(getattr(finding, f.name))
                           for f in dataclasses.fields(Finding)})
                for finding in report.findings]
    return dataclasses.replace(report, device=clean(report.device), facts=facts,
                               findings=findings, warnings=clean(report.warnings),
                               capture_dir=clean(report.capture_dir),
                               incomplete=clean(report.incomplete),
                               handover=clean(report.handover))


def redact_capture(capture: Capture, clean: Masker) -> Capture:
    """A copy of the capture with each probe's text masked (re-encoded as UTF-8: a redacted
    capture is evidence of the settings, no longer of the exact bytes)."""
    probes = {name: dataclasses.replace(p, data=clean.text(p.text()).encode(),
                                        command=clean.text(p.command), error=clean.text(p.error))
              for name, p in capture.probes.items()}
    return dataclasses.replace(capture, probes=probes, device=clean(capture.device))
