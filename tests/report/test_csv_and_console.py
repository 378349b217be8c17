"""The findings CSV and the fleet CSV share one formula escape (empty cells stay empty);
the console summary fits 60-80 columns with rule ids and never lets device text through raw."""

from __future__ import annotations

import csv
import io

import pytest
from rich.console import Console

from droidaudit.report.console import print_summary
from droidaudit.report.csv_cells import escape_cell, render_csv
from droidaudit.report.csv_report import render_findings_csv
from tests.report.test_reports import finding, hostile_report


@pytest.mark.parametrize(("raw", "cell"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"), ("-2", "'-2"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("", ""), ("plain", "plain"),
])
def test_one_escape_for_formulas_keeps_empty_cells_empty(raw: str, cell: str) -> None:
    assert escape_cell(raw) == cell


def test_fleet_and_findings_csv_leave_empty_cells_empty() -> None:
    fleet = render_csv(("a", "b"), [{"a": "", "b": "=1+1"}]).decode()  # fleet.csv's escape
    assert fleet.splitlines()[1] == ",'=1+1"
    report = hostile_report([finding("fail", item="=cmd|' /C calc'!A0"), finding("pass")])
    rows = list(csv.DictReader(io.StringIO(render_findings_csv(report).decode())))
    assert rows[0]["item"].startswith("'=") and rows[0]["rule"] == "PATCH-001"
    assert rows[1]["item"] == "" and rows[1]["what_to_do"] == ""
    assert rows[0]["state"] == "to fix" and rows[1]["state"] == "passed"


@pytest.mark.parametrize("width", [60, 80])
def test_console_summary_fits_the_terminal(width: int) -> None:
    report = hostile_report([finding("fail", item="com.example.a.rather.long.package.name"),
                             finding("fail", rule="LOCK-003", area="lockscreen",
                                     severity="medium"),
                             finding("notchecked", rule="MMS-001", area="mms")])
    buffer = io.StringIO()
    print_summary(Console(file=buffer, width=width, color_system=None), report,
                  "/reports/report.html")
    lines = buffer.getvalue().splitlines()
    assert all(len(line) <= width for line in lines)
    assert all(line == line.rstrip() for line in lines)
    assert any(line.startswith("PATCH-001") for line in lines)
    assert any(line.startswith("LOCK-003") for line in lines)
    assert "Do these first:" in lines


def test_console_shows_escapes_from_the_phone_escaped() -> None:
    evil = "com.evil\x1b]0;owned\x07\x1b[2J"
    report = hostile_report([finding("fail", item=evil)])
    report.incomplete = ["getprop: connection reset"]
    buffer = io.StringIO()
    print_summary(Console(file=buffer, width=80, force_terminal=True), report, "r.html")
    out = buffer.getvalue()
    assert "\x1b]0;owned" not in out and "\x1b[2J" not in out and "\x07" not in out
    assert "\\x1b]0;owned" in out
    assert out.index("Scan incomplete") < out.index("Do these first")
