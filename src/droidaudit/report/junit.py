"""report.junit.xml: JUnit XML, one test case per finding, one suite per area, so a lab's
CI shows failed checks as failed tests. Unread checks are skipped, never passed.

Every string is made XML 1.0-safe first: characters XML cannot carry (NUL, ESC, other C0
controls a phone's strings may hold) are written as `\\xNN`, so the file stays well-formed
whatever the device printed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from droidaudit.report.model import ScanReport, headline, sort_findings
from droidaudit.rules.model import Finding

_SKIPPED = ("unknown", "notchecked", "notapplicable", "waived", "informational")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _x(text: str) -> str:
    return _NOT_XML.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _sub(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    return ET.SubElement(parent, tag, {k: _x(v) for k, v in attributes.items()})


def _case(finding: Finding, suite: ET.Element, device: str) -> None:
    name = finding.rule + (f" {finding.item}" if finding.item else "") + f": {finding.title}"
    case = _sub(suite, "testcase", name=name, classname=f"{device}.{finding.area}")
    text = _x("\n".join(filter(None, [finding.detail, *finding.evidence, finding.remediation])))
    if finding.status == "fail":
        failure = _sub(case, "failure", message=headline(finding), type=finding.severity)
        failure.text = text
    elif finding.status == "error":
        error = _sub(case, "error", message=finding.detail or finding.title)
        error.text = text
    elif finding.status in _SKIPPED:
        _sub(case, "skipped", message=f"{finding.status}: {finding.detail}")


def render_junit(report: ScanReport) -> bytes:
    device = str(report.device.get("serial") or report.device.get("model") or "phone")
    by_area: dict[str, list[Finding]] = defaultdict(list)
    for finding in sort_findings(report.findings):
        by_area[finding.area].append(finding)
    root = ET.Element("testsuites", name=_x(f"droidaudit {device}"))
    for area, findings in sorted(by_area.items()):
        suite = _sub(root, "testsuite", name=area, timestamp=report.scanned_at,
                     tests=str(len(findings)),
                     failures=str(sum(f.status == "fail" for f in findings)),
                     errors=str(sum(f.status == "error" for f in findings)),
                     skipped=str(sum(f.status in _SKIPPED for f in findings)))
        for finding in findings:
            _case(finding, suite, device)
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"
