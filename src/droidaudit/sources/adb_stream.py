"""One `shell:` service read to its end through an adb server, with adbutils' low-level
connection API. Read-only: it sends only the command it is given (sources.live gives it
scripts built by sources.batch from the probe allow-list).

Why not `AdbDevice.shell()` / `open_transport()`: they ask the server `host:version` on a
fresh connection before every shell, and `AdbConnection.close()` sleeps 10 ms after a
half-close; a scan paid 5 such sleeps and as many extra connections. Here one
connection carries `host:transport:SERIAL` then `shell:CMD`, and the socket is closed
without a sleep (the server already ended the stream, or we abandon it).

Bounded three ways: every wait by `idle_s` and the scan's wall-clock deadline (adbutils'
own timeout is per read), and the bytes by `max_bytes` (a hostile phone answering a
gigabyte is cut off, not held in memory).
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass

import adbutils

_CHUNK = 256 * 1024


class ScanExpired(TimeoutError):
    def __init__(self) -> None:
        super().__init__("the scan ran past its time limit")


@dataclass(frozen=True)
class ReadBounds:
    deadline: float  # time.monotonic() value the whole scan must end by
    idle_s: float  # longest wait for the next bytes
    max_bytes: int  # the most one shell may send before it is cut off

    def timeout(self) -> float:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise ScanExpired()
        return max(0.05, min(self.idle_s, remaining))


def _request(text: str) -> bytes:
    payload = text.encode()
    return b"%04x" % len(payload) + payload


def read_shell(adb: adbutils.AdbClient, serial: str, command: str,
               bounds: ReadBounds) -> tuple[bytearray, str]:
    """Run `command` in one `shell:` on `serial`; return (bytes, failure reason or '')."""
    buffer = bytearray()
    try:
        conn = adb.make_connection(timeout=bounds.timeout())
    except ScanExpired as exc:
        return buffer, str(exc)
    except (adbutils.AdbError, OSError) as exc:
        return buffer, plain_reason(exc)
    sock = conn.conn
    try:
        # One request at a time: the server drops bytes sent after `host:transport:`
        # before it answered it (seen with adb 29.0.6).
        sock.sendall(_request(f"host:transport:{serial}"))
        conn.check_okay()  # the transport: answered by the server itself
        sock.settimeout(bounds.timeout())
        sock.sendall(_request(f"shell:{command}"))
        conn.check_okay()  # the shell, opened on the phone
        return buffer, _read_to_end(sock, buffer, bounds)
    except ScanExpired as exc:
        return buffer, str(exc)
    except (TimeoutError, adbutils.AdbTimeout):
        return buffer, "the phone stopped answering (timed out)"
    except (adbutils.AdbError, OSError) as exc:
        return buffer, plain_reason(exc)
    finally:
        sock.close()


def _read_to_end(sock: socket.socket, buffer: bytearray, bounds: ReadBounds) -> str:
    while True:
        sock.settimeout(bounds.timeout())
        chunk = sock.recv(_CHUNK)
        if not chunk:
            return ""
        buffer += chunk
        if len(buffer) > bounds.max_bytes:
            del buffer[bounds.max_bytes:]
            return f"the answer passed the {_size(bounds.max_bytes)} limit per read"


def _size(count: int) -> str:
    return f"{count / 2**20:g} MiB" if count >= 2**20 else f"{count:,} byte"


def plain_reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    if "device offline" in text:
        return "the phone is offline (replug it)"
    if "unauthorized" in text:
        return "the phone has not authorised this computer (accept the prompt on the phone)"
    if "not found" in text:
        return "the phone is no longer connected"
    return text
