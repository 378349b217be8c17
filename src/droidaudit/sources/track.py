"""Following an adb server's device list as phones come and go (`host:track-devices-l`,
through an adbutils connection, as adbutils' own `track_devices` does).

adbutils' `track_devices()` yields differences, and reports a change of state as "absent"
then the new state, so a phone that blinks offline → device would look unplugged and
replugged. We want the difference between a new connection and a state change (`watch`
scans once per connection), so each update here is the server's whole list.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

import adbutils

from droidaudit.sources.adb_server import (
    AdbAddress,
    DeviceEntry,
    ensure_server,
    parse_devices_l,
    server_is_up,
)

DeviceList = Callable[[AdbAddress, list[DeviceEntry]], None]
TrackError = Callable[[AdbAddress, str], None]


class DeviceTracker:
    """One thread per adb server; `on_list` gets the server's full list on every change.
    A server that goes away is retried every `retry_s` (adb restarts, a lab host reboots);
    its phones are reported gone meanwhile (an empty list)."""

    def __init__(self, addresses: list[AdbAddress], on_list: DeviceList,
                 on_error: TrackError, retry_s: float = 2.0) -> None:
        self.addresses = addresses
        self.on_list, self.on_error = on_list, on_error
        self.retry_s = retry_s
        self._stop = threading.Event()
        self._connections: list[adbutils.AdbConnection] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        for address in self.addresses:
            ensure_server(address)  # a wrong address fails now, in words, not in a thread
            threading.Thread(target=self._follow, args=(address,), daemon=True,
                             name=f"track-{address}").start()

    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            for conn in self._connections:  # unblocks the threads' reads
                with contextlib.suppress(OSError):
                    conn.close()

    def _follow(self, address: AdbAddress) -> None:
        while not self._stop.is_set():
            try:
                self._read_updates(address)
            except (adbutils.AdbError, OSError) as exc:
                if self._stop.is_set():
                    return
                self.on_error(address, f"lost the adb server at {address} ({exc}); "
                                       f"retrying every {self.retry_s:g} s")
                self.on_list(address, [])
            self._stop.wait(self.retry_s)

    def _read_updates(self, address: AdbAddress) -> None:
        if not server_is_up(address):  # else adbutils would `adb start-server` on 5037
            raise ConnectionRefusedError("no answer")
        # No socket timeout: the server writes only when the list changes.
        client = adbutils.AdbClient(host=address.host, port=address.port, socket_timeout=None)
        conn = client.make_connection()
        with self._lock:
            self._connections.append(conn)
        try:
            conn.send_command("host:track-devices-l")
            conn.check_okay()
            while not self._stop.is_set():
                self.on_list(address, parse_devices_l(conn.read_string_block(), address))
        finally:
            with self._lock:
                self._connections.remove(conn)
            conn.close()
