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
import secrets
import threading
from collections.abc import Iterable
from pathlib import Path

from droidaudit.vphone import protocol as p
from droidaudit.vphone.faults import Faults, parse_faults
from droidaudit.vphone.shell import Sandbox, ShellSpec, choose_shell, kill_session, refusal

EMULATOR_PORTS = range(5554, 5586)  # adb servers probe these as emulator-N by themselves
_PIPE_LIMIT = p.MAX_PAYLOAD  # let one read fill a whole WRTE


class _Dropped(Exception):
    """The drop-after fault closed the connection."""


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

    def authorize(self) -> None:
        """The person accepts the 'Allow USB debugging?' prompt: the phone stops being
        unauthorized, and a connection waiting on its key comes online (as adbd does)."""
        self.faults = dataclasses.replace(self.faults, unauthorized=False)
        if self._loop is not None:
            asyncio.run_coroutine_threadsafe(self._accept_keys(), self._loop).result(timeout=10)

    async def _accept_keys(self) -> None:
        for connection in list(self._live):
            await connection.accept_key()

    # used by connections -------------------------------------------------------------

    @property
    def sandbox(self) -> Sandbox:
        assert self._sandbox is not None
        return self._sandbox

    def _props(self) -> dict[str, str]:
        try:
            text = (self.capture_dir / "probes" / "getprop.txt").read_bytes().decode(
                "utf-8", errors="replace")
        except OSError:
            text = ""
        return p.parse_getprop(text)

    @property
    def legacy(self) -> bool:
        """Android 6 and older adbd (before 7.0/API 24): no shell_v2 or cmd features, and
        `shell:` runs under a PTY, which turns every `\n` of the output into `\r\n`."""
        sdk = self._props().get("ro.build.version.sdk", "")
        return sdk.isdigit() and int(sdk) < 24

    def banner(self) -> bytes:
        return p.device_banner(self._props(), () if self.legacy else p.FEATURES)

    def record_refused_write(self, command: str) -> None:
        self._refused_writes.append(command)


class Connection:
    """One TCP connection from an adb server: the handshake, then streams."""

    def __init__(self, phone: VirtualPhone, reader: asyncio.StreamReader,
                 writer: asyncio.StreamWriter) -> None:
        self.phone = phone
        self.faults = phone.faults
        self.reader = reader
        self.writer = writer
        self.online = False
        self.peer_version = p.A_VERSION
        self.max_payload = p.MAX_PAYLOAD_V1
        self.streams: dict[int, Stream] = {}
        self.tasks: set[asyncio.Task[None]] = set()  # every stream's task until it ends
        self.next_id = 1
        self.output_sent = 0
        self.send_lock = asyncio.Lock()
        self.task: asyncio.Task[None] | None = None
        self.awaiting_tap = False  # an unauthorized phone got the host's public key

    async def run(self) -> None:
        self.task = asyncio.current_task()
        try:
            while True:
                await self.handle(await self.read_packet())
        except (p.ProtocolError, OSError, asyncio.IncompleteReadError, _Dropped,
                asyncio.CancelledError):
            pass
        finally:
            await self.teardown()

    async def teardown(self) -> None:
        """Kill every command of this connection and wait for them to be reaped."""
        for stream in list(self.streams.values()):
            stream.stop()
        self.streams.clear()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        self.writer.close()

    async def read_packet(self) -> p.Packet:
        header = p.decode_header(await self.reader.readexactly(p.HEADER_SIZE))
        data = await self.reader.readexactly(header.length) if header.length else b""
        return p.Packet(header.command, header.arg0, header.arg1, data)

    async def send(self, packet: p.Packet) -> None:
        if self.faults.latency_ms:
            await asyncio.sleep(self.faults.latency_s)
        async with self.send_lock:
            self.writer.write(p.encode(packet, self.peer_version < p.A_VERSION_SKIP_CHECKSUM))
            await self.writer.drain()

    async def handle(self, packet: p.Packet) -> None:
        if self.faults.hang:
            return  # read and ignore everything: the host sees a phone that never answers
        if packet.command == p.A_CNXN:
            await self.on_connect(packet)
        elif packet.command == p.A_AUTH:
            await self.on_auth(packet)
        elif not self.online:
            return
        elif packet.command == p.A_OPEN:
            await self.on_open(packet)
        elif packet.command == p.A_OKAY:
            stream = self.streams.get(packet.arg1)
            if stream is not None:
                stream.on_okay()
        elif packet.command == p.A_WRTE:
            stream = self.streams.get(packet.arg1)
            if stream is not None:
                stream.on_host_write(packet.data)
        elif packet.command == p.A_CLSE:
            await self.on_close(packet)

    async def on_connect(self, packet: p.Packet) -> None:
        self.peer_version = min(packet.arg0, p.A_VERSION)
        self.max_payload = max(p.MAX_PAYLOAD_V1, min(packet.arg1, p.MAX_PAYLOAD))
        for stream in list(self.streams.values()):  # a new CNXN resets the transport
            stream.stop()
        self.streams.clear()
        if self.faults.unauthorized:
            await self.send_auth_token()
            return
        self.online = True
        await self.send(p.Packet(p.A_CNXN, self.peer_version, self.max_payload,
                                 self.phone.banner()))

    async def on_auth(self, packet: p.Packet) -> None:
        # A phone that never accepts: every signature is "wrong" (adbd then sends a new
        # token), and an offered public key waits forever for the person's tap.
        if self.faults.unauthorized and packet.arg0 == p.AUTH_SIGNATURE:
            await self.send_auth_token()
        elif self.faults.unauthorized and packet.arg0 == p.AUTH_RSAPUBLICKEY:
            self.awaiting_tap = True  # adbd shows "Allow USB debugging?" now

    async def accept_key(self) -> None:
        """The person tapped Allow: adbd answers the waiting key with CNXN."""
        self.faults = self.phone.faults
        if self.awaiting_tap and not self.online:
            self.awaiting_tap = False
            self.online = True
            await self.send(p.Packet(p.A_CNXN, self.peer_version, self.max_payload,
                                     self.phone.banner()))

    async def send_auth_token(self) -> None:
        await self.send(p.Packet(p.A_AUTH, p.AUTH_TOKEN, 0, secrets.token_bytes(20)))

    async def on_open(self, packet: p.Packet) -> None:
        service = p.parse_service(packet.data)
        self.phone.services.append(service.raw)
        if service.kind != "refused":
            self.phone.command_log.append(service.command)
        if self.faults.hang_open:
            return
        if service.kind == "refused" or (service.kind == "shell_v2" and self.phone.legacy):
            await self.send(p.Packet(p.A_CLSE, 0, packet.arg0))
            return
        local_id = self.next_id
        self.next_id += 1
        stream = Stream(self, local_id, packet.arg0, service)
        self.streams[local_id] = stream
        await self.send(p.Packet(p.A_OKAY, local_id, packet.arg0))
        stream.start()

    async def on_close(self, packet: p.Packet) -> None:
        stream = self.streams.pop(packet.arg1, None)
        if stream is None or stream.closed:
            return  # our own CLSE's echo, or an unknown stream: nothing to answer
        stream.closed = True
        stream.stop()
        await self.send(p.Packet(p.A_CLSE, stream.local_id, stream.remote_id))

    async def drop(self) -> None:
        """drop-after: flush what was allowed through, then close the TCP connection."""
        await self.writer.drain()
        self.writer.close()
        raise _Dropped()


class Stream:
    """One OPENed service: a shell command, its stdin from the host and its output."""

    def __init__(self, connection: Connection, local_id: int, remote_id: int,
                 service: p.Service) -> None:
        self.connection = connection
        self.local_id = local_id
        self.remote_id = remote_id
        self.service = service
        self.v2 = service.kind == "shell_v2"
        self.pty = service.kind == "shell" and connection.phone.legacy
        self.closed = False
        self.acked = asyncio.Event()
        self.acked.set()
        self.write_lock = asyncio.Lock()
        # Host stdin may arrive before the process exists: queued until it does.
        self.stdin: asyncio.Queue[tuple[list[bytes | None], bool]] = asyncio.Queue()
        self.parser = p.ShellPacketParser()
        self.process: asyncio.subprocess.Process | None = None
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.task = asyncio.create_task(self.run())
        self.connection.tasks.add(self.task)
        self.task.add_done_callback(self.connection.tasks.discard)

    def stop(self) -> None:
        if self.task is not None and not self.task.done():
            self.task.cancel()
        self.kill()

    def kill(self) -> None:
        if self.process is not None and self.process.returncode is None:
            kill_session(self.process.pid)

    # -- host → phone -----------------------------------------------------------------

    def on_okay(self) -> None:
        self.acked.set()

    def on_host_write(self, data: bytes) -> None:
        if not self.v2:
            self.stdin.put_nowait(([data], True))
            return
        items: list[bytes | None] = []
        for packet_id, payload in self.parser.feed(data):
            if packet_id == p.SHELL_STDIN:
                items.append(payload)
            elif packet_id == p.SHELL_CLOSE_STDIN:
                items.append(None)
            # SHELL_WINDOW_SIZE: no pty here, nothing to resize
        self.stdin.put_nowait((items, True))

    # -- the command --------------------------------------------------------------------

    async def run(self) -> None:
        try:
            reason = refusal(self.service.command)
            if reason:
                await self.refuse(reason)
            else:
                await self.execute()
            await self.close_from_phone()
        except (OSError, _Dropped, asyncio.CancelledError):
            pass
        finally:
            await self.reap()

    async def reap(self) -> None:
        self.kill()
        if self.process is not None:
            # Read the pipes to EOF too: a pipe left mid-read keeps its transport open.
            with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError, OSError):
                await asyncio.wait_for(self.process.communicate(), 5)

    async def refuse(self, reason: str) -> None:
        self.connection.phone.record_refused_write(self.service.command)
        message = f"/system/bin/sh: {reason}\n".encode()
        if self.v2:
            await self.send_output(p.SHELL_STDERR, message)
            await self.send_exit(1)
        else:
            await self.send_output(p.SHELL_STDOUT, message)

    async def execute(self) -> None:
        sandbox = self.connection.phone.sandbox
        self.process = await asyncio.create_subprocess_exec(
            *sandbox.argv(self.service.command), executable=sandbox.shell.path,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE if self.v2 else asyncio.subprocess.STDOUT,
            env=sandbox.env(), cwd="/", start_new_session=True, limit=_PIPE_LIMIT)
        feeder = asyncio.create_task(self.feed_stdin(self.process))
        try:
            assert self.process.stdout is not None
            pumps = [self.pump(self.process.stdout, p.SHELL_STDOUT)]
            if self.process.stderr is not None:
                pumps.append(self.pump(self.process.stderr, p.SHELL_STDERR))
            await asyncio.gather(*pumps)
            code = await self.process.wait()
        finally:
            feeder.cancel()
        if self.v2:
            await self.send_exit(code if code >= 0 else 128 - code)

    async def pump(self, pipe: asyncio.StreamReader, packet_id: int) -> None:
        room = self.connection.max_payload - (p.SHELL_HEADER.size if self.v2 else 0)
        while chunk := await pipe.read(room):
            await self.send_output(packet_id, chunk)

    async def feed_stdin(self, process: asyncio.subprocess.Process) -> None:
        assert process.stdin is not None
        while True:
            items, needs_okay = await self.stdin.get()
            for item in items:
                try:
                    if item is None:
                        process.stdin.close()
                    elif not process.stdin.is_closing():
                        process.stdin.write(item)
                        await process.stdin.drain()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the command stopped reading; the host still gets its OKAY
            if needs_okay:
                await self.connection.send(p.Packet(p.A_OKAY, self.local_id, self.remote_id))

    # -- phone → host -------------------------------------------------------------------

    async def send_output(self, packet_id: int, data: bytes) -> None:
        """Shell output, cut short (and the connection closed) by the drop-after fault."""
        budget = self.connection.faults.drop_after
        drop = False
        if budget is not None:
            remaining = max(0, budget - self.connection.output_sent)
            drop = len(data) >= remaining
            data = data[:remaining]
        if self.pty:
            data = data.replace(b"\n", b"\r\n")
        if data:
            self.connection.output_sent += len(data)
            await self.send_write(p.shell_packet(packet_id, data) if self.v2 else data)
        if drop:
            await self.connection.drop()

    async def send_exit(self, code: int) -> None:
        await self.send_write(p.shell_packet(p.SHELL_EXIT, bytes([code & 0xFF])))

    async def send_write(self, payload: bytes) -> None:
        async with self.write_lock:
            await self.acked.wait()
            self.acked.clear()
            await self.connection.send(p.Packet(p.A_WRTE, self.local_id, self.remote_id,
                                                payload))

    async def close_from_phone(self) -> None:
        await self.acked.wait()  # let the host take the last WRTE before the CLSE
        if self.closed:
            return
        self.closed = True
        self.connection.streams.pop(self.local_id, None)
        await self.connection.send(p.Packet(p.A_CLSE, self.local_id, self.remote_id))


__all__ = ["EMULATOR_PORTS", "VirtualPhone"]
