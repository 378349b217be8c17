"""Packet, banner, service and fault parsing: the pure parts of the virtual phone."""

from __future__ import annotations

import pytest

from droidaudit.parsers.getprop import parse_properties
from droidaudit.vphone import protocol as p
from droidaudit.vphone.faults import Faults, parse_faults


@pytest.mark.parametrize("command", [p.A_CNXN, p.A_AUTH, p.A_OPEN, p.A_OKAY, p.A_CLSE,
                                     p.A_WRTE, p.A_SYNC, p.A_STLS])
@pytest.mark.parametrize("data", [b"", b"shell:getprop\x00", bytes(range(256)) * 40])
def test_packet_round_trip(command: int, data: bytes) -> None:
    packet = p.Packet(command, 0x01000001, 1 << 20, data)
    raw = p.encode(packet)
    assert len(raw) == p.HEADER_SIZE + len(data)
    assert p.decode(raw, verify_checksum=True) == packet


def test_header_layout_is_little_endian_with_magic() -> None:
    raw = p.encode(p.Packet(p.A_OKAY, 1, 2, b"ab"))
    assert raw[:4] == b"OKAY"  # commands read as ASCII on the wire
    assert int.from_bytes(raw[8:12], "little") == 2
    assert int.from_bytes(raw[16:20], "little") == ord("a") + ord("b")
    assert int.from_bytes(raw[20:24], "little") == p.A_OKAY ^ 0xFFFFFFFF


def test_checksum_omitted_when_asked() -> None:
    raw = p.encode(p.Packet(p.A_WRTE, 1, 2, b"xyz"), with_checksum=False)
    assert p.decode_header(raw[:24]).checksum == 0


def test_bad_magic_and_oversize_are_rejected() -> None:
    raw = bytearray(p.encode(p.Packet(p.A_OPEN, 1, 0, b"x")))
    raw[20] ^= 1
    with pytest.raises(p.ProtocolError):
        p.decode_header(bytes(raw[:24]))
    big = p.HEADER.pack(p.A_WRTE, 1, 1, p.MAX_PAYLOAD + 1, 0, p.A_WRTE ^ 0xFFFFFFFF)
    with pytest.raises(p.ProtocolError):
        p.decode_header(big)
    with pytest.raises(p.ProtocolError):
        p.decode(p.encode(p.Packet(p.A_WRTE, 1, 1, b"abcd"))[:-1])


def test_banner_from_getprop_sanitises_separators() -> None:
    props = parse_properties("[ro.product.name]: [panther]\n[ro.product.model]: [Pixel 7;x:y]\n"
                            "[ro.product.device]: [panther]\ngarbage line\n")
    banner = p.device_banner(props.values).decode()
    assert banner.startswith("device::ro.product.name=panther;ro.product.model=Pixel 7_x_y;")
    assert banner.endswith(";features=" + ",".join(p.FEATURES))
    assert "shell_v2" in p.FEATURES and "delayed_ack" not in p.FEATURES
    assert p.device_banner({}) == b"device::features=" + ",".join(p.FEATURES).encode()


@pytest.mark.parametrize(("payload", "kind", "command"), [
    (b"shell:getprop\x00", "shell", "getprop"),
    (b"shell:\x00", "shell", ""),
    (b"shell,v2,TERM=xterm,raw:ls -l\x00", "shell_v2", "ls -l"),
    (b"shell,raw:id\x00", "shell", "id"),
    (b"exec:cat /x\x00", "exec", "cat /x"),
    (b"sync:\x00", "refused", ""),
    (b"reboot:bootloader\x00", "refused", "bootloader"),
    (b"root:\x00", "refused", ""),
    (b"abb_exec:package\x00list", "refused", "package"),
    (b"nonsense", "refused", ""),
])
def test_parse_service(payload: bytes, kind: str, command: str) -> None:
    service = p.parse_service(payload)
    assert (service.kind, service.command) == (kind, command)


def test_shell_packets_split_across_writes() -> None:
    stream = p.shell_packet(p.SHELL_STDIN, b"hello") + p.shell_packet(p.SHELL_CLOSE_STDIN, b"")
    parser = p.ShellPacketParser()
    assert parser.feed(stream[:3]) == []
    assert parser.feed(stream[3:8]) == []
    assert parser.feed(stream[8:]) == [(p.SHELL_STDIN, b"hello"), (p.SHELL_CLOSE_STDIN, b"")]


def test_fault_specs() -> None:
    assert parse_faults(["drop-after:100", "latency:25"]) == Faults(drop_after=100, latency_ms=25)
    assert parse_faults(["hang", "hang-open", "unauthorized"]) == Faults(
        hang=True, hang_open=True, unauthorized=True)
    assert parse_faults(None) == Faults()
    for bad in ("drop-after", "latency:x", "explode", "hang:1"):
        with pytest.raises(ValueError, match="fault"):
            parse_faults([bad])
