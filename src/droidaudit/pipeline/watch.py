"""`watch`: follow every adb server's device list and scan each phone when it reaches
state `device`, once per connection (again after `rescan_after_s`, if set). A phone that
is unauthorized is told what to do and scanned once it is allowed; one that disappears
mid-scan is recorded like any cut-off scan and is not tried again until it is plugged in
again (or its rescan time comes): never a retry loop. The fleet index of the session is
rewritten after every change, so it is complete whenever the person stops.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from droidaudit.pipeline.fleet import (
    FleetIndex,
    FleetObserver,
    PhoneResult,
    Recorder,
    listed_model,
    not_scanned,
    scan_phone,
)
from droidaudit.pipeline.options import RuleSet, ScanOptions
from droidaudit.report.verdict import INTERRUPTED
from droidaudit.sources.adb_server import AdbAddress, DeviceEntry
from droidaudit.sources.live import Limits
from droidaudit.sources.track import DeviceTracker

Key = tuple[str, str]  # (server, serial): a phone


class WatchObserver(FleetObserver, Protocol):
    def notice(self, text: str) -> None:
        """A line for the person at the bench (a phone to unlock, a server lost)."""


# adb shows a phone `offline` or `authorizing` for a moment while it connects: a state
# is told to the person only once it has lasted this long.
_SETTLE_S = 1.0


@dataclass
class _Phone:
    entry: DeviceEntry
    last_scan: float | None = None  # monotonic start of this connection's last scan
    scanning: bool = False
    state_since: float = 0.0
    told: bool = True  # the person was told about the current state (or it needs none)


@dataclass(frozen=True)
class WatchSettings:
    limits: Limits
    options: ScanOptions
    ruleset: RuleSet
    out: Path
    jobs: int
    rescan_after_s: float | None = None


class Watcher:
    def __init__(self, addresses: list[AdbAddress], settings: WatchSettings,
                 observer: WatchObserver, recorder: Recorder) -> None:
        self.settings, self.observer, self.recorder = settings, observer, recorder
        self.phones: dict[Key, _Phone] = {}  # connected now
        self.results: dict[Key, PhoneResult] = {}  # latest per phone of this session
        self.index = FleetIndex(settings.out, "watch", redact=settings.options.redact)
        self._lock = threading.RLock()
        self._slots = threading.BoundedSemaphore(settings.jobs)
        self._stopping = threading.Event()
        self._running: set[Key] = set()
        self._tracker = DeviceTracker(addresses, self._on_list, self._on_error)

    def start(self) -> None:
        self.index.update([])
        self._tracker.start()

    @property
    def running(self) -> set[Key]:
        with self._lock:
            return set(self._running)

    def tick(self) -> None:
        """Tell states that lasted, start scans that are due (a rescan time that came);
        call it now and then."""
        with self._lock:
            changed = False
            for key, phone in self.phones.items():
                if not phone.told and time.monotonic() - phone.state_since >= _SETTLE_S:
                    phone.told = True
                    changed |= self._state_seen(key, phone.entry)
                self._maybe_scan(key, phone)
            if changed:
                self.index.update(list(self.results.values()))

    def stop(self, wait_s: float | None) -> list[PhoneResult]:
        """Stop following; wait for scans in progress (None: as long as their watchdog
        lets them run); those still running are recorded as interrupted. Returns the
        session's results, written to the index."""
        self._stopping.set()
        self._tracker.stop()
        deadline = None if wait_s is None else time.monotonic() + wait_s
        while self._running and (deadline is None or time.monotonic() < deadline):
            time.sleep(0.05)
        with self._lock:
            for key in list(self._running):
                self.results[key] = PhoneResult(key[0], key[1], "device", error=(
                    "stopped by the person before this phone's scan ended"),
                    fix="Scan it again.", result=INTERRUPTED)
            self._running.clear()  # a scan that ends after this is not reported
            for key, phone in self.phones.items():
                if phone.entry.ready and key not in self.results:
                    self.results[key] = PhoneResult(
                        key[0], key[1], "device", error="watch stopped before this phone "
                        "was scanned", fix="Scan it again.", result=INTERRUPTED)
            results = list(self.results.values())
            self.index.update(results)
        return results

    # -- device lists -----------------------------------------------------------------

    def _on_list(self, address: AdbAddress, entries: list[DeviceEntry]) -> None:
        server = str(address)
        present = {(server, e.serial): e for e in entries}
        with self._lock:
            for key in [k for k in self.phones if k[0] == server and k not in present]:
                del self.phones[key]  # unplugged: its next appearance is a new connection
            for key, entry in present.items():
                phone = self.phones.setdefault(
                    key, _Phone(entry, state_since=time.monotonic(), told=entry.ready))
                if phone.entry.state != entry.state:
                    phone.state_since, phone.told = time.monotonic(), entry.ready
                phone.entry = entry
                self._maybe_scan(key, phone)

    def _state_seen(self, key: Key, entry: DeviceEntry) -> bool:
        """Tell the bench about a phone that is not ready; True if the index changed."""
        if entry.ready:
            return False
        self.observer.stage(key[0], key[1], entry.state, listed_model(entry))
        self.observer.notice(f"{entry.serial} ({key[0]}): {entry.state} — "
                             f"{entry.hint or 'waiting for it to be ready'}")
        if key in self.results and self.results[key].outcome is not None:
            return False  # keep the last scan of this phone in the index
        self.results[key] = not_scanned(entry)
        return True

    def _on_error(self, address: AdbAddress, message: str) -> None:
        self.observer.notice(message)

    # -- scans --------------------------------------------------------------------------

    def _maybe_scan(self, key: Key, phone: _Phone) -> None:
        if not phone.entry.ready or phone.scanning or self._stopping.is_set():
            return
        again = self.settings.rescan_after_s
        if phone.last_scan is not None and (
                again is None or time.monotonic() - phone.last_scan < again):
            return
        phone.scanning, phone.last_scan = True, time.monotonic()
        self.observer.stage(key[0], key[1], "waiting", listed_model(phone.entry))
        threading.Thread(target=self._scan, args=(key, phone.entry), daemon=True,
                         name=f"scan-{phone.entry.serial}").start()

    def _scan(self, key: Key, entry: DeviceEntry) -> None:
        # Daemon threads, not a pool: a scan stuck until its watchdog never holds up exit.
        try:
            with self._slots:
                if self._stopping.is_set() or key not in self.phones:
                    return
                with self._lock:
                    self._running.add(key)
                s = self.settings
                result = self.recorder(scan_phone(entry, s.limits, s.options, s.ruleset,
                                                  s.out, _stage(self.observer, key)))
                self._report(key, result)
        finally:
            with self._lock:
                self._running.discard(key)
            self._release(key)

    def _report(self, key: Key, result: PhoneResult) -> None:
        with self._lock:
            if key not in self._running:  # given up by stop()
                return
            self.results[key] = result
            self.index.update(list(self.results.values()))
        self.observer.finished(result)

    def _release(self, key: Key) -> None:
        with self._lock:
            phone = self.phones.get(key)
            if phone is not None:
                phone.scanning = False


def _stage(observer: FleetObserver, key: Key) -> Callable[[str], None]:
    return lambda message: observer.stage(key[0], key[1], message)
