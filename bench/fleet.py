"""Benchmark: `scan --all` over 1, 5 and 20 virtual phones behind one real adb server with
a per-packet latency (wall time, ratio against one phone, peak RSS of the droidaudit
process), and `watch` latency from a phone reaching state `device` to its first command.

The virtual phones run in this process and their shells on the same machine, so on a
small host they compete with the scanner for CPU: the ratio is an upper bound of what a
lab with real phones sees. Absolute times are for context only.

    python bench/fleet.py [--latency-ms 20] [--counts 1,5,20] [--jobs 8] [--adb PATH]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from adbutils import AdbError

from droidaudit.sources.adb_server import AdbAddress, adb_binary, parse_devices_l
from droidaudit.vphone.rig import AdbRig

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "demo-pixel7-a14"


def scan_all(rig: AdbRig, out: Path, jobs: int) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds, peak RSS (KiB) and exit code of one `scan --all`
    subprocess (the scanner alone: the phones run in this process)."""
    command = [sys.executable, "-m", "droidaudit", "scan", "--all", "--adb",
               f"{rig.host}:{rig.port}", "--out", str(out), "--jobs", str(jobs), "--no-db",
               "-q"]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return (time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss,
            process.returncode)


def fleet(args: argparse.Namespace, workdir: Path) -> None:
    print(f"scan --all, {args.latency_ms} ms per packet, --jobs {args.jobs}")
    print(f"{'phones':>6} {'wall s':>8} {'ratio':>6} {'scanner CPU s':>14} "
          f"{'phones CPU s':>13} {'peak RSS MiB':>13} {'exit':>5}")
    baseline = 0.0
    for count in args.counts:
        with AdbRig() as rig:
            rig.start_server(args.adb)
            for _ in range(count):
                rig.add_phone(DEMO, faults=[f"latency:{args.latency_ms}"])
            before = _cpu()
            seconds, cpu, rss, code = scan_all(rig, workdir / f"out-{count}", args.jobs)
            phones_cpu = _cpu() - before - cpu
        baseline = baseline or seconds
        print(f"{count:>6} {seconds:>8.2f} {seconds / baseline:>6.2f} {cpu:>14.2f} "
              f"{phones_cpu:>13.2f} {rss / 1024:>13.1f} {code:>5}")


def _cpu() -> float:
    """CPU seconds of this process (the phones, adb's shims' parent) and its reaped
    children (the phones' shell commands and the scanner)."""
    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                        resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def watch_latency(args: argparse.Namespace, workdir: Path, phones: int = 5) -> None:
    """From the adb server announcing `device` (seen on our own host:track-devices-l
    connection) to the phone receiving its first command."""
    delays = []
    with AdbRig() as rig:
        rig.start_server(args.adb)
        ready: dict[str, float] = {}
        threading.Thread(target=_follow, args=(rig, ready), daemon=True).start()
        watch = subprocess.Popen(
            [sys.executable, "-m", "droidaudit", "watch", "--adb", f"{rig.host}:{rig.port}",
             "--out", str(workdir / "watch"), "--no-db", "--format", "json"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(2)  # let it start following the server
            for _ in range(phones):
                serial = rig.add_phone(DEMO, faults=[f"latency:{args.latency_ms}"],
                                       wait_for=None)
                while not rig.phone(serial).command_log:
                    time.sleep(0.001)
                first_command = time.perf_counter()
                delays.append(first_command - ready[serial])
                time.sleep(1.5)  # let its scan end before the next phone
        finally:
            watch.send_signal(signal.SIGINT)
            watch.wait(timeout=60)
    print(f"watch: adb says device → first command, {phones} phones plugged in one by one: "
          f"median {statistics.median(delays) * 1000:.0f} ms, "
          f"max {max(delays) * 1000:.0f} ms")


def _follow(rig: AdbRig, ready: dict[str, float]) -> None:
    conn = rig.client(timeout=600).make_connection()
    conn.send_command("host:track-devices-l")
    conn.check_okay()
    address = AdbAddress(rig.host, rig.port)
    with contextlib.suppress(AdbError, OSError):  # the rig stopped
        while True:
            for entry in parse_devices_l(conn.read_string_block(), address):
                if entry.ready:
                    ready.setdefault(entry.serial, time.perf_counter())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument("--counts", default="1,5,20",
                        type=lambda text: [int(n) for n in text.split(",")])
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--adb", default=adb_binary())
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="droidaudit-bench-"))
    try:
        fleet(args, workdir)
        watch_latency(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
