"""report.sarif: SARIF 2.1.0 for labs and CI gates. One result per finding; a failed check
is an error/warning/note by severity, an unread one is `review`, never `pass`."""

from __future__ import annotations

import json
from typing import Any

from droidaudit.report.model import ScanReport, found, headline, named_item, sort_findings
from droidaudit.rules.model import Finding

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
_SCORE = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "0.0"}
_KIND = {"fail": "fail", "pass": "pass", "notapplicable": "notApplicable",
         "informational": "informational", "waived": "informational",
         "unknown": "review", "notchecked": "review", "error": "review"}


def _rule(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.rule,
        "name": finding.rule.replace("-", ""),
        "shortDescription": {"text": finding.title},
        "fullDescription": {"text": finding.rationale or finding.title},
        "help": {"text": finding.remediation or finding.title},
        "properties": {"security-severity": _SCORE.get(finding.severity, "0.0"),
                       "tags": ["security", finding.area], "references": list(finding.references)},
    }


def _result(finding: Finding, device: str) -> dict[str, Any]:
    kind = _KIND.get(finding.status, "review")
    item = named_item(finding)
    message = headline(finding) + (f" ({item})" if item else "")
    if found(finding):
        message += f": {found(finding)}"
    return {
        "ruleId": finding.rule,
        "kind": kind,
        "level": _LEVEL.get(finding.severity, "note") if kind == "fail" else "none",
        "message": {"text": message},
        "locations": [{"logicalLocations": [
            {"name": finding.item or device, "kind": "object",
             "fullyQualifiedName": f"{device}/{finding.item}" if finding.item else device}]}],
        "properties": {"status": finding.status, "severity": finding.severity,
                       "area": finding.area, "evidence": list(finding.evidence)},
    }


def render_sarif(report: ScanReport) -> bytes:
    device = str(report.device.get("serial") or report.device.get("model") or "phone")
    findings = sort_findings(report.findings)
    rules: dict[str, dict[str, Any]] = {}
    for finding in findings:
        rules.setdefault(finding.rule, _rule(finding))
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "droidaudit", "version": report.tool_version,
                                "semanticVersion": report.tool_version,
                                "rules": list(rules.values())}},
            "invocations": [{"executionSuccessful": True,
                             "endTimeUtc": report.scanned_at,
                             "toolExecutionNotifications": [
                                 {"level": "warning", "message": {"text": w}}
                                 for w in report.warnings]}],
            "results": [_result(f, device) for f in findings],
            "properties": {"device": report.device, "profile": report.profile,
                           "rulesVersion": report.rules_version},
        }],
    }
    text = json.dumps(log, indent=2, ensure_ascii=False)
    return text.encode("utf-8", "backslashreplace") + b"\n"
