"""report.junit.xml: JUnit XML, one test case per finding, one suite per area, so a lab's
CI shows failed checks as failed tests. Unread checks are skipped, never passed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from droidaudit.report.model import ScanReport, headline, sort_findings
from droidaudit.rules.model import Finding

_SKIPPED = ("unknown", "notchecked", "notapplicable", "waived", "informational")


def _case(finding: Finding, suite: ET.Element, device: str) -> None:
    name = finding.rule + (f" {finding.item}" if finding.item else "") + f": {finding.title}"
    case = ET.SubElement(suite, "testcase", name=name, classname=f"{device}.{finding.area}")
    text = "\n".join(filter(None, [finding.detail, *finding.evidence, finding.remediation]))
    if finding.status == "fail":
        failure = ET.SubElement(case, "failure", message=headline(finding), type=finding.severity)
        failure.text = text
    elif finding.status == "error":
        error = ET.SubElement(case, "error", message=finding.detail or finding.title)
        error.text = text
    elif finding.status in _SKIPPED:
        ET.SubElement(case, "skipped", message=f"{finding.status}: {finding.detail}")


def render_junit(report: ScanReport) -> bytes:
    device = str(report.device.get("serial") or report.device.get("model") or "phone")
    by_area: dict[str, list[Finding]] = defaultdict(list)
    for finding in sort_findings(report.findings):
        by_area[finding.area].append(finding)
    root = ET.Element("testsuites", name=f"droidaudit {device}")
    for area, findings in sorted(by_area.items()):
        suite = ET.SubElement(root, "testsuite", name=area, timestamp=report.scanned_at,
                              tests=str(len(findings)),
                              failures=str(sum(f.status == "fail" for f in findings)),
                              errors=str(sum(f.status == "error" for f in findings)),
                              skipped=str(sum(f.status in _SKIPPED for f in findings)))
        for finding in findings:
            _case(finding, suite, device)
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"
