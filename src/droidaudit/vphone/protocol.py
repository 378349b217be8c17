"""The ADB wire protocol as the phone side (adbd) speaks it: packets, banners, services.

Follows AOSP packages/modules/adb/protocol.txt and adb.h (A_VERSION 0x01000001, 1 MiB
payloads since Android 9) and shell_protocol.h for shell v2 packets. Pure encode/decode
with no I/O, so it can be tested on its own. It must never accept a malformed header as a
packet: a wrong magic ends the connection, as on real adbd.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

A_SYNC = 0x434E5953
A_CNXN = 0x4E584E43
A_AUTH = 0x48545541
A_OPEN = 0x4E45504F
A_OKAY = 0x59414B4F
A_CLSE = 0x45534C43
A_WRTE = 0x45545257
A_STLS = 0x534C5453

COMMAND_NAMES = {A_SYNC: "SYNC", A_CNXN: "CNXN", A_AUTH: "AUTH", A_OPEN: "OPEN",
                 A_OKAY: "OKAY", A_CLSE: "CLSE", A_WRTE: "WRTE", A_STLS: "STLS"}

A_VERSION_MIN = 0x01000000  # peers at this version check the data checksum
A_VERSION_SKIP_CHECKSUM = 0x01000001  # and from this one on, nobody does
A_VERSION = 0x01000001
MAX_PAYLOAD = 1024 * 1024  # adbd's since Android 9 (adb.h MAX_PAYLOAD)
MAX_PAYLOAD_V1 = 4096

AUTH_TOKEN = 1
AUTH_SIGNATURE = 2
AUTH_RSAPUBLICKEY = 3

HEADER = struct.Struct("<6I")
HEADER_SIZE = HEADER.size  # 24

# What this phone serves. No abb/abb_exec/delayed_ack/sendrecv_v2: we would have to
# serve those services, and the host changes its framing when it sees delayed_ack.
FEATURES = ("shell_v2", "cmd", "stat_v2", "ls_v2", "fixed_push_mkdir", "apex",
            "fixed_push_symlink_timestamp", "remount_shell")

# shell_protocol.h packet ids
SHELL_STDIN = 0
SHELL_STDOUT = 1
SHELL_STDERR = 2
SHELL_EXIT = 3
SHELL_CLOSE_STDIN = 4
SHELL_WINDOW_SIZE = 5
SHELL_HEADER = struct.Struct("<BI")


class ProtocolError(Exception):
    """The peer sent bytes that are not an ADB packet."""


@dataclass(frozen=True)
class Packet:
    command: int
    arg0: int = 0
    arg1: int = 0
    data: bytes = b""

    @property
    def name(self) -> str:
        return COMMAND_NAMES.get(self.command, f"0x{self.command:08x}")


@dataclass(frozen=True)
class Header:
    command: int
    arg0: int
    arg1: int
    length: int
    checksum: int


def checksum(data: bytes) -> int:
    """adb's "checksum": the sum of the bytes, not a CRC (protocol.txt)."""
    return sum(data) & 0xFFFFFFFF


def encode(packet: Packet, with_checksum: bool = True) -> bytes:
    crc = checksum(packet.data) if with_checksum else 0
    return HEADER.pack(packet.command, packet.arg0, packet.arg1, len(packet.data), crc,
                       packet.command ^ 0xFFFFFFFF) + packet.data


def decode_header(raw: bytes, max_payload: int = MAX_PAYLOAD) -> Header:
    if len(raw) != HEADER_SIZE:
        raise ProtocolError(f"short header: {len(raw)} bytes")
    command, arg0, arg1, length, crc, magic = HEADER.unpack(raw)
    if magic != command ^ 0xFFFFFFFF:
        raise ProtocolError(f"bad magic 0x{magic:08x} for command 0x{command:08x}")
    if length > max_payload:
        raise ProtocolError(f"payload of {length} bytes exceeds {max_payload}")
    return Header(command, arg0, arg1, length, crc)


def decode(raw: bytes, verify_checksum: bool = False) -> Packet:
    """One whole packet (header + payload) from bytes; for tests and tools."""
    header = decode_header(raw[:HEADER_SIZE])
    data = raw[HEADER_SIZE:HEADER_SIZE + header.length]
    if len(data) != header.length:
        raise ProtocolError(f"payload cut short: {len(data)} of {header.length} bytes")
    if verify_checksum and checksum(data) != header.checksum:
        raise ProtocolError("bad data checksum")
    return Packet(header.command, header.arg0, header.arg1, data)


# -- the CNXN banner ------------------------------------------------------------------

BANNER_PROPS = ("ro.product.name", "ro.product.model", "ro.product.device")


def banner_value(value: str) -> str:
    """The host splits the banner on ':' and ';' (adb.cpp parse_banner), and adbd does not
    escape: a value holding either would corrupt every later field. Replace them."""
    return re.sub(r"[:;\x00-\x1f\x7f]", "_", value)


def device_banner(props: dict[str, str], features: tuple[str, ...] = FEATURES) -> bytes:
    fields = [f"{key}={banner_value(props[key])}" for key in BANNER_PROPS if key in props]
    fields.append("features=" + ",".join(features))
    return ("device::" + ";".join(fields)).encode()


# -- services ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Service:
    kind: str  # "shell" (legacy, merged output), "shell_v2", "exec", or "refused"
    command: str
    raw: str  # the whole service string, for the log


def parse_service(payload: bytes) -> Service:
    """OPEN's payload: `shell:CMD`, `shell,v2,raw:CMD`, `exec:CMD`, ... ending in NUL."""
    text = payload.split(b"\x00", 1)[0].decode("utf-8", errors="replace")
    name, sep, command = text.partition(":")
    if not sep:
        return Service("refused", "", text)
    head, *options = name.split(",")
    if head == "shell":
        return Service("shell_v2" if "v2" in options else "shell", command, text)
    if head == "exec" and not options:
        return Service("exec", command, text)
    return Service("refused", command, text)


def shell_packet(packet_id: int, data: bytes) -> bytes:
    return SHELL_HEADER.pack(packet_id, len(data)) + data


class ShellPacketParser:
    """Splits a host→phone shell v2 byte stream into (id, data) packets; a packet may span
    several WRTEs, and one WRTE may hold several packets."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[tuple[int, bytes]]:
        self._buffer += data
        packets: list[tuple[int, bytes]] = []
        while len(self._buffer) >= SHELL_HEADER.size:
            packet_id, length = SHELL_HEADER.unpack_from(self._buffer)
            end = SHELL_HEADER.size + length
            if len(self._buffer) < end:
                break
            packets.append((packet_id, bytes(self._buffer[SHELL_HEADER.size:end])))
            del self._buffer[:end]
        return packets
