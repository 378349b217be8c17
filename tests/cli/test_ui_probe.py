"""`scan --ui-probe` options: usage errors, the y/N offer's default, the person's words."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from droidaudit.cli import main
from droidaudit.cli.ui_probe import TerminalPerson

DEMO = Path(__file__).parents[2] / "fixtures" / "demo-pixel7-a14"


@pytest.mark.parametrize("args", [["--open"], ["--ui-probe", "--capture", str(DEMO)],
                                  ["--ui-probe", "--all"]])
def test_ui_probe_usage_errors(args: list[str], tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["scan", "--out", str(tmp_path), *args])
    assert result.exit_code == 2, result.output


def test_help_teaches_the_feature() -> None:
    text = CliRunner().invoke(main, ["scan", "--help"]).output
    for words in ("--ui-probe", "never taps", "TalkBack", "--ui-timeout", "--open"):
        assert words in text


def test_the_offer_defaults_to_no(monkeypatch: pytest.MonkeyPatch) -> None:
    for answer, said in (("\n", False), ("n\n", False), ("y\n", True), ("", False)):
        monkeypatch.setattr("sys.stdin", io.StringIO(answer))
        assert TerminalPerson().ask_yes("?") is said
    monkeypatch.setattr("sys.stdin", io.StringIO("q\n"))
    assert TerminalPerson().wait("?") is False
