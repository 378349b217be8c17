"""The two scanners droidaudit's live scan is measured against (issue 15).

- `naive_scan`: what a quick script would do — 13 reads as 13 adbutils `device.shell()`
  calls, one after the other, with adbutils' default client (new connections, its
  `host:version` look-ups and its 10 ms close sleeps included). It reads the same
  settings a hardening check needs and parses nothing.
- `floor_scan`: the least a client can do to send droidaudit's OWN scripts — raw
  smart-socket requests to the adb server (`host:transport:SERIAL`, then `shell:SCRIPT`),
  the same shells droidaudit opens (sources.live.plan_shells), all at once, read to the
  end, nothing parsed.
  No Python client can do less; droidaudit's full scan (parsing, rules and reports
  included) is measured against it.

Only commands from droidaudit.probes.PROBES are sent: both are read-only.
"""

from __future__ import annotations

import socket
import threading

import adbutils

from droidaudit.probes import PROBES, PROBES_BY_NAME
from droidaudit.sources.batch import build_script, new_token

try:
    from droidaudit.sources.live import plan_shells
except ImportError:  # droidaudit before issue 15: one batch, then each streamed probe
    def plan_shells(probes):  # type: ignore[no-untyped-def]
        return [[p for p in probes if not p.streamed], *[[p] for p in probes if p.streamed]]

# The 13 reads a hand-written audit script would make (a subset of droidaudit's probes:
# one command each, no fallbacks, no app-op or user lists).
NAIVE_READS: tuple[str, ...] = tuple(PROBES_BY_NAME[name].command.split(" || ")[0] for name in (
    "getprop", "settings_global", "settings_secure", "settings_system",
    "dumpsys_lock_settings", "dumpsys_trust", "dumpsys_backup", "dumpsys_device_policy",
    "sms_role", "getenforce", "packages", "dumpsys_package", "dumpsys_accessibility"))


def naive_scan(host: str, port: int, serial: str) -> int:
    """13 `shell()` calls through adbutils' high-level API; returns the bytes read."""
    device = adbutils.AdbClient(host=host, port=port).device(serial)
    total = 0
    for command in NAIVE_READS:
        total += len(device.shell(command, timeout=120, encoding=None))
    return total


def _request(sock: socket.socket, text: str) -> None:
    payload = text.encode()
    sock.sendall(b"%04x" % len(payload) + payload)
    status = _read_exact(sock, 4)
    if status != b"OKAY":
        raise RuntimeError(f"adb server refused {text[:40]!r}: {status!r}")


def _read_exact(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise RuntimeError("adb server closed the connection")
        data += chunk
    return data


def raw_shell(host: str, port: int, serial: str, command: str) -> int:
    """One `shell:` service over a bare socket, read to the end; returns the bytes read."""
    with socket.create_connection((host, port), timeout=120) as sock:
        _request(sock, f"host:transport:{serial}")
        _request(sock, f"shell:{command}")
        total = 0
        while chunk := sock.recv(1 << 18):
            total += len(chunk)
        return total


def floor_scan(host: str, port: int, serial: str) -> int:
    """droidaudit's own scripts (its batches and streamed probes), at once, over bare
    sockets."""
    scripts = [build_script(batch, new_token()) for batch in plan_shells(PROBES)]
    sizes = [0] * len(scripts)

    def run(index: int) -> None:
        sizes[index] = raw_shell(host, port, serial, scripts[index])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(1, len(scripts))]
    for thread in threads:
        thread.start()
    run(0)
    for thread in threads:
        thread.join()
    return sum(sizes)
