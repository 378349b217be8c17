"""The watch policy, without phones: once per connection, never a retry loop, unauthorized
phones told what to do and scanned once allowed, --rescan-after, Ctrl-C accounting."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from droidaudit.pipeline import watch as watch_module
from droidaudit.pipeline.fleet import PhoneResult
from droidaudit.pipeline.options import ScanOptions, load_ruleset
from droidaudit.pipeline.watch import Watcher, WatchSettings
from droidaudit.sources.adb_server import AdbAddress, DeviceEntry
from droidaudit.sources.live import Limits

SERVER = AdbAddress("127.0.0.1", 15037)


class Seen:
    """The bench's view: what it was told."""

    def __init__(self) -> None:
        self.notices: list[str] = []

    def stage(self, server: str, serial: str, message: str, model: str = "") -> None:
        pass

    def finished(self, result: PhoneResult) -> None:
        pass

    def notice(self, text: str) -> None:
        self.notices.append(text)


class Scans:
    """Serials scanned, in order; a scan is instant (or waits while `gate` is clear)."""

    def __init__(self) -> None:
        self.serials: list[str] = []
        self.gate = threading.Event()
        self.gate.set()

    def __call__(self, entry: DeviceEntry, *args: Any) -> PhoneResult:
        self.serials.append(entry.serial)
        self.gate.wait(5)
        return PhoneResult(str(entry.address), entry.serial, entry.state, result="at risk")


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> Scans:
    fake = Scans()
    monkeypatch.setattr(watch_module, "scan_phone", fake)
    monkeypatch.setattr(watch_module.DeviceTracker, "start", lambda self: None)
    return fake


def watcher(tmp_path: Path, rescan_after: float | None = None) -> tuple[Watcher, Seen]:
    options = ScanOptions()
    settings = WatchSettings(Limits(), options, load_ruleset(options), tmp_path, 4,
                             rescan_after)
    seen = Seen()
    w = Watcher([SERVER], settings, seen, lambda result: result)
    w.start()
    return w, seen


def listing(*phones: tuple[str, str]) -> list[DeviceEntry]:
    return [DeviceEntry(serial, state, "", SERVER) for serial, state in phones]


def settle(w: Watcher) -> None:
    deadline = time.monotonic() + 5
    while (w.running or any(p.scanning for p in w.phones.values())) \
            and time.monotonic() < deadline:
        time.sleep(0.01)


def test_once_per_connection(tmp_path: Path, scans: Scans) -> None:
    w, _ = watcher(tmp_path)
    w._on_list(SERVER, listing(("A", "device")))
    settle(w)
    w._on_list(SERVER, listing(("A", "device"), ("B", "device")))
    settle(w)
    w._on_list(SERVER, listing(("A", "offline"), ("B", "device")))  # adb reconnecting A
    w._on_list(SERVER, listing(("A", "device"), ("B", "device")))
    settle(w)
    w.tick()
    settle(w)
    assert scans.serials == ["A", "B"]
    w._on_list(SERVER, listing(("B", "device")))  # A unplugged...
    w._on_list(SERVER, listing(("A", "device"), ("B", "device")))  # ...and plugged in
    settle(w)
    assert scans.serials == ["A", "B", "A"]
    results = w.stop(wait_s=1)
    assert {r.serial for r in results} == {"A", "B"}


def test_unauthorized_is_told_then_scanned_once_allowed(
        tmp_path: Path, scans: Scans, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(watch_module, "_SETTLE_S", 0.0)
    w, seen = watcher(tmp_path)
    w._on_list(SERVER, listing(("L", "unauthorized")))
    w.tick()  # a state is told once it lasted _SETTLE_S (0 here; adb blinks when connecting)
    assert scans.serials == [] and any("Allow USB debugging" in n for n in seen.notices)
    assert w.results[(str(SERVER), "L")].result == "not scanned"
    w._on_list(SERVER, listing(("L", "device")))
    settle(w)
    assert scans.serials == ["L"] and w.results[(str(SERVER), "L")].result == "at risk"


def test_rescan_after(tmp_path: Path, scans: Scans) -> None:
    w, _ = watcher(tmp_path, rescan_after=0.2)
    w._on_list(SERVER, listing(("A", "device")))
    settle(w)
    w.tick()
    assert scans.serials == ["A"]
    time.sleep(0.25)
    w.tick()
    settle(w)
    assert scans.serials == ["A", "A"]


def test_stop_lists_phones_not_yet_scanned(tmp_path: Path, scans: Scans) -> None:
    scans.gate.clear()  # scans hang until released
    w, _ = watcher(tmp_path)
    w._on_list(SERVER, listing(("A", "device")))
    deadline = time.monotonic() + 5
    while not w.running and time.monotonic() < deadline:
        time.sleep(0.01)
    results = w.stop(wait_s=0)
    scans.gate.set()
    assert [r.result for r in results] == ["interrupted"]
    assert (w.index.folder / "index.html").is_file()
