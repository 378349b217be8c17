"""Read a report.json back (to re-render it, or to compare two scans). Accepts only the
droidaudit-report/1 format; anything else is a plain error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from droidaudit.facts import Fact, FactSet
from droidaudit.report.json_report import REPORT_FORMAT
from droidaudit.report.model import ScanReport
from droidaudit.rules.model import STATUSES, Finding
from droidaudit.sources.base import SourceError


def load_report(path: Path) -> ScanReport:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SourceError(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != REPORT_FORMAT:
        raise SourceError(f"{path} is not a droidaudit report ({REPORT_FORMAT})")
    try:
        return _report(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise SourceError(f"{path} is a damaged droidaudit report: {exc}") from exc


def _report(data: dict[str, Any]) -> ScanReport:
    facts = FactSet()
    sources = data.get("fact_sources", {})
    for name, value in data["facts"].items():
        source = sources.get(name, {})
        facts.add(Fact(name, value, str(source.get("probe", "")),
                       tuple(source.get("evidence", ())), str(source.get("note", ""))))
    findings = [_finding(f) for f in data["findings"]]
    return ScanReport(device=dict(data["device"]), scanned_at=str(data["scanned_at"]),
                      origin=str(data.get("origin", "")), profile=str(data.get("profile", "")),
                      facts=facts, findings=findings, rules_version=str(data["rules_version"]),
                      tool_version=str(data["tool_version"]),
                      capture_dir=str(data.get("capture", "")),
                      warnings=[str(w) for w in data.get("warnings", [])])


def _finding(raw: dict[str, Any]) -> Finding:
    if raw["status"] not in STATUSES:
        raise ValueError(f"unknown status {raw['status']!r}")
    return Finding(
        rule=str(raw["rule"]), title=str(raw["title"]), area=str(raw["area"]),
        severity=str(raw["severity"]), status=raw["status"], detail=str(raw.get("detail", "")),
        evidence=tuple(raw.get("evidence", ())), facts=tuple(raw.get("facts", ())),
        item=raw.get("item"), rationale=str(raw.get("rationale", "")),
        remediation=str(raw.get("remediation", "")),
        remediation_oem=dict(raw.get("remediation_oem", {})),
        references=tuple(raw.get("references", ())), manual=str(raw.get("manual", "")),
        headline=str(raw.get("headline", "")), found=str(raw.get("found", "")))
