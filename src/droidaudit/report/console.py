"""A short summary for the terminal: a cut-short scan first, the verdict, the counts, what to
do first, the top problems with their rule ids, the path. Wrapped at word boundaries to the
terminal's width (readable at 60-80 columns), no trailing spaces.

Text that came from a phone, a file or a rule is never read as rich markup, and control
characters (ANSI/OSC escapes, a `\\x1b[2J` in a package name) are shown escaped: nothing a
phone says can restyle, clear or write to the person's terminal.
"""

from __future__ import annotations

import re
import textwrap

from rich.console import Console
from rich.text import Text

from droidaudit.report.actions import first_actions, oem_key
from droidaudit.report.apps_view import app_rows
from droidaudit.report.model import (
    RESCAN_ADVICE,
    STATE_NAMES,
    ScanReport,
    headline,
    named_item,
    severity_rank,
    sort_findings,
)
from droidaudit.rules.model import Finding

_SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan",
                   "info": "dim"}
# C0/C1 controls but newline and tab, and the Unicode bidi overrides and isolates (they
# reorder what the terminal shows: a package name can make "fail" read as "pass").
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_RULE_W, _SEV_W = 11, 9  # "BACKUP-003 " and "critical "


def printable(text: str) -> str:
    """`text` with every control character but newline and tab shown as an escape."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def wrap(text: str, width: int, indent: int = 0) -> list[str]:
    """Lines broken between words (a word longer than a line stays whole) to fit `width`
    columns after an `indent`: the first line follows a prefix of that width (a rule id, a
    number), the others start with `indent` spaces."""
    first, *rest = textwrap.wrap(printable(text), width=max(20, width - indent),
                                 break_long_words=False, break_on_hyphens=False) or [""]
    return [first, *(" " * indent + line for line in rest)]


def counts_line(report: ScanReport) -> str:
    counts = report.summary()["by_status"]
    parts = [(counts["fail"], "fail"), (counts["notchecked"], "notchecked"),
             (counts["unknown"] + counts["error"], "unknown"), (counts["pass"], "pass")]
    # No-break spaces inside each count: a line breaks between counts, never inside one.
    return " · ".join(f"{n} {STATE_NAMES[state]}".replace(" ", "\u00a0") for n, state in parts)


def _finding_lines(finding: Finding, width: int) -> list[Text]:
    label = printable(finding.severity)  # a loaded report.json is hostile input too
    item = named_item(finding)
    title = ("Check by hand: " if finding.status == "notchecked" else "") + \
        headline(finding) + (f" ({item})" if item else "")
    body = wrap(title, width, indent=_RULE_W + _SEV_W)
    first = Text.assemble(f"{printable(finding.rule):<{_RULE_W}}",
                          (f"{label:<{_SEV_W}}", _SEVERITY_STYLE.get(finding.severity, "")),
                          body[0])
    return [first, *(Text(line) for line in body[1:])]


def print_summary(console: Console, report: ScanReport, report_path: str, top: int = 8) -> None:
    width = max(40, min(console.width, 100))
    if report.incomplete:
        for line in wrap("Scan incomplete: the phone stopped answering. " + RESCAN_ADVICE,
                         width):
            console.print(Text(line, style="bold red"))
    for line in wrap(report.summary()["posture"], width):
        console.print(Text(line, style="bold"))
    for line in wrap(counts_line(report), width):
        console.print(Text(line))
    oem = oem_key(report.facts.value("device.manufacturer"))
    actions = first_actions(report.findings, app_rows(report.facts.value("apps"),
                                                      report.findings), oem)
    if actions:
        console.print(Text("Do these first:", style="bold"))
    for number, action in enumerate(actions, start=1):
        closes = f" (closes {len(action.closes)})" if len(action.closes) > 1 else ""
        how = " (check by hand)" if action.by_hand else ""
        for line in wrap(f"{number}. {action.sentence}{how}{closes}", width, indent=3):
            console.print(Text(line))
    # The most serious first, whether to fix or to check by hand (a critical MMS check
    # outranks a medium failure).
    worst = sorted((f for f in sort_findings(report.findings)
                    if f.status in ("fail", "notchecked")),
                   key=lambda f: -severity_rank(f.severity))
    if worst:
        console.print(Text(f"{'rule':<{_RULE_W}}{'severity':<{_SEV_W}}finding", style="bold"))
    for finding in worst[:top]:
        for text in _finding_lines(finding, width):
            console.print(text)
    if len(worst) > top:
        console.print(Text(f"… and {len(worst) - top} more in the report."))
    for warning in report.warnings:
        console.print(Text.assemble(("note: ", "yellow"), printable(warning)))
    console.print(Text.assemble("Report: ", (printable(report_path), "bold")), soft_wrap=True)
