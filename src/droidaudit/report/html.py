"""report.html: one self-contained page (inline CSS, no network), autoescaped, printable.
Every device string is hostile input: nothing here marks text as safe."""

from __future__ import annotations

from typing import Any

import jinja2

from droidaudit.report.model import AREA_TITLES, ScanReport, sort_findings
from droidaudit.rules.model import Finding

# Which remediation_oem key applies to a manufacturer (ro.product.manufacturer).
_OEM_KEYS = {"google": "google", "samsung": "samsung", "xiaomi": "xiaomi", "redmi": "xiaomi",
             "poco": "xiaomi"}

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("droidaudit.report", "templates"),
    autoescape=True,  # always on, whatever the template name
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def oem_key(manufacturer: object) -> str:
    return _OEM_KEYS.get(str(manufacturer or "").strip().lower(), "")


def _group(findings: list[Finding], *statuses: str) -> list[Finding]:
    return [f for f in sort_findings(findings) if f.status in statuses]


def render_html(report: ScanReport) -> bytes:
    facts = report.facts
    context: dict[str, Any] = {
        "report": report,
        "summary": report.summary(),
        "area_titles": AREA_TITLES,
        "oem": oem_key(facts.value("device.manufacturer")),
        "failed": _group(report.findings, "fail"),
        "by_hand": _group(report.findings, "notchecked"),
        "unread": _group(report.findings, "unknown", "error"),
        "info": _group(report.findings, "informational"),
        "waived": _group(report.findings, "waived"),
        "passed": _group(report.findings, "pass"),
        "not_applicable": _group(report.findings, "notapplicable"),
        "device_line": _device_line(report),
    }
    return _ENV.get_template("report.html.j2").render(context).encode("utf-8", "backslashreplace")


def _device_line(report: ScanReport) -> str:
    value = report.facts.value
    maker, model = value("device.manufacturer"), value("device.model")
    release, patch = value("os.release"), value("os.security_patch")
    parts = [" ".join(str(p) for p in (maker, model) if p) or "Unknown phone"]
    parts.append(f"Android {release}" if release else "Android release unknown")
    parts.append(f"security patch {patch}" if patch else "security patch unknown")
    return " · ".join(parts)
