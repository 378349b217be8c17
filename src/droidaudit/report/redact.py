"""--redact: take personal identifiers out of a report before it is shared.

Masks the phone's serial wherever it appears, and e-mail addresses (accounts), IMEI-like
15-digit numbers, MAC addresses and phone numbers in any text of the report. The raw
capture beside the report is never changed (it is the evidence; keep it private).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

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


def redact_report(report: ScanReport) -> ScanReport:
    secrets = {str(v) for v in (report.device.get("serial"), report.facts.value("device.serial"))
               if v and len(str(v)) >= 4}

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            for secret in secrets:
                value = value.replace(secret, MASK)
            for pattern in _PATTERNS:
                value = pattern.sub(MASK, value)
            return value
        if isinstance(value, list | tuple):
            return type(value)(clean(v) for v in value)
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        return value

    facts = FactSet()
    for fact in report.facts:
        value = MASK if fact.name in _IDENTITY_FACTS and fact.value else clean(fact.value)
        facts.add(Fact(fact.name, value, fact.source, clean(fact.evidence), clean(fact.note)))
    findings = [Finding(**{f.name: clean(getattr(finding, f.name))
                           for f in dataclasses.fields(Finding)})
                for finding in report.findings]
    return dataclasses.replace(report, device=clean(report.device), facts=facts,
                               findings=findings, warnings=clean(report.warnings),
                               capture_dir=clean(report.capture_dir))
