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
