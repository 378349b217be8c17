"""A phone over an adb server, through adbutils. Read-only: it sends only scripts built
by sources.batch from the probe allow-list.

Round trips: the small probes in `BATCH_SHELLS` shells and each streamed probe
(`dumpsys package`) in its own, all opened at once on one AdbClient, so the scan costs
the phone's slowest stream, not the sum of them (issue 15). Each shell is read with
adbutils' low-level connection (sources.adb_stream): no `host:version` look-up per
shell, no 10 ms close sleeps. Every read is bounded by the scan's wall-clock deadline
(adbutils' timeout is per read, not per command) and by a per-read byte cap.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import adbutils

from droidaudit.capture import Capture, ProbeOutput
from droidaudit.probes import PROBES, Probe
from droidaudit.sources.adb_server import AdbAddress, AdbUnavailable, client
from droidaudit.sources.adb_stream import ReadBounds, read_shell
from droidaudit.sources.base import Progress, Source, no_progress
from droidaudit.sources.batch import build_script, new_token, split_frames
from droidaudit.sources.root_followup import root_followup_probes
from droidaudit.timestamps import now_iso_utc

# Three shells share the small probes: the phone runs them side by side (a real phone has
# 4-8 cores; each probe mostly waits on a service or on app_process start-up). On the
# virtual phone (2 host cores) 1/2/3/4 shells read the sample phone in 1.03/0.66/0.52/0.43 s
# at 0 ms and 0.85/0.62/0.53/0.54 s at 20 ms per packet (one loaded run, medians of 7).
BATCH_SHELLS = 3
PROBE_BYTES_LIMIT = 256 * 1024 * 1024  # issue 14 item 9: cut off, never held, beyond this


@dataclass(frozen=True)
class Limits:
    idle_s: float = 60.0  # longest wait for the next bytes from the phone
    scan_s: float = 600.0  # wall-clock limit for the whole device scan
    probe_bytes: int = PROBE_BYTES_LIMIT  # the most one read may bring back


def utc_now() -> str:
    return now_iso_utc()


def plan_shells(probes: Sequence[Probe], shells: int | None = None) -> list[list[Probe]]:
    """Small probes dealt round-robin over `shells` batches; each streamed probe alone."""
    shells = shells or BATCH_SHELLS
    small = [p for p in probes if not p.streamed]
    batches = [small[i::shells] for i in range(min(shells, len(small)))]
    return [*[[p] for p in probes if p.streamed], *batches]


class LiveSource(Source):
    def __init__(self, address: AdbAddress, serial: str, limits: Limits | None = None,
                 probes: Sequence[Probe] = PROBES, use_root: bool = False) -> None:
        self.address = address
        self.serial = serial
        self.limits = limits or Limits()
        self.probes = tuple(probes)
        self.use_root = use_root  # the person consented to `su` reads (--use-root)
        self.round_trips = 0
        self.deadline: float | None = None  # set by collect(): the scan's wall-clock end
        self._adb: adbutils.AdbClient | None = None

    @property
    def label(self) -> str:
        return self.serial

    def collect(self, progress: Progress = no_progress) -> Capture:
        self.deadline = time.monotonic() + self.limits.scan_s
        bounds = ReadBounds(self.deadline, self.limits.idle_s, self.limits.probe_bytes)
        adb = self._client(bounds)
        capture = Capture(device={"serial": self.serial, "transport": f"adb {self.address}"},
                          started=utc_now(), origin="live")
        progress("Reading settings, states and installed apps")
        plans = plan_shells(self.probes)
        self.round_trips += len(plans)
        with ThreadPoolExecutor(max_workers=max(1, len(plans))) as pool:
            results = list(pool.map(lambda batch: self._run_batch(adb, batch, bounds), plans))
        by_name = {output.name: output for outputs in results for output in outputs}
        for probe in self.probes:  # the capture lists probes in allow-list order
            capture.add(by_name[probe.name])
        # --- root follow-up (issue 6): only with --use-root and an su on the phone, read
        # the default SMS app's MMS preferences as one more batch (sources.root_followup).
        if self.use_root and not capture.transport_failures():
            followups = root_followup_probes(capture)
            if followups:
                progress("Reading the SMS app's MMS settings as root (accept the prompt on "
                         "the phone)")
                self.round_trips += 1
                for output in self._run_batch(adb, followups, bounds):
                    capture.add(output)
        # --- end of root follow-up
        capture.finished = utc_now()
        return capture

    def _run_batch(self, adb: adbutils.AdbClient, probes: Sequence[Probe],
                   bounds: ReadBounds) -> list[ProbeOutput]:
        """Run probes in one shell; one ProbeOutput per probe, errors marked."""
        token = new_token()
        started = time.monotonic()
        stream, failure = read_shell(adb, self.serial, build_script(probes, token), bounds)
        seconds = time.monotonic() - started
        frames = split_frames(stream, token, [p.name for p in probes])
        del stream  # frames hold their own copies: the stream's memory goes now
        outputs = []
        for probe in probes:
            frame = frames.get(probe.name)
            if frame is None:
                error = failure or "no output frame (the shell did not run this probe)"
                outputs.append(ProbeOutput(probe.name, probe.command, b"", None, seconds, error))
            elif frame.problem:
                outputs.append(ProbeOutput(probe.name, probe.command, frame.data, None,
                                           seconds, frame.problem))
            elif not frame.complete:
                error = f"output cut off: {failure or 'the connection ended early'}"
                outputs.append(ProbeOutput(probe.name, probe.command, frame.data, None, seconds,
                                           error))
            else:
                outputs.append(ProbeOutput(probe.name, probe.command, frame.data,
                                           frame.exit_code, seconds / max(len(probes), 1)))
        return outputs

    def run_alone(self, command: str, seconds: float) -> tuple[bytes, str]:
        """One command on its own plain `shell:` stream, never batched and never shell,v2
        (adbd gives `shell:` a PTY, so the command has a /dev/tty: `uiautomator dump
        /dev/tty` needs one); (bytes, failure reason or '')."""
        self.round_trips += 1
        bounds = ReadBounds(time.monotonic() + seconds, self.limits.idle_s,
                            self.limits.probe_bytes)
        data, failure = read_shell(self._client(bounds), self.serial, command, bounds)
        return bytes(data), failure

    def _client(self, bounds: ReadBounds) -> adbutils.AdbClient:
        """One AdbClient for everything this source reads (issue 15)."""
        if self._adb is None:
            self._adb = client(self.address, timeout=max(bounds.idle_s, 0.05))
        return self._adb


__all__ = ["AdbUnavailable", "Limits", "LiveSource"]
