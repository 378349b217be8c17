"""A private adb server with virtual phones attached: the rig for tests, `demo --live` and
benchmarks, for anything that talks to phones through adb (DESIGN §8).

It starts a REAL adb server (`adb -L tcp:PORT server nodaemon`) on a free port, never
5037, with ADB_EMU=0, ADB_MDNS=0 and a private HOME so it neither touches ~/.android nor
finds anything but our phones; it `adb connect`s VirtualPhones to it and stops only the
processes it started, by PID, even when a test fails. While a rig is open, adbutils'
habit of running `adb start-server` on 5037 when it cannot connect is disarmed.

Use it directly:

    from droidaudit.vphone.rig import AdbRig, bundled_adb
    with AdbRig() as rig:
        rig.start_server(bundled_adb())
        serial = rig.add_phone("tests/vphone/data/mini", faults=["latency:5"])
        device = rig.client().device(serial)
        print(device.shell("getprop ro.product.model"))

or, in tests, as pytest fixtures from tests/adbrig.py.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import adbutils

from droidaudit.vphone.server import EMULATOR_PORTS, VirtualPhone

DEBIAN_ADB = "/usr/bin/adb"
_RESERVED_PORTS = {5037, *EMULATOR_PORTS}


def bundled_adb() -> str | None:
    """The adb shipped inside adbutils' wheel (36.x), if this platform has one."""
    path = Path(adbutils.__file__).parent / "binaries" / "adb"
    return str(path) if path.is_file() and os.access(path, os.X_OK) else None


def debian_adb() -> str | None:
    """Debian's `adb` package (29.0.6 on bookworm): `apt-get install -y adb`."""
    return DEBIAN_ADB if os.access(DEBIAN_ADB, os.X_OK) else None


ADB_BINARIES = {"bundled": bundled_adb, "debian": debian_adb}


def free_port() -> int:
    """A free loopback port outside 5037 and the emulator range adb probes by itself."""
    for _ in range(50):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if port not in _RESERVED_PORTS:
            return port
    raise RuntimeError("no free port")


class AdbRigError(RuntimeError):
    pass


class AdbRig:
    def __init__(self, workdir: Path | None = None) -> None:
        self._own_workdir = workdir is None
        self.workdir = Path(tempfile.mkdtemp(prefix="adbrig-")) if workdir is None else workdir
        self.home = self.workdir / "home"
        (self.home / "vendor-keys").mkdir(parents=True, exist_ok=True)
        self.host = "127.0.0.1"
        self.port = 0
        self.adb_binary = ""
        self.server: subprocess.Popen[bytes] | None = None
        self.phones: dict[str, VirtualPhone] = {}
        self.write_attempts: list[str] = []  # of every phone this rig served, removed or not
        self._saved_adbutils_path: str | None = None
        self._guard = self.workdir / "no-adb-start-server"

    # -- life cycle --------------------------------------------------------------------

    def __enter__(self) -> AdbRig:
        self._disarm_adbutils_autostart()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start_server(self, adb_binary: str, timeout: float = 15.0) -> None:
        if self.server is not None:
            raise AdbRigError("this rig already runs a server")
        self._disarm_adbutils_autostart()
        self.adb_binary = adb_binary
        self.port = free_port()
        log = (self.workdir / "adb-server.log").open("wb")
        self.server = subprocess.Popen(
            [*_die_with_parent(), adb_binary, "-L", f"tcp:{self.port}", "server", "nodaemon"],
            env=self.adb_env(), stdin=subprocess.DEVNULL, stdout=log, stderr=log,
            start_new_session=True)
        log.close()
        self._wait_for_server(timeout)

    def stop(self) -> None:
        """Stop what this rig started, and only that: its phones, then its adb server."""
        for phone in self.phones.values():
            phone.stop()
        self.phones.clear()
        if self.server is not None:
            _stop_process(self.server)
            self.server = None
        self._rearm_adbutils_autostart()
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    # -- the server --------------------------------------------------------------------

    def env(self) -> dict[str, str]:
        """What code under test needs to find this server (adbutils reads these two)."""
        return {"ANDROID_ADB_SERVER_HOST": self.host, "ANDROID_ADB_SERVER_PORT": str(self.port)}

    def adb_env(self) -> dict[str, str]:
        """Environment for the adb binary itself: private keys, no emulator/mDNS scans."""
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("ANDROID_", "ADB_"))}
        env.update(HOME=str(self.home), ANDROID_USER_HOME=str(self.home / ".android"),
                   ADB_VENDOR_KEYS=str(self.home / "vendor-keys"), ADB_EMU="0", ADB_MDNS="0",
                   ANDROID_ADB_SERVER_PORT=str(self.port))
        return env

    def adb(self, *args: str, timeout: float = 15.0) -> subprocess.CompletedProcess[str]:
        """Run the adb CLI against this rig's server (never one that would start another)."""
        self._require_server()
        return subprocess.run([self.adb_binary, "-P", str(self.port), *args],
                              env=self.adb_env(), capture_output=True, text=True,
                              timeout=timeout, check=False)

    def client(self, timeout: float = 10.0) -> adbutils.AdbClient:
        self._require_server()
        return adbutils.AdbClient(host=self.host, port=self.port, socket_timeout=timeout)

    def device(self, serial: str) -> adbutils.AdbDevice:
        return self.client().device(serial)

    def states(self) -> dict[str, str]:
        """serial → state (`device`, `unauthorized`, `offline`, ...), as `adb devices`."""
        return {info.serial: info.state for info in self.client().list()}

    def wait_for_state(self, serial: str, state: str, timeout: float = 10.0) -> float:
        """Seconds until `serial` shows `state`; AdbRigError after `timeout`."""
        started = time.monotonic()
        seen = ""
        while time.monotonic() - started < timeout:
            seen = self.states().get(serial, "(absent)")
            if seen == state:
                return time.monotonic() - started
            time.sleep(0.05)
        raise AdbRigError(f"{serial} stayed {seen!r}, not {state!r}, for {timeout:.0f}s")

    # -- phones ----------------------------------------------------------------------

    def add_phone(self, capture_dir: Path | str, faults: Iterable[str] = (),
                  wait_for: str | None = "device", timeout: float = 10.0,
                  **phone_options: Any) -> str:
        """Start a VirtualPhone, `adb connect` it; return its serial "127.0.0.1:PORT".

        `adb connect` returns once the phone answered CNXN (or AUTH); a `hang` phone never
        does, and the server gives up after 10 s: pass wait_for=None (and a short timeout)
        to get its serial back as soon as the client's timeout ends."""
        phone = VirtualPhone(capture_dir, faults=list(faults), **phone_options).start()
        self.phones[phone.serial] = phone
        try:
            self.client().connect(phone.serial, timeout=timeout)
        except adbutils.AdbTimeout:
            if wait_for:
                raise
        if wait_for:
            self.wait_for_state(phone.serial, wait_for, timeout)
        return str(phone.serial)

    def remove_phone(self, serial: str) -> None:
        with contextlib.suppress(adbutils.AdbError, OSError):
            self.client().disconnect(serial)
        phone = self.phones.pop(serial, None)
        if phone is not None:
            phone.stop()
            self.write_attempts.extend(phone.write_attempts)

    def phone(self, serial: str) -> VirtualPhone:
        return self.phones[serial]

    # -- internals -------------------------------------------------------------------

    def _wait_for_server(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.server is None:
                raise AdbRigError("adb server was not started")
            if self.server.poll() is not None:
                log = (self.workdir / "adb-server.log").read_text(errors="replace")
                self.server = None
                raise AdbRigError(f"adb server exited at start:\n{log[-2000:]}")
            with contextlib.suppress(OSError), socket.create_connection(
                    (self.host, self.port), timeout=0.5):
                return
            time.sleep(0.05)
        raise AdbRigError(f"adb server did not listen on {self.port} within {timeout}s")

    def _require_server(self) -> None:
        if self.server is None or self.server.poll() is not None:
            raise AdbRigError("the rig's adb server is not running")

    def _disarm_adbutils_autostart(self) -> None:
        """adbutils runs `adb start-server` (port 5037) when it cannot connect: point it
        at a command that refuses, so a dead rig server fails the test instead."""
        if self._saved_adbutils_path is not None:
            return
        self._guard.write_text("#!/bin/sh\necho 'adbrig: refusing to start an adb server'"
                               " >&2\nexit 1\n")
        self._guard.chmod(0o755)
        self._saved_adbutils_path = os.environ.get("ADBUTILS_ADB_PATH", "")
        os.environ["ADBUTILS_ADB_PATH"] = str(self._guard)

    def _rearm_adbutils_autostart(self) -> None:
        if self._saved_adbutils_path is None:
            return
        if self._saved_adbutils_path:
            os.environ["ADBUTILS_ADB_PATH"] = self._saved_adbutils_path
        else:
            os.environ.pop("ADBUTILS_ADB_PATH", None)
        self._saved_adbutils_path = None


def _die_with_parent() -> list[str]:
    """util-linux setpriv sets PR_SET_PDEATHSIG, so the server dies with the test process
    even when that is killed outright (no finally runs then). The signal follows the
    thread that started the server: start servers from the main (pytest) thread."""
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "TERM"] if setpriv else []


def _stop_process(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


