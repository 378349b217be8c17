"""The phone against a hand-written host speaking raw ADB packets: handshake, checksums,
flow control, ids, stdin buffering, refusals. Fast and exact where the real adb server
would hide the details."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from droidaudit.vphone import protocol as p
from droidaudit.vphone.server import VirtualPhone


class RawHost:
    def __init__(self, port: int, version: int = p.A_VERSION, max_payload: int = 4096) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.version = version
        self.send(p.Packet(p.A_CNXN, version, max_payload, b"host::features=shell_v2\x00"))

    def send(self, packet: p.Packet) -> None:
        self.sock.sendall(p.encode(packet, with_checksum=True))

    def recv(self, timeout: float = 10.0) -> p.Packet:
        self.sock.settimeout(timeout)
        header = p.decode_header(self._exact(p.HEADER_SIZE))
        data = self._exact(header.length)
        if self.version < p.A_VERSION_SKIP_CHECKSUM:
            assert p.checksum(data) == header.checksum
        return p.Packet(header.command, header.arg0, header.arg1, data)

    def _exact(self, size: int) -> bytes:
        chunks = b""
        while len(chunks) < size:
            chunk = self.sock.recv(size - len(chunks))
            if not chunk:
                raise ConnectionError("phone closed the connection")
            chunks += chunk
        return chunks

    def close(self) -> None:
        self.sock.close()


@pytest.fixture()
def phone(big_capture: Path) -> Iterator[VirtualPhone]:
    with VirtualPhone(big_capture) as vphone:
        yield vphone


def test_handshake_old_peer_gets_checksums(phone: VirtualPhone) -> None:
    host = RawHost(phone.port, version=p.A_VERSION_MIN, max_payload=4096)
    reply = host.recv()
    assert reply.command == p.A_CNXN
    assert (reply.arg0, reply.arg1) == (p.A_VERSION_MIN, 4096)
    assert reply.data.startswith(b"device::ro.product.name=panther;ro.product.model=Pixel 7;")
    host.send(p.Packet(p.A_OPEN, 7, 0, b"shell:getprop ro.product.model\x00"))
    okay = host.recv()
    assert (okay.command, okay.arg1) == (p.A_OKAY, 7) and okay.arg0 != 0
    write = host.recv()  # checksum verified in recv()
    assert (write.command, write.arg0, write.arg1, write.data) == (
        p.A_WRTE, okay.arg0, 7, b"Pixel 7\n")
    host.send(p.Packet(p.A_OKAY, 7, okay.arg0))
    close = host.recv()
    assert (close.command, close.arg0, close.arg1) == (p.A_CLSE, okay.arg0, 7)
    host.close()


def test_one_write_in_flight_until_okay(phone: VirtualPhone) -> None:
    host = RawHost(phone.port, max_payload=4096)
    host.recv()
    host.send(p.Packet(p.A_OPEN, 1, 0, b"shell:dumpsys package packages\x00"))
    local = host.recv().arg0
    first = host.recv()
    assert first.command == p.A_WRTE and len(first.data) <= 4096
    with pytest.raises(TimeoutError):  # no second WRTE before our OKAY
        host.recv(timeout=0.3)
    host.send(p.Packet(p.A_OKAY, 1, local))
    assert host.recv().command == p.A_WRTE
    host.send(p.Packet(p.A_CLSE, 1, local))  # host gives up: the phone answers CLSE
    while (packet := host.recv()).command != p.A_CLSE:
        pass
    assert (packet.arg0, packet.arg1) == (local, 1)
    host.close()


def test_v2_stdin_sent_before_the_process_starts_is_kept(phone: VirtualPhone) -> None:
    host = RawHost(phone.port)
    host.recv()
    host.send(p.Packet(p.A_OPEN, 3, 0, b"shell,v2,raw:cat; exit 7\x00"))
    local = host.recv().arg0
    # Straight away, in one WRTE: stdin then close-stdin.
    host.send(p.Packet(p.A_WRTE, 3, local, p.shell_packet(p.SHELL_STDIN, b"typed early\n")
                       + p.shell_packet(p.SHELL_CLOSE_STDIN, b"")))
    received = b""
    exit_code = None
    while exit_code is None:
        packet = host.recv()
        if packet.command == p.A_OKAY:
            continue
        assert packet.command == p.A_WRTE
        host.send(p.Packet(p.A_OKAY, 3, local))
        for packet_id, data in p.ShellPacketParser().feed(packet.data):
            if packet_id == p.SHELL_STDOUT:
                received += data
            elif packet_id == p.SHELL_EXIT:
                exit_code = data[0]
    assert (received, exit_code) == (b"typed early\n", 7)
    assert host.recv().command == p.A_CLSE
    host.close()


@pytest.mark.parametrize("service", [b"sync:\x00", b"reboot:\x00", b"root:\x00",
                                     b"tcpip:5555\x00", b"framebuffer:\x00"])
def test_other_services_are_refused_with_clse(phone: VirtualPhone, service: bytes) -> None:
    host = RawHost(phone.port)
    host.recv()
    host.send(p.Packet(p.A_OPEN, 9, 0, service))
    reply = host.recv()
    assert (reply.command, reply.arg0, reply.arg1) == (p.A_CLSE, 0, 9)
    host.close()


def test_write_refused_at_the_door_is_logged(phone: VirtualPhone) -> None:
    host = RawHost(phone.port)
    host.recv()
    host.send(p.Packet(p.A_OPEN, 2, 0, b"shell,v2:settings put secure lockscreen.disabled 1\x00"))
    local = host.recv().arg0
    stderr, exit_code = b"", None
    while exit_code is None:
        packet = host.recv()
        host.send(p.Packet(p.A_OKAY, 2, local))
        for packet_id, data in p.ShellPacketParser().feed(packet.data):
            stderr += data if packet_id == p.SHELL_STDERR else b""
            exit_code = data[0] if packet_id == p.SHELL_EXIT else exit_code
    assert exit_code == 1 and b"read-only" in stderr
    assert phone.write_attempts == ["settings put secure lockscreen.disabled 1"]
    assert phone.command_log == ["settings put secure lockscreen.disabled 1"]
    host.close()


def test_hang_never_answers_cnxn(mini_capture: Path) -> None:
    with VirtualPhone(mini_capture, faults=["hang"]) as phone:
        host = RawHost(phone.port)
        with pytest.raises(TimeoutError):
            host.recv(timeout=0.5)
        host.close()


def test_latency_delays_each_packet(mini_capture: Path) -> None:
    with VirtualPhone(mini_capture, faults=["latency:100"]) as phone:
        host = RawHost(phone.port)
        started = time.monotonic()
        host.recv()
        assert time.monotonic() - started >= 0.09
        host.close()


def test_emulator_ports_are_refused(mini_capture: Path) -> None:
    with pytest.raises(ValueError, match="emulator"):
        VirtualPhone(mini_capture, port=5555)


def test_command_line_serves_until_terminated(mini_capture: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "droidaudit.vphone", str(mini_capture), "--fault", "latency:1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        port = int(re.search(r"127\.0\.0\.1:(\d+)", banner).group(1))  # type: ignore[union-attr]
        host = RawHost(port)
        assert host.recv().command == p.A_CNXN
        host.close()
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0


def test_command_line_rejects_bad_faults(mini_capture: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "droidaudit.vphone", str(mini_capture), "--fault", "explode"],
        capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 2 and "unknown fault" in result.stderr
