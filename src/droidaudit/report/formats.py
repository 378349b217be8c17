"""The report formats a scan can write: name → (file name, renderer). Adding a format is
one module and one line here."""

from __future__ import annotations

from collections.abc import Callable

from droidaudit.report.csv_report import render_findings_csv
from droidaudit.report.html import render_html
from droidaudit.report.json_report import render_json
from droidaudit.report.junit import render_junit
from droidaudit.report.model import ScanReport
from droidaudit.report.sarif import render_sarif

Renderer = Callable[[ScanReport], bytes]

FORMATS: dict[str, tuple[str, Renderer]] = {
    "html": ("report.html", render_html),
    "json": ("report.json", render_json),
    "sarif": ("report.sarif", render_sarif),
    "junit": ("report.junit.xml", render_junit),
    "csv": ("report.csv", render_findings_csv),
}
