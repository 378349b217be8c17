"""`droidaudit watch` as a lab runs it: a subprocess following a real adb server while
virtual phones are plugged in one after another; stopped with SIGINT (Ctrl-C)."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from droidaudit.vphone.rig import ADB_BINARIES, AdbRig

DEMO = Path(__file__).parents[2] / "fixtures" / "demo-pixel7-a14"


class Watch:
    """The watch subprocess and every line it printed so far."""

    def __init__(self, rig: AdbRig, out: Path, db: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "droidaudit", "watch", "--adb", f"{rig.host}:{rig.port}",
             "--out", str(out), "--db", str(db), "--format", "json", "--timeout", "20",
             "--idle-timeout", "3"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, *words: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if all(word in line for word in words):
                    return line
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"no line with {words}; got:\n" + "\n".join(self.lines))

    def count(self, *words: str) -> int:
        return sum(all(word in line for word in words) for line in list(self.lines))


@pytest.fixture
def rig() -> Iterator[AdbRig]:
    binary = next((path for find in ADB_BINARIES.values() if (path := find())), None)
    if binary is None:
        pytest.skip("no adb binary")
    with AdbRig() as rig:
        rig.start_server(binary)
        yield rig
        assert all(p.write_attempts == [] for p in rig.phones.values())


def shells(rig: AdbRig, serial: str) -> int:
    return sum(s.startswith("shell") for s in rig.phone(serial).services)


def test_phones_plugged_in_one_after_another_are_each_scanned_once(
        rig: AdbRig, tmp_path: Path) -> None:
    out, db = tmp_path / "out", tmp_path / "h.db"
    watch = Watch(rig, out, db)
    try:
        watch.wait_for("Watching")
        first = rig.add_phone(DEMO)
        watch.wait_for(first, "at risk")
        second = rig.add_phone(DEMO)
        watch.wait_for(second, "at risk")
        # Unauthorized: the bench is told what to do; scanned once the person allows.
        locked = rig.add_phone(DEMO, faults=["unauthorized"], wait_for="unauthorized")
        watch.wait_for(locked, "unauthorized", "Allow USB debugging")
        assert shells(rig, locked) == 0
        rig.phone(locked).authorize()
        watch.wait_for(locked, "at risk")
        # Cut off mid-scan: recorded, and not tried again when adb reconnects it.
        dropped = rig.add_phone(DEMO, faults=["drop-after:5000"])
        watch.wait_for(dropped, "incomplete", "partial report")
        rig.wait_for_state(dropped, "device")  # adb reconnected it by itself
        # Stopped with a phone just plugged in: it is scanned to the end, or listed.
        last = rig.add_phone(DEMO)
        time.sleep(0.5)
        assert watch.count(first, "at risk") == watch.count(second, "at risk") == 1
        assert shells(rig, first) == shells(rig, second) == shells(rig, locked) == 2
        assert shells(rig, dropped) == 1 and watch.count(dropped, "incomplete") == 1
        watch.process.send_signal(signal.SIGINT)
        code = watch.process.wait(timeout=30)
    finally:
        if watch.process.poll() is None:
            watch.process.kill()
    assert code == 3, "\n".join(watch.lines)  # a phone could not be scanned to the end
    assert not any("Traceback" in line for line in watch.lines)
    fleet = json.loads(next(out.glob("watch-*/fleet.json")).read_text())
    results = {p["serial"]: p["result"] for p in fleet["phones"]}
    assert results.keys() == {first, second, locked, dropped, last}
    assert results[dropped] == "incomplete"
    assert results[first] == results[second] == results[locked] == "at risk"
    assert results[last] in ("at risk", "interrupted")
    scanned = sum(r in ("at risk", "incomplete") for r in results.values())
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM scans").fetchone()[0] == scanned
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
