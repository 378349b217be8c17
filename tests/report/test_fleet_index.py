"""The fleet files agree with each other and with their published schema; a CSV cell is
escaped for spreadsheets without corrupting empty cells; the index's one script is the
one its CSP allows."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
from pathlib import Path

import jsonschema

from droidaudit.capture import Capture
from droidaudit.pipeline.options import ScanOptions, load_ruleset
from droidaudit.pipeline.scan import evaluate_capture
from droidaudit.report.csv_cells import escape_cell
from droidaudit.report.fleet_index import write_fleet_files
from droidaudit.report.fleet_rows import FleetEntry

ROOT = Path(__file__).parents[2]
SCHEMA = ROOT / "src" / "droidaudit" / "report" / "fleet.schema.json"


def entries(tmp_path: Path) -> list[FleetEntry]:
    report = evaluate_capture(Capture.load(ROOT / "fixtures" / "demo-pixel7-a14"),
                              ScanOptions(), load_ruleset(ScanOptions()))
    return [
        FleetEntry("10.0.0.5:5037", "=HYPERLINK(\"x\")", "unauthorized", "not scanned",
                   error="not scanned: the phone is unauthorized", fix="Accept the prompt.",
                   listed_model="Pixel 7"),
        FleetEntry("10.0.0.5:5037", "R58M", "device", "at risk", report,
                   tmp_path / "R58M-1" / "report.html", new_failures=("PATCH-001",)),
        FleetEntry("10.0.0.6:5037", "<b>X</b>", "device", "incomplete", report,
                   tmp_path / "X-1" / "report.html", error="the phone stopped answering"),
    ]


def test_escape_cell() -> None:
    assert escape_cell("") == ""
    assert escape_cell("=1+1") == "'=1+1" and escape_cell("@x") == "'@x"
    assert escape_cell("-3") == "'-3" and escape_cell("Pixel 7") == "Pixel 7"


def test_every_phone_in_every_file(tmp_path: Path) -> None:
    folder = tmp_path / "fleet"
    folder.mkdir()
    index = write_fleet_files(entries(tmp_path), folder, "2026-12-07T00:00:00Z").read_text()
    fleet = json.loads((folder / "fleet.json").read_text())
    jsonschema.validate(fleet, json.loads(SCHEMA.read_text()))
    rows = list(csv.DictReader(io.StringIO((folder / "fleet.csv").read_text())))
    assert [p["serial"] for p in fleet["phones"]] == [r["serial"].lstrip("'") for r in rows]
    assert len(rows) == 3 and fleet["counts"] == {"not scanned": 1, "incomplete": 1,
                                                  "at risk": 1}
    locked = rows[0]
    assert locked["serial"] == "'=HYPERLINK(\"x\")" and locked["fail"] == ""
    assert locked["model"] == "Pixel 7" and locked["fix"] == "Accept the prompt."
    assert rows[2]["new_since_last_scan"] == "PATCH-001"
    assert rows[1]["report"] == "../X-1/report.html" and rows[1]["error"]
    assert "&lt;b&gt;X&lt;/b&gt;" in index and "<b>X</b>" not in index
    assert "partial report" in index and "PATCH-001" in index and "first scan" in index


def test_the_sort_script_is_the_one_the_csp_allows(tmp_path: Path) -> None:
    folder = tmp_path / "fleet"
    folder.mkdir()
    index = write_fleet_files(entries(tmp_path), folder, "2026-12-07T00:00:00Z").read_text()
    [allowed] = re.findall(r"script-src 'sha256-([^']+)'", index)
    [script] = re.findall(r"<script>(.*?)</script>", index, re.S)
    assert base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() == allowed
