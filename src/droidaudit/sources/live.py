"""A phone over an adb server, through adbutils. Read-only: it sends only scripts built
by sources.batch from the probe allow-list.

Round trips: one shell for all small probes, one per streamed probe. Output is read in
chunks into a list (adbutils' own `shell()` grows a bytes object by `+=`, quadratic on
big dumps). adbutils' timeout is per read and does not cover a whole command, so every
read here is bounded by the scan's own wall-clock deadline.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import adbutils

from droidaudit.capture import Capture, ProbeOutput
from droidaudit.probes import PROBES, Probe
from droidaudit.sources.adb_server import AdbAddress, AdbUnavailable, client
from droidaudit.sources.base import Progress, Source, no_progress
from droidaudit.sources.batch import build_script, new_token, split_frames
from droidaudit.sources.root_followup import root_followup_probes
from droidaudit.timestamps import now_iso_utc

_CHUNK = 256 * 1024


@dataclass(frozen=True)
class Limits:
    idle_s: float = 60.0  # longest wait for the next bytes from the phone
    scan_s: float = 600.0  # wall-clock limit for the whole device scan


def utc_now() -> str:
    return now_iso_utc()


class LiveSource(Source):
    def __init__(self, address: AdbAddress, serial: str, limits: Limits | None = None,
                 probes: Sequence[Probe] = PROBES, use_root: bool = False) -> None:
        self.address = address
        self.serial = serial
        self.limits = limits or Limits()
        self.probes = tuple(probes)
        self.use_root = use_root  # the person consented to `su` reads (--use-root)
        self.round_trips = 0

    @property
    def label(self) -> str:
        return self.serial

    def collect(self, progress: Progress = no_progress) -> Capture:
        deadline = time.monotonic() + self.limits.scan_s
        capture = Capture(device={"serial": self.serial, "transport": f"adb {self.address}"},
                          started=utc_now(), origin="live")
        small = [p for p in self.probes if not p.streamed]
        big = [p for p in self.probes if p.streamed]
        batches = [small] + [[probe] for probe in big]
        for number, batch in enumerate(batches):
            what = "settings and states" if batch is small else batch[0].purpose
            progress(f"Reading {what} ({number + 1}/{len(batches)})")
            failure = self._run_batch(batch, capture, deadline)
            if failure:  # a dead phone: do not wait on it again for every batch
                for later in batches[number + 1:]:
                    for probe in later:
                        capture.add(ProbeOutput(probe.name, probe.command,
                                                error=f"not read: {failure}"))
                break
        # --- root follow-up (issue 6): only with --use-root and an su on the phone, read
        # the default SMS app's MMS preferences as one more batch (sources.root_followup).
        if self.use_root and not capture.transport_failures():
            followups = root_followup_probes(capture)
            if followups:
                progress("Reading the SMS app's MMS settings as root (accept the prompt on "
                         "the phone)")
                self._run_batch(followups, capture, deadline)
        # --- end of root follow-up
        capture.finished = utc_now()
        return capture

    def _run_batch(self, probes: Sequence[Probe], capture: Capture, deadline: float) -> str:
        """Run probes in one shell; return a failure reason when nothing usable came back."""
        token = new_token()
        started = time.monotonic()
        stream, failure = self._read_shell(build_script(probes, token), deadline)
        seconds = time.monotonic() - started
        frames = split_frames(stream, token)
        for probe in probes:
            frame = frames.get(probe.name)
            if frame is None:
                error = failure or "no output frame (the shell did not run this probe)"
                capture.add(ProbeOutput(probe.name, probe.command, b"", None, seconds, error))
            elif not frame.complete:
                error = f"output cut off: {failure or 'the connection ended early'}"
                capture.add(ProbeOutput(probe.name, probe.command, frame.data, None, seconds,
                                        error))
            else:
                capture.add(ProbeOutput(probe.name, probe.command, frame.data, frame.exit_code,
                                        seconds / max(len(probes), 1)))
        complete = any(frame.complete for frame in frames.values())
        return failure if failure and not complete else ""

    def run_alone(self, command: str, seconds: float) -> tuple[bytes, str]:
        """One command on its own plain `shell:` stream, never batched and never shell,v2
        (adbd gives `shell:` a PTY, so the command has a /dev/tty: `uiautomator dump
        /dev/tty` needs one); (bytes, failure reason or '')."""
        try:
            return self._read_shell(command, time.monotonic() + seconds)
        except _Expired as exc:
            return b"", str(exc)

    def _read_shell(self, script: str, deadline: float) -> tuple[bytes, str]:
        """Run one shell command and read all of it; return (bytes, failure reason or '')."""
        chunks: list[bytes] = []
        self.round_trips += 1
        try:
            device = client(self.address, timeout=self._timeout(deadline)).device(self.serial)
            conn = device.open_transport(timeout=self._timeout(deadline))
        except (adbutils.AdbError, OSError) as exc:
            return b"", _plain(exc)
        try:
            conn.conn.settimeout(self._timeout(deadline))
            conn.send_command("shell:" + script)
            conn.check_okay()
            while True:
                conn.conn.settimeout(self._timeout(deadline))
                chunk = conn.conn.recv(_CHUNK)
                if not chunk:
                    return b"".join(chunks), ""
                chunks.append(chunk)
        except TimeoutError:
            return b"".join(chunks), "the phone stopped answering (timed out)"
        except (adbutils.AdbError, OSError) as exc:
            return b"".join(chunks), _plain(exc)
        finally:
            conn.close()

    def _timeout(self, deadline: float) -> float:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _Expired()
        return max(0.05, min(self.limits.idle_s, remaining))


class _Expired(TimeoutError):
    def __init__(self) -> None:
        super().__init__("the scan ran past its time limit")


def _plain(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    if "device offline" in text:
        return "the phone is offline (replug it)"
    if "unauthorized" in text:
        return "the phone has not authorised this computer (accept the prompt on the phone)"
    if "not found" in text:
        return "the phone is no longer connected"
    return text


__all__ = ["AdbUnavailable", "Limits", "LiveSource"]
