"""The virtual phone: a TCP server speaking adbd's side of the ADB protocol, so a real
adb server can `adb connect 127.0.0.1:PORT` to it as to a phone on Wi-Fi debugging.

One asyncio loop per phone, in its own thread, so tests can run several phones at once
and each can hang or drop without stalling another. Flow control follows adbd
(packages/modules/adb/adb.cpp, sockets.cpp): one WRTE in flight per stream until the
host's OKAY; every host WRTE answered with OKAY once its bytes reached the process.
The phone is read-only: commands that would write are refused and recorded, never run.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import threading
from collections.abc import Iterable
from pathlib import Path

from droidaudit.parsers.getprop import parse_properties
from droidaudit.vphone import protocol as p
from droidaudit.vphone.connection import Connection
from droidaudit.vphone.faults import Faults, parse_faults
from droidaudit.vphone.shell import Sandbox, ShellSpec, choose_shell

EMULATOR_PORTS = range(5554, 5586)  # adb servers probe these as emulator-N by themselves


class VirtualPhone:
    """`VirtualPhone(capture_dir, port=0, faults=["latency:20"]).start()`; then
    `adb connect 127.0.0.1:<phone.port>`; `phone.stop()` ends it and every command."""

    def __init__(self, capture_dir: Path | str, port: int = 0, faults: Iterable[str] | Faults |
                 None = None, host: str = "127.0.0.1", shell: ShellSpec | str | None = None,
                 ) -> None:
        if port in EMULATOR_PORTS:
            raise ValueError(f"port {port} is one adb servers claim as an emulator (5554-5585)")
        self.capture_dir = Path(capture_dir)
        if not (self.capture_dir / "probes").is_dir():
            raise ValueError(f"{self.capture_dir} is not a capture (no probes/ directory)")
        self.host = host
        self.port = port
        self.faults = parse_faults(faults)
        self._shell = shell if isinstance(shell, ShellSpec) else choose_shell(shell)
        self.command_log: list[str] = []  # every shell/exec command received, in order
        self.services: list[str] = []  # every OPEN's service string, refused ones included
        self._refused_writes: list[str] = []
        self.connections = 0
        self._sandbox: Sandbox | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.Server | None = None
        self._live: set[Connection] = set()

    # -- what tests look at -----------------------------------------------------------

    @property
    def serial(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def write_attempts(self) -> list[str]:
        """Commands refused because they would change the phone (at the door or by a shim)."""
        shim_refusals = self._sandbox.write_attempts() if self._sandbox else []
        return list(self._refused_writes) + shim_refusals

    @property
    def ui_actions(self) -> list[str]:
        """UI actions the phone ran (`am start`, `input keyevent KEYCODE_HOME`)."""
        return self._sandbox.ui_actions() if self._sandbox else []

    @property
    def shim_calls(self) -> list[str]:
        return self._sandbox.calls() if self._sandbox else []

    @property
    def shell_name(self) -> str:
        return self._shell.name

    # -- life cycle --------------------------------------------------------------------

    def start(self) -> VirtualPhone:
        self._sandbox = Sandbox(self.capture_dir, self._shell)
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(target=loop.run_forever, name=f"vphone-{self.port}",
                                        daemon=True)
        self._thread.start()
        try:
            asyncio.run_coroutine_threadsafe(self._listen(), loop).result(timeout=10)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        loop, self._loop = self._loop, None
        if loop is not None:
            with contextlib.suppress(TimeoutError, RuntimeError):
                asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(timeout=10)
            loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        if loop is not None and not loop.is_running():
            loop.close()
        if self._sandbox is not None:
            self._sandbox.cleanup()

    def __enter__(self) -> VirtualPhone:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._accept, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        tasks = [c.task for c in self._live if c.task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        connection = Connection(self, reader, writer)
        self._live.add(connection)
        try:
            await connection.run()
        finally:
            self._live.discard(connection)

    # used by connections -------------------------------------------------------------

    @property
    def sandbox(self) -> Sandbox:
        if self._sandbox is None:
            raise RuntimeError("the virtual phone is not started")
        return self._sandbox

    def _props(self) -> dict[str, str]:
        try:
            text = (self.capture_dir / "probes" / "getprop.txt").read_bytes().decode(
                "utf-8", errors="replace")
        except OSError:
            text = ""
        return parse_properties(text).values

    @property
    def legacy(self) -> bool:
        """Android 6 and older adbd (before 7.0/API 24): no shell_v2 or cmd features, and
        `shell:` runs under a PTY, which turns every `\n` of the output into `\r\n`."""
        sdk = self._props().get("ro.build.version.sdk", "")
        return sdk.isdigit() and int(sdk) < 24

    def banner(self) -> bytes:
        return p.device_banner(self._props(), () if self.legacy else p.FEATURES)

    def authorize(self) -> None:
        """The person accepts the 'Allow USB debugging?' prompt: the phone stops being
        unauthorized, and a connection waiting on its key comes online (as adbd does)."""
        self.faults = dataclasses.replace(self.faults, unauthorized=False)
        if self._loop is not None:
            asyncio.run_coroutine_threadsafe(self._accept_keys(), self._loop).result(timeout=10)

    async def _accept_keys(self) -> None:
        for connection in list(self._live):
            await connection.accept_key()

    def record_refused_write(self, command: str) -> None:
        self._refused_writes.append(command)


__all__ = ["EMULATOR_PORTS", "VirtualPhone"]
