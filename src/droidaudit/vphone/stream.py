"""One OPENed service on the virtual phone: a shell command run in the sandbox, its stdin
from the host, its output sent back with adbd's flow control (one WRTE in flight until the
host's OKAY; packages/modules/adb/sockets.cpp), and the shell protocol v2 framing.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

from droidaudit.vphone import protocol as p
from droidaudit.vphone.answers import ENV_TTY
from droidaudit.vphone.faults import Dropped
from droidaudit.vphone.shell import kill_session, refusal

if TYPE_CHECKING:
    from droidaudit.vphone.connection import Connection

_PIPE_LIMIT = p.MAX_PAYLOAD  # let one read fill a whole WRTE


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
        except (OSError, Dropped, asyncio.CancelledError):
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
            env={**sandbox.env(), **self.tty_env()}, cwd="/", start_new_session=True,
            limit=_PIPE_LIMIT)
        feeder = asyncio.create_task(self.feed_stdin(self.process))
        try:
            if self.process.stdout is None:  # created with stdout=PIPE above
                raise RuntimeError("shell process has no stdout pipe")
            pumps = [self.pump(self.process.stdout, p.SHELL_STDOUT)]
            if self.process.stderr is not None:
                pumps.append(self.pump(self.process.stderr, p.SHELL_STDERR))
            await asyncio.gather(*pumps)
            code = await self.process.wait()
        finally:
            feeder.cancel()
        if self.v2:
            await self.send_exit(code if code >= 0 else 128 - code)

    def tty_env(self) -> dict[str, str]:
        """adbd gives a no-protocol `shell:` command a PTY (ShellService: "If we aren't using
        the shell protocol we must allocate a PTY"), so /dev/tty exists. `exec:` is
        SubprocessType::kRaw: a socketpair after setsid(), no controlling terminal, like
        `shell,v2` raw (shell_service.cpp ForkAndExec); only `shell,v2,pty` has one."""
        pty = self.service.kind == "shell" or \
            (self.v2 and ",pty" in self.service.raw.split(":", 1)[0])
        return {ENV_TTY: "1"} if pty else {}

    async def pump(self, pipe: asyncio.StreamReader, packet_id: int) -> None:
        room = self.connection.max_payload - (p.SHELL_HEADER.size if self.v2 else 0)
        while chunk := await pipe.read(room):
            await self.send_output(packet_id, chunk)

    async def feed_stdin(self, process: asyncio.subprocess.Process) -> None:
        if process.stdin is None:  # created with stdin=PIPE
            raise RuntimeError("shell process has no stdin pipe")
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

