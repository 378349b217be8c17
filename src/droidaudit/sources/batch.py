"""The batch protocol: many probes in one `adb shell` round trip, framed by markers.

Each probe's output is framed as `@@B|<token>|<name>` … `@@E|<token>|<name>|<exit code>`
with a random per-scan token, so the output of one command is not mistaken for a frame.
A probe whose end marker (with its line end) never arrives (dropped connection, watchdog)
is marked as an error and never read as an answer: adb's `shell:` returns truncated
output silently. A phone can still learn the token (it is in the shell's command line),
so a frame that breaks the protocol — a second frame for a name, a frame for a name not
sent, an end marker for another name — marks the probes it touches as tampered (an
error), never as an answer (issue 14 item 4).
Only commands from droidaudit.probes.PROBES (or its templated root probes, rebuilt and
checked by `probes.is_allowed`) are ever put in a script.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from droidaudit.probes import Probe, is_allowed

# `timeout` is toybox's (Android 7+); without it the probe simply runs unbounded on the
# phone and the host-side watchdog is the only limit.
# Two writes of our own per probe (the begin line; a line end and the end line in one
# builtin `echo`), the command's output straight through in between. Holding a probe's
# output in the shell (`o=$(...)`, one `print`) was measured (bench/scan_vs_floor.py): no
# gain on the virtual phone at 0 or 20 ms (adbd coalesces what the pipe holds), and
# `$(...)` drops NUL bytes, so a capture would no longer be the phone's bytes (a UTF-16
# corpus `getprop` came back changed). Never toybox `printf` with output as an argument
# (it fails above 128 KiB).
_PRELUDE = (
    'K={token};T=;command -v timeout >/dev/null 2>&1&&T=timeout;'
    'p(){{ echo "@@B|$K|$1";$T ${{T:+$2}} sh -c "$3" 2>&1 </dev/null;r=$?;'
    'echo "\n@@E|$K|$1|$r";}};'
)
_TAMPERED = "tampered output: {why} (the phone's output imitated this scan's frame markers)"


def new_token() -> str:
    return secrets.token_hex(6)


def build_script(probes: Sequence[Probe], token: str) -> str:
    parts = [_PRELUDE.format(token=token)]
    for probe in probes:
        if not is_allowed(probe):
            raise ValueError(f"refusing to send a command outside the allow-list: {probe.command}")
        parts.append(f"p {probe.name} {probe.timeout_s} '{probe.command}';")
    return "".join(parts)


@dataclass
class FramedOutput:
    data: bytes
    exit_code: int | None
    complete: bool
    problem: str = ""  # why this frame cannot be trusted (tampered), or ''


@dataclass
class _Marker:
    kind: bytes  # b"B" or b"E"
    start: int  # index of the first `@`
    name: str  # '' when malformed
    code: int | None  # end markers: the exit code
    after: int  # index after the marker line (and its line end, when it has one)
    ended: bool  # the marker line has its `\n`


def _markers(stream: bytes | bytearray, token: str) -> Iterable[_Marker]:
    """Every `@@B|token|` / `@@E|token|` marker, in order, by literal search (one pass)."""
    core = f"|{token}|".encode()
    at = stream.find(core)
    while at >= 0:
        kind = bytes(stream[at - 1:at])
        if at >= 3 and stream[at - 3:at - 1] == b"@@" and kind in (b"B", b"E"):
            yield _read_marker(stream, kind, at - 3, at + len(core))
        at = stream.find(core, at + 1)


def _read_marker(stream: bytes | bytearray, kind: bytes, start: int, body: int) -> _Marker:
    newline = stream.find(b"\n", body)
    line = bytes(stream[body:newline if newline >= 0 else len(stream)]).rstrip(b"\r")
    after = newline + 1 if newline >= 0 else len(stream)
    name, _, code_text = line.partition(b"|")
    valid = name.isascii() and bool(name) and all(c in _NAME_BYTES for c in name)
    if kind == b"B":
        good = valid and not code_text and not _
        return _Marker(kind, start, name.decode() if good else "", None, after, newline >= 0)
    good = valid and code_text.isdigit() and len(code_text) <= 9
    return _Marker(kind, start, name.decode() if good else "", int(code_text) if good else None,
                   after, newline >= 0)


_NAME_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789_")


def _content_end(stream: bytes | bytearray, start: int, marker_at: int) -> int | None:
    """Where a frame's bytes end before its end marker: the `\r*\n` the prelude adds."""
    if marker_at <= start or stream[marker_at - 1] != 0x0A:
        return None
    end = marker_at - 1
    while end > start and stream[end - 1] == 0x0D:
        end -= 1
    return end


def split_frames(stream: bytes | bytearray, token: str,
                 sent: Sequence[str] | None = None) -> dict[str, FramedOutput]:
    """Cut the batch output into per-probe outputs, byte-exact, in one pass.

    `sent` names the probes the script ran (None: trust any name). Old PTY-based adbd
    (Android < 7) turns `\n` into `\r\n`: markers allow `\r` before `\n`. A bytearray
    holding a single frame is trimmed in place and becomes that frame's data.
    """
    pairer = _Pairer(stream, set(sent) if sent is not None else None)
    for marker in _markers(stream, token):
        pairer.feed(marker)
    return pairer.finish()


class _Pairer:
    """Pairs begin and end markers in stream order; every break in the protocol is a
    tamper mark on the probes it touches, never an answer."""

    def __init__(self, stream: bytes | bytearray, sent: set[str] | None) -> None:
        self.stream = stream
        self.sent = sent
        self.frames: dict[str, FramedOutput] = {}
        self.tampered: dict[str, str] = {}
        self.open: tuple[str, int] | None = None  # (name, where its bytes start)
        self.spans: dict[str, tuple[int, int]] = {}  # name → its bytes in the stream
        self.last = ""  # the last frame opened

    def feed(self, marker: _Marker) -> None:
        if not marker.name or (self.sent is not None and marker.name not in self.sent):
            self._blame(self.open[0] if self.open else self.last, "a frame for a probe "
                        "that was not sent")
        elif marker.kind == b"B":
            self._begin(marker)
        else:
            self._end(marker)

    def _begin(self, marker: _Marker) -> None:
        if self.open is not None:  # the open frame never ended: cut where this one begins
            self._cut(marker.start)
        if marker.name in self.frames:
            self._blame(marker.name, "a second frame for this probe")
        elif marker.ended:
            self.frames[marker.name] = FramedOutput(b"", None, False)
            self.open = (marker.name, marker.after)
            self.last = marker.name

    def _end(self, marker: _Marker) -> None:
        if self.open is None or self.open[0] != marker.name:
            self._blame(marker.name, "an end marker without its begin marker")
            if self.open is not None:
                self._blame(self.open[0], "an end marker for another probe inside it")
            return
        name, start = self.open
        end = _content_end(self.stream, start, marker.start)
        if end is None:
            self._blame(name, "an end marker not on a line of its own")
            return
        self.open = None
        self.frames[name] = FramedOutput(b"", marker.code, marker.ended)
        self.spans[name] = (start, end)

    def _cut(self, stop: int) -> None:
        if self.open is None:
            return
        name, start = self.open
        self.frames[name] = FramedOutput(b"", None, False)
        self.spans[name] = (start, stop)
        self.open = None

    def _fill(self) -> None:
        """Give each frame its bytes. A lone frame in a bytearray (a streamed probe: tens of
        MB) is the stream itself, trimmed in place, not a copy; others are copied once."""
        if len(self.spans) == 1 and isinstance(self.stream, bytearray):
            (name, (start, stop)), = self.spans.items()
            del self.stream[stop:]
            del self.stream[:start]  # O(1): a bytearray drops its head by moving its start
            self.frames[name].data = self.stream  # type: ignore[assignment]
            return
        with memoryview(self.stream) as view:
            for name, (start, stop) in self.spans.items():
                self.frames[name].data = bytes(view[start:stop])

    def _blame(self, name: str, why: str) -> None:
        if name:
            self.tampered.setdefault(name, why)

    def finish(self) -> dict[str, FramedOutput]:
        if self.open is not None:
            self._cut(len(self.stream))
        self._fill()
        for name, why in self.tampered.items():
            if self.sent is None or name in self.sent:
                data = self.frames[name].data if name in self.frames else b""
                self.frames[name] = FramedOutput(data, None, False,
                                                 _TAMPERED.format(why=why))
        return self.frames
