"""`droidaudit demo --live`: the bundled capture served by a virtual phone behind a private
adb server it starts and stops itself. (A module of its own: the rig fixtures of the other
live tests disarm adbutils' server start-up while their module runs.)"""

import json
from pathlib import Path

from click.testing import CliRunner

from droidaudit.cli import main


def test_demo_live_scans_through_a_private_server_and_stops_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["demo", "--live", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    folder = next(p for p in tmp_path.iterdir() if p.is_dir())
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["origin"] == "live" and manifest["probes"]["getprop"]["error"] == ""
    assert (folder / "report.html").is_file()


def _findings(folder: Path) -> list[tuple[str, str | None, str]]:
    report = json.loads((folder / "report.json").read_text())
    return sorted((f["rule"], f["item"], f["status"]) for f in report["findings"])


def test_demo_and_demo_live_give_the_same_findings(tmp_path: Path) -> None:
    offline, live = tmp_path / "offline", tmp_path / "live"
    assert CliRunner().invoke(main, ["demo", "--out", str(offline)]).exit_code == 0
    assert CliRunner().invoke(main, ["demo", "--live", "--out", str(live)]).exit_code == 0
    offline_folder, live_folder = next(offline.iterdir()), next(live.iterdir())
    assert _findings(offline_folder) == _findings(live_folder)
    assert "source: a saved capture" in (offline_folder / "report.html").read_text()
    assert "source: read live from the phone" in (live_folder / "report.html").read_text()
