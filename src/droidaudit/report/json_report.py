"""report.json: the public, versioned contract (DESIGN §6). Keep it stable: add fields,
never rename or remove one without bumping REPORT_FORMAT."""

from __future__ import annotations

import json
from typing import Any

from droidaudit.report.model import ScanReport, sort_findings

REPORT_FORMAT = "droidaudit-report/1"


def report_dict(report: ScanReport) -> dict[str, Any]:
    public = [fact for fact in report.facts if not fact.name.startswith("_")]
    return {
        "format": REPORT_FORMAT,
        "tool_version": report.tool_version,
        "rules_version": report.rules_version,
        "scanned_at": report.scanned_at,
        "origin": report.origin,
        "profile": report.profile,
        "device": report.device,
        "facts": {fact.name: fact.value for fact in sorted(public, key=lambda f: f.name)},
        "fact_sources": {
            fact.name: {"probe": fact.source, "evidence": list(fact.evidence), "note": fact.note}
            for fact in sorted(public, key=lambda f: f.name)
        },
        "findings": [
            {
                "rule": f.rule,
                "title": f.title,
                "headline": f.headline or f.title,
                "area": f.area,
                "severity": f.severity,
                "status": f.status,
                "item": f.item,
                "detail": f.detail,
                "found": f.found,
                "evidence": list(f.evidence),
                "facts": list(f.facts),
                "rationale": f.rationale,
                "remediation": f.remediation,
                "remediation_oem": dict(f.remediation_oem),
                "manual": f.manual,
                "references": list(f.references),
            }
            for f in sort_findings(report.findings)
        ],
        "summary": report.summary(),
        "warnings": list(report.warnings),
        "capture": report.capture_dir,
        # Added in 0.2 (additive): a partial scan, the hand-over header, when reading began.
        "incomplete": list(report.incomplete),
        "handover": dict(report.handover),
        "started_at": report.started_at,
    }


def render_json(report: ScanReport) -> bytes:
    # A lone surrogate (from a JSON import) cannot be UTF-8: written as its escape.
    text = json.dumps(report_dict(report), indent=2, ensure_ascii=False)
    return text.encode("utf-8", "backslashreplace") + b"\n"
