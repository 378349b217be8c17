"""Progress for many phones: a table row per phone on a terminal, one plain line per
finished phone otherwise, each naming the phone, its result and what to do."""

from __future__ import annotations

import pytest
from rich.console import Console

from droidaudit.cli.progress import FleetProgress, result_line
from droidaudit.pipeline.fleet import PhoneResult


def test_plain_lines_when_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    with FleetProgress() as progress:
        progress.stage("h:5037", "A", "Reading settings")
        progress.finished(PhoneResult("h:5037", "A", "unauthorized", error="not scanned",
                                      fix="Accept the prompt.", result="not scanned"))
    out = capsys.readouterr().out
    assert out.strip() == "A (h:5037): not scanned — not scanned. Accept the prompt."


def test_the_table_has_a_row_per_phone_with_its_stage() -> None:
    progress = FleetProgress()
    progress.stage("h:5037", "A", "waiting", "Galaxy S24")
    progress.stage("h:5037", "B", "Reading settings and states (1/3)")
    progress.finished(PhoneResult("h:5038", "C", "offline", listed_model="Pixel 7",
                                  error="x", result="not scanned"))
    console = Console(width=120, record=True)
    console.print(progress._table())
    text = console.export_text()
    assert "Reading settings and states (1/3)" in text and "Pixel 7" in text
    assert "Galaxy S24" in text
    assert [line.split()[1] for line in text.splitlines()[1:4]] == ["A", "B", "C"]


def test_result_line_says_what_is_new() -> None:
    result = PhoneResult("h:5037", "A", "device", result="at risk",
                         new_failures=("PATCH-001",))
    assert result_line(result) == "A (h:5037): at risk — new since last scan: PATCH-001"
