"""report.csv: one row per finding, for a spreadsheet. Cells go through csv_cells, the one
formula escape fleet.csv uses too."""

from __future__ import annotations

from droidaudit.report.actions import oem_key, steps_for
from droidaudit.report.csv_cells import render_csv
from droidaudit.report.model import STATE_NAMES, ScanReport, found, headline, sort_findings

COLUMNS = ("device", "model", "scanned_at", "rule", "status", "state", "severity", "area",
           "item", "headline", "found", "what_to_do", "on_this_phone", "references")


def render_findings_csv(report: ScanReport) -> bytes:
    oem = oem_key(report.facts.value("device.manufacturer"))
    device = str(report.device.get("serial") or "")
    model = str(report.device.get("model") or "")
    rows = [{
        "device": device, "model": model, "scanned_at": report.scanned_at, "rule": f.rule,
        "status": f.status, "state": STATE_NAMES.get(f.status, f.status),
        "severity": f.severity, "area": f.area, "item": f.item or "", "headline": headline(f),
        "found": found(f), "what_to_do": f.remediation if f.status != "pass" else "",
        "on_this_phone": steps_for(f, oem) if oem and f.status != "pass" else "",
        "references": "; ".join(f.references),
    } for f in sort_findings(report.findings)]
    return render_csv(COLUMNS, rows)
