"""`scan --all` for a lab, through real adb servers to virtual phones: every phone every
server lists is in the console, index.html, fleet.json, fleet.csv and the history
database, in whatever state it is, and the faulty ones never stall the others."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from droidaudit.cli import main
from droidaudit.vphone.rig import ADB_BINARIES, AdbRig

DEMO = Path(__file__).parents[2] / "fixtures" / "demo-pixel7-a14"


def _binary() -> str:
    # One adb is enough here: test_live_scan.py runs every fault against both.
    for find in ADB_BINARIES.values():
        path = find()
        if path:
            return path
    pytest.skip("no adb binary")


@pytest.fixture
def rigs() -> Iterator[tuple[AdbRig, AdbRig]]:
    with AdbRig() as one, AdbRig() as two:
        one.start_server(_binary())
        two.start_server(_binary())
        yield one, two
        for rig in (one, two):
            assert rig.write_attempts == [] and all(
                p.write_attempts == [] for p in rig.phones.values())


def fleet_files(out: Path) -> tuple[str, dict, list[dict[str, str]]]:
    folder = next(out.glob("fleet-*"))
    rows = list(csv.DictReader(io.StringIO((folder / "fleet.csv").read_text())))
    return ((folder / "index.html").read_text(),
            json.loads((folder / "fleet.json").read_text()), rows)


def run(*args: str, db: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["scan", "--all", "--db", str(db), *args])
    return result.exit_code, result.output


def test_ten_phones_on_one_server_and_two_on_another(rigs: tuple[AdbRig, AdbRig],
                                                    tmp_path: Path) -> None:
    one, two = rigs
    phones = {(f"{one.host}:{one.port}", one.add_phone(DEMO)) for _ in range(10)}
    phones |= {(f"{two.host}:{two.port}", two.add_phone(DEMO)) for _ in range(2)}
    code, output = run("--adb", f"{one.host}:{one.port}", "--adb", f"{two.host}:{two.port}",
                       "--out", str(tmp_path / "out"), "--jobs", "4", "--format", "json", db=tmp_path / "h.db")
    assert code == 1, output  # every phone scanned; the demo phone fails high checks
    index, fleet, rows = fleet_files(tmp_path / "out")
    assert fleet["format"] == "droidaudit-fleet/1"
    assert {(p["server"], p["serial"]) for p in fleet["phones"]} == phones
    assert {(r["server"], r["serial"]) for r in rows} == phones
    assert all(p["result"] == "at risk" and p["report"].endswith("report.json")
               for p in fleet["phones"])
    for _, serial in phones:
        assert serial in index and serial in output
    reports = [p for p in (tmp_path / "out").iterdir() if not p.name.startswith("fleet")]
    assert len(reports) == 12
    with sqlite3.connect(tmp_path / "h.db") as db:
        assert db.execute("SELECT count(*) FROM scans").fetchone()[0] == 12


def test_every_faulty_phone_is_accounted_for_and_the_rest_complete(
        rigs: tuple[AdbRig, AdbRig], tmp_path: Path) -> None:
    rig = rigs[0]
    good = [rig.add_phone(DEMO) for _ in range(2)]
    locked = rig.add_phone(DEMO, faults=["unauthorized"], wait_for="unauthorized")
    offline = rig.add_phone(DEMO, faults=["hang"], wait_for=None, timeout=1)
    dropped = rig.add_phone(DEMO, faults=["drop-after:5000"])
    hung = rig.add_phone(DEMO, faults=["hang-open"])
    rig.wait_for_state(offline, "offline")
    started = time.monotonic()
    code, output = run("--adb", f"{rig.host}:{rig.port}", "--out", str(tmp_path / "out"),
                       "--timeout", "8", "--idle-timeout", "2", db=tmp_path / "h.db")
    assert time.monotonic() - started < 8 + 10  # one watchdog, plus start-up
    assert code == 3, output  # could not scan some phones: not the findings' exit 1
    assert "could not scan 4 of 6" in output and "Traceback" not in output
    _, fleet, rows = fleet_files(tmp_path / "out")
    by_serial = {p["serial"]: p for p in fleet["phones"]}
    assert set(by_serial) == {*good, locked, offline, dropped, hung}
    assert by_serial[locked]["state"] == "unauthorized"
    assert by_serial[locked]["result"] == "not scanned"
    assert "Allow USB debugging" in by_serial[locked]["fix"]
    assert by_serial[offline]["state"] == "offline"
    assert "replug" in by_serial[offline]["fix"]
    for broken in (dropped, hung):
        assert by_serial[broken]["result"] == "incomplete"
        assert "stopped answering" in by_serial[broken]["error"]
        partial = next((tmp_path / "out").glob("fleet-*")) / by_serial[broken]["report"]
        assert partial.name == "report.html" and partial.resolve().is_file()
    for serial in good:
        assert by_serial[serial]["result"] == "at risk"
    csv_row = next(r for r in rows if r["serial"] == locked)
    assert csv_row["fail"] == "" and csv_row["report"] == ""  # empty stays empty, no '
    for serial in (locked, offline, dropped, hung):
        assert serial in output


def test_devices_names_the_server_when_there_are_several(rigs: tuple[AdbRig, AdbRig]) -> None:
    one, two = rigs
    first, second = one.add_phone(DEMO), two.add_phone(DEMO)
    result = CliRunner().invoke(main, ["devices", "--adb", f"{one.host}:{one.port}",
                                       "--adb", f"{two.host}:{two.port}"])
    lines = {line.split()[2]: line.split()[1] for line in result.output.splitlines()}
    assert lines == {first: f"{one.host}:{one.port}", second: f"{two.host}:{two.port}"}
