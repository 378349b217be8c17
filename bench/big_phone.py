"""Benchmark (issue 15): a generated 400-app phone (~20 MB `dumpsys package`, AOSP format,
bench/phones.py).

1. Parse: `parse_dumpsys_package` at 5/10/20/40 MB (100/200/400/800 apps), best of 3,
   in CPU ns per byte: linear when the four figures agree.
2. Full scan: `droidaudit scan` in a fresh process against a virtual phone (0 ms) behind a
   real adb server: wall time, host CPU (user + sys of that process, start-up included)
   and peak RSS, medians of N; RSS per dump byte over the sample phone's own peak.

    python bench/big_phone.py [--runs 3] [--sizes 5 10 20 40] [--adb PATH] [--before REF]

With --before REF, droidaudit as it was at REF (bench/before.py) is measured in the same
run, interleaved.
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from before import compile_current, load_before
from phones import DEMO, dumpsys_package, make_phone

from droidaudit.decode import decode
from droidaudit.sources.adb_server import adb_binary
from droidaudit.vphone.rig import AdbRig


def parse_ns_per_byte(megabytes: float, package: str = "droidaudit") -> tuple[float, float]:
    """(MiB, CPU ns per byte) of `package`'s dumpsys package parser, best of 3."""
    parse = importlib.import_module(f"{package}.parsers.dumpsys_package").parse_dumpsys_package
    data = dumpsys_package(int(400 * megabytes / 20), megabytes)
    text = decode(data)
    best = min(_timed(lambda: parse(text)) for _ in range(3))
    return len(data) / 2**20, best * 1e9 / len(data)


def _timed(action: object) -> float:
    """CPU seconds of this process: steadier than wall time on a shared machine."""
    started = time.process_time()
    action()  # type: ignore[operator]
    return time.process_time() - started


# The scan runs as a grandchild (sh, then python): Linux carries a process's peak RSS
# across fork and exec, so a direct child of this (big) process would report ours.
_REPORT_USAGE = (
    "import importlib, resource, sys\n"
    "package, path = sys.argv[1], sys.argv[2]\n"
    "sys.path.insert(0, path) if path else None\n"
    "main = importlib.import_module(package + '.cli').main\n"
    "try:\n    main(sys.argv[3:])\n"
    "except SystemExit:\n    pass\n"
    "u = resource.getrusage(resource.RUSAGE_SELF)\n"
    "print(u.ru_utime + u.ru_stime, u.ru_maxrss, file=sys.stderr)\n")


def scan_process(rig: AdbRig, serial: str, out: str,
                 package: tuple[str, str]) -> tuple[float, float, float]:
    """(wall s, host CPU s, peak RSS MiB) of one `droidaudit scan` process."""
    started = time.perf_counter()
    result = subprocess.run(
        ["sh", "-c", 'p=$0 c=$1; shift; "$p" -c "$c" "$@"; :', sys.executable,
         _REPORT_USAGE, *package, "scan", "--adb", f"{rig.host}:{rig.port}",
         "--serial", serial, "--out", out, "-q"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
    wall = time.perf_counter() - started
    cpu, rss_kib = result.stderr.split()[-2:]
    return wall, float(cpu), int(rss_kib) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", type=float, nargs="+", default=[5, 10, 20, 40])
    parser.add_argument("--adb", default=adb_binary())
    parser.add_argument("--before", metavar="REF",
                        help="also measure droidaudit as it was at this git ref")
    args = parser.parse_args()
    compile_current()
    trees = {"now": ("droidaudit", "")}
    if args.before:
        old = load_before(args.before)
        trees[args.before] = ("droidaudit_before", str(Path(old.__file__ or "").parents[1]))
    print("parse_dumpsys_package, CPU ns per byte (best of 3):")
    for megabytes in args.sizes:
        cells = [parse_ns_per_byte(megabytes, package) for package, _ in trees.values()]
        print(f"  {cells[0][0]:6.1f} MiB  " + "  ".join(
            f"{name}: {ns:5.1f}" for name, (_, ns) in zip(trees, cells, strict=True)))
    with AdbRig() as rig, tempfile.TemporaryDirectory() as work:
        rig.start_server(args.adb)
        big = make_phone(Path(work) / "phone400", apps=400, megabytes=20)
        dump_bytes = (big / "probes" / "dumpsys_package.txt").stat().st_size
        phones = {"sample": rig.add_phone(DEMO), "400 apps": rig.add_phone(big)}
        runs: dict[tuple[str, str], list[tuple[float, float, float]]] = {
            (tree, name): [] for tree in trees for name in phones}
        for _ in range(args.runs):  # interleaved
            for tree, name in runs:
                runs[tree, name].append(scan_process(rig, phones[name], work + "/out",
                                                     trees[tree]))
    medians = {key: [statistics.median(r[i] for r in rows) for i in range(3)]
               for key, rows in runs.items()}
    print(f"full scan in a fresh process, 0 ms, medians of {args.runs} (adb {args.adb}):")
    for (tree, name), (wall, cpu, rss) in medians.items():
        print(f"  {tree:<8} {name:<9} wall {wall:5.2f} s  host CPU {cpu:5.2f} s  "
              f"peak RSS {rss:6.1f} MiB")
    for tree in trees:
        extra = (medians[tree, "400 apps"][2] - medians[tree, "sample"][2]) * 2**20
        print(f"  {tree}: {extra / dump_bytes:.2f} B of RSS per byte of the "
              f"{dump_bytes / 2**20:.1f} MiB dump above the sample phone's peak; budget "
              f"2 B/B + 40 MiB = {(2 * dump_bytes + 40 * 2**20) / 2**20:.0f} MiB, peak "
              f"{medians[tree, '400 apps'][2]:.0f} MiB")


if __name__ == "__main__":
    main()
