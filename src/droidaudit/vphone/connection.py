"""One TCP connection from an adb server to the virtual phone: the CNXN/AUTH handshake,
then OPEN/OKAY/WRTE/CLSE for its streams (packages/modules/adb/adb.cpp), and the faults
that act on a connection (unauthorized, hang, drop-after, latency).
"""

from __future__ import annotations

import asyncio
import secrets
from typing import TYPE_CHECKING

from droidaudit.vphone import protocol as p
from droidaudit.vphone.faults import Dropped
from droidaudit.vphone.stream import Stream

if TYPE_CHECKING:
    from droidaudit.vphone.server import VirtualPhone


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
        except (p.ProtocolError, OSError, asyncio.IncompleteReadError, Dropped,
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
        raise Dropped()
