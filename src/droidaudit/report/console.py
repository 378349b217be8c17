"""A short rich summary for the terminal: posture, counts, the top problems, the path.

Text that came from a phone, a file or a rule is never read as rich markup, and control
characters (ANSI/OSC escapes, a `\\x1b[2J` in a package name) are shown escaped: nothing a
phone says can restyle, clear or write to the person's terminal.
"""

from __future__ import annotations

import re

from rich.console import Console
from rich.table import Table
from rich.text import Text

from droidaudit.report.model import AREA_TITLES, ScanReport, sort_findings

_STYLE = {"fail": "bold red", "unknown": "yellow", "notchecked": "yellow", "error": "red",
          "pass": "green", "informational": "cyan", "waived": "dim", "notapplicable": "dim"}
# C0/C1 controls but newline and tab, and the Unicode bidi overrides and isolates (they
# reorder what the terminal shows: a package name can make "fail" read as "pass").
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with every control character but newline and tab shown as an escape."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def print_summary(console: Console, report: ScanReport, report_path: str, top: int = 8) -> None:
    summary = report.summary()
    counts = summary["by_status"]
    console.print(Text(printable(summary["posture"]), style="bold"))
    console.print(Text(
        f"{counts['fail']} to fix · {counts['notchecked']} to check by hand · "
        f"{counts['unknown'] + counts['error']} not readable · {counts['pass']} passed"))
    worst = [f for f in sort_findings(report.findings) if f.status in ("fail", "notchecked")]
    if worst:
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        table.add_column("status")
        table.add_column("severity")
        table.add_column("area")
        table.add_column("finding", overflow="fold")
        for finding in worst[:top]:
            title = finding.title + (f" ({finding.item})" if finding.item else "")
            table.add_row(Text(finding.status, style=_STYLE.get(finding.status, "")),
                          Text(printable(finding.severity)),
                          Text(printable(AREA_TITLES.get(finding.area, finding.area))),
                          Text(printable(title)))
        console.print(table)
        if len(worst) > top:
            console.print(Text(f"… and {len(worst) - top} more in the report."))
    for warning in report.warnings:
        console.print(Text.assemble(("note: ", "yellow"), printable(warning)))
    console.print(Text.assemble("Report: ", (printable(report_path), "bold")), soft_wrap=True)
