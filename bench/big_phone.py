"""Benchmark (issue 15): a generated 400-app phone (~20 MB `dumpsys package`, AOSP format,
bench/phones.py).

1. Parse: `parse_dumpsys_package` at 5/10/20/40 MB (100/200/400/800 apps), best of 3,
   in CPU ns per byte: linear when the four figures agree.
2. Full scan: `droidaudit scan` in a fresh process against a virtual phone (0 ms) behind a
   real adb server: wall time, host CPU (user + sys of that process, start-up included)
   and peak RSS, medians of N; RSS per dump byte over the sample phone's own peak.

    python bench/big_phone.py [--runs 3] [--sizes 5 10 20 40] [--adb PATH]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from phones import DEMO, dumpsys_package, make_phone

from droidaudit.decode import decode
from droidaudit.parsers.dumpsys_package import parse_dumpsys_package
from droidaudit.sources.adb_server import adb_binary
from droidaudit.vphone.rig import AdbRig


def parse_ns_per_byte(megabytes: float) -> tuple[float, float]:
    data = dumpsys_package(int(400 * megabytes / 20), megabytes)
    text = decode(data)
    best = min(_timed(lambda: parse_dumpsys_package(text)) for _ in range(3))
    return len(data) / 2**20, best * 1e9 / len(data)


def _timed(action: object) -> float:
    """CPU seconds of this process: steadier than wall time on a shared machine."""
    started = time.process_time()
    action()  # type: ignore[operator]
    return time.process_time() - started


# The scan runs as a grandchild (sh, then python): Linux carries a process's peak RSS
# across fork and exec, so a direct child of this (big) process would report ours.
_REPORT_USAGE = (
    "import resource, sys\n"
    "from droidaudit.cli import main\n"
    "try:\n    main(sys.argv[1:])\n"
    "except SystemExit:\n    pass\n"
    "u = resource.getrusage(resource.RUSAGE_SELF)\n"
    "print(u.ru_utime + u.ru_stime, u.ru_maxrss, file=sys.stderr)\n")


def scan_process(rig: AdbRig, serial: str, out: str) -> tuple[float, float, float]:
    """(wall s, host CPU s, peak RSS MiB) of one `droidaudit scan` process."""
    started = time.perf_counter()
    result = subprocess.run(
        ["sh", "-c", 'p=$0 c=$1; shift; "$p" -c "$c" "$@"; :', sys.executable,
         _REPORT_USAGE, "scan", "--adb", f"{rig.host}:{rig.port}", "--serial", serial,
         "--out", out, "-q"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
    wall = time.perf_counter() - started
    cpu, rss_kib = result.stderr.split()[-2:]
    return wall, float(cpu), int(rss_kib) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", type=float, nargs="+", default=[5, 10, 20, 40])
    parser.add_argument("--adb", default=adb_binary())
    args = parser.parse_args()
    print("parse_dumpsys_package (best of 3):")
    for megabytes in args.sizes:
        size, ns = parse_ns_per_byte(megabytes)
        print(f"  {size:6.1f} MiB  {ns:6.1f} ns/B")
    with AdbRig() as rig, tempfile.TemporaryDirectory() as work:
        rig.start_server(args.adb)
        big = make_phone(Path(work) / "phone400", apps=400, megabytes=20)
        dump_bytes = (big / "probes" / "dumpsys_package.txt").stat().st_size
        phones = {"sample": rig.add_phone(DEMO), "400 apps": rig.add_phone(big)}
        runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in phones}
        for _ in range(args.runs):  # interleaved
            for name, serial in phones.items():
                runs[name].append(scan_process(rig, serial, work + "/out"))
        medians = {name: [statistics.median(r[i] for r in rows) for i in range(3)]
                   for name, rows in runs.items()}
        print(f"full scan in a fresh process, 0 ms, medians of {args.runs} (adb {args.adb}):")
        for name, (wall, cpu, rss) in medians.items():
            print(f"  {name:<9} wall {wall:5.2f} s  host CPU {cpu:5.2f} s  peak RSS {rss:6.1f} MiB")
        extra = (medians["400 apps"][2] - medians["sample"][2]) * 2**20
        total = medians["400 apps"][2] * 2**20
        print(f"  dump {dump_bytes / 2**20:.1f} MiB: {extra / dump_bytes:.2f} B of RSS per dump "
              f"byte above the sample phone; budget 2 B/B + 40 MiB = "
              f"{(2 * dump_bytes + 40 * 2**20) / 2**20:.0f} MiB, peak {total / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
