"""A short rich summary for the terminal: posture, counts, the top problems, the path."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from droidaudit.report.model import AREA_TITLES, ScanReport, sort_findings

_STYLE = {"fail": "bold red", "unknown": "yellow", "notchecked": "yellow", "error": "red",
          "pass": "green", "informational": "cyan", "waived": "dim", "notapplicable": "dim"}


def print_summary(console: Console, report: ScanReport, report_path: str, top: int = 8) -> None:
    summary = report.summary()
    counts = summary["by_status"]
    console.print(f"[bold]{summary['posture']}[/bold]", highlight=False)
    console.print(
        f"{counts['fail']} to fix · {counts['notchecked']} to check by hand · "
        f"{counts['unknown'] + counts['error']} not readable · {counts['pass']} passed",
        highlight=False)
    worst = [f for f in sort_findings(report.findings) if f.status in ("fail", "notchecked")]
    if worst:
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        table.add_column("status")
        table.add_column("severity")
        table.add_column("area")
        table.add_column("finding", overflow="fold")
        for finding in worst[:top]:
            title = finding.title + (f" ({finding.item})" if finding.item else "")
            table.add_row(f"[{_STYLE[finding.status]}]{finding.status}[/]", finding.severity,
                          AREA_TITLES.get(finding.area, finding.area), title)
        console.print(table)
        if len(worst) > top:
            console.print(f"… and {len(worst) - top} more in the report.", highlight=False)
    for warning in report.warnings:
        console.print(f"[yellow]note:[/] {warning}", highlight=False)
    console.print(f"Report: [bold]{report_path}[/bold]", highlight=False, soft_wrap=True)
