"""One handler for every command: plain words and the right exit code, never a traceback."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from droidaudit.cli import main
from droidaudit.errors import DeviceError, UserError

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo-pixel7-a14"


@pytest.fixture
def boom() -> click.Command:
    """A throw-away command raising whatever the test puts in `boom.error`."""

    @click.command("boom")
    def command() -> None:
        raise command.error  # type: ignore[attr-defined]

    main.add_command(command)
    yield command
    main.commands.pop("boom")


@pytest.mark.parametrize(("error", "code"), [
    (UserError("that file is not a capture"), 2),
    (DeviceError("the phone stopped answering"), 3),
    (ValueError("something nobody foresaw"), 2),
    (KeyboardInterrupt(), 130),
])
def test_errors_become_one_line_and_an_exit_code(boom: click.Command, error: BaseException,
                                                 code: int) -> None:
    boom.error = error  # type: ignore[attr-defined]
    result = CliRunner().invoke(main, ["boom"])
    assert result.exit_code == code
    assert "Traceback" not in result.output
    assert result.output.startswith("error: ")
    assert result.output.count("\n") == 1


def test_debug_shows_the_unexpected_error(boom: click.Command) -> None:
    boom.error = ValueError("bug")  # type: ignore[attr-defined]
    result = CliRunner().invoke(main, ["--debug", "boom"])
    assert isinstance(result.exception, ValueError)


def test_unwritable_out_names_the_path(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = CliRunner().invoke(main, ["scan", "--capture", str(DEMO), "--out",
                                       str(blocker / "reports")])
    assert result.exit_code == 2
    assert str(blocker / "reports") in result.output
    assert "Traceback" not in result.output


def test_python_dash_m_is_the_same_command() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "droidaudit", "--version"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "droidaudit" in done.stdout
