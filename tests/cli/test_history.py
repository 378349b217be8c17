"""History end to end through the CLI: scans are recorded, `history` lists them, `diff
SERIAL` gives the change between the last two, --redact keeps the serial out of the
database, --no-db records nothing."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from droidaudit.cli import main
from droidaudit.pipeline.fleet import DEFAULT_JOBS

DEMO = Path(__file__).parents[2] / "fixtures" / "demo-pixel7-a14"
SERIAL = "28021FDH2000XK"


def later_capture(tmp_path: Path) -> Path:
    """The demo phone a day later, with Play Protect turned off."""
    target = tmp_path / "later"
    shutil.copytree(DEMO, target)
    settings = target / "probes" / "settings_global.txt"
    settings.write_bytes(settings.read_bytes().replace(b"package_verifier_enable=1",
                                                       b"package_verifier_enable=0"))
    manifest = json.loads((target / "manifest.json").read_text())
    manifest["started"], manifest["finished"] = "2024-06-21T09:00:00Z", "2024-06-21T09:01:00Z"
    (target / "manifest.json").write_text(json.dumps(manifest))
    return target


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_two_scans_show_in_history_and_diff_serial_gives_the_change(tmp_path: Path) -> None:
    db = str(tmp_path / "h.db")
    for capture in (DEMO, later_capture(tmp_path)):
        code, output = cli("scan", "--capture", str(capture), "--out", str(tmp_path / "o"),
                           "-q", "--db", db)
        assert code == 1, output
    code, output = cli("history", SERIAL, "--db", db)
    assert code == 0
    lines = output.splitlines()
    assert len(lines) == 2 and lines[0].startswith("2024-06-20") and "Pixel 7" in lines[0]
    assert lines[1].startswith("2024-06-21") and str(tmp_path / "o") in lines[1]
    code, output = cli("diff", SERIAL, "--db", db)
    assert code == 1, output  # a check newly fails
    assert "pass → fail" in output and "DEBUG" in output
    code, output = cli("history", "--db", db)
    assert len(output.splitlines()) == 1  # one phone, its latest scan


def test_diff_serial_needs_two_scans(tmp_path: Path) -> None:
    db = str(tmp_path / "h.db")
    cli("scan", "--capture", str(DEMO), "--out", str(tmp_path / "o"), "-q", "--db", db)
    code, output = cli("diff", SERIAL, "--db", db)
    assert code == 2 and "needs two" in output and "Traceback" not in output


def test_redact_keeps_the_serial_out_of_the_database(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    cli("scan", "--capture", str(DEMO), "--out", str(tmp_path / "o"), "-q", "--redact",
        "--db", str(db))
    with sqlite3.connect(db) as conn:
        dump = "\n".join(conn.iterdump())
    assert SERIAL not in dump and "<redacted>" in dump


def test_no_db_records_nothing(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    cli("scan", "--capture", str(DEMO), "--out", str(tmp_path / "o"), "-q", "--no-db",
        "--db", str(db))
    assert not db.exists()


def test_jobs_help_states_the_default() -> None:
    _, output = cli("scan", "--help")
    assert f"default {DEFAULT_JOBS}" in output


def test_an_unusable_database_warns_and_keeps_the_scan(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    db.write_bytes(b"not a database" * 100)
    code, output = cli("scan", "--capture", str(DEMO), "--out", str(tmp_path / "o"), "-q",
                       "--db", str(db))
    assert code == 1  # the scan's own result: findings
    assert "not recorded in the history" in output and "--no-db" in output
    assert list((tmp_path / "o").glob("*/report.html"))
