"""Benchmark (issue 15): 20 phones at 20 ms per packet against one, and what the rig itself
costs on this host.

The virtual phones run on the same host as the scanner: each probe is a Python shim
process, so 20 phones are ~420 processes competing for this machine's cores. The floor
client (bench/contenders.py) reading the same 20 phones at once measures that rig cost;
droidaudit's fleet scan is compared with it.

    python bench/fleet20.py [--phones 20] [--latency-ms 20] [--runs 3] [--adb PATH]
                            [--before REF]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from before import compile_current, load_before
from contenders import floor_scan

from droidaudit.sources.adb_server import adb_binary
from droidaudit.vphone.rig import AdbRig

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "demo-pixel7-a14"


_RUN = ("import importlib, sys\n"
        "sys.path.insert(0, sys.argv[2]) if sys.argv[2] else None\n"
        "importlib.import_module(sys.argv[1] + '.cli').main(sys.argv[3:])\n")


def cli_scan(rig: AdbRig, out: str, *args: str, tree: tuple[str, str] = ("droidaudit", "")
             ) -> float:
    """Wall seconds of one `droidaudit scan` process (of `tree`: package name, sys.path)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", _RUN, *tree, "scan", "--adb",
                    f"{rig.host}:{rig.port}", "--out", out, "-q", *args],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def floor_all(rig: AdbRig, serials: list[str]) -> float:
    started = time.perf_counter()
    threads = [threading.Thread(target=floor_scan, args=(rig.host, rig.port, s))
               for s in serials]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def jobs_option(count: int) -> list[str]:
    """`--jobs N` where this droidaudit has it (the lab's fleet option)."""
    help_text = subprocess.run([sys.executable, "-m", "droidaudit", "scan", "--help"],
                               capture_output=True, text=True, check=False).stdout
    return ["--jobs", str(count)] if "--jobs" in help_text else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=20)
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--adb", default=adb_binary())
    parser.add_argument("--before", metavar="REF",
                        help="also time droidaudit as it was at this git ref (bench/before.py)")
    args = parser.parse_args()
    compile_current()
    old = load_before(args.before) if args.before else None
    before = ("droidaudit_before", str(Path(old.__file__ or "").parents[1])) if old else None
    faults = [f"latency:{args.latency_ms}"]
    with AdbRig() as rig, tempfile.TemporaryDirectory() as out:
        rig.start_server(args.adb)
        serials = [rig.add_phone(DEMO, faults=faults) for _ in range(args.phones)]
        jobs = jobs_option(args.phones)
        times: dict[str, list[float]] = {k: [] for k in ("one", "all", "floor1", "floorN",
                                                          "before1", "beforeN")}
        for _ in range(args.runs):  # interleaved
            times["one"].append(cli_scan(rig, out, "--serial", serials[0]))
            times["all"].append(cli_scan(rig, out, "--all", *jobs))
            if before:
                times["before1"].append(cli_scan(rig, out, "--serial", serials[0], tree=before))
                times["beforeN"].append(cli_scan(rig, out, "--all", tree=before))
            times["floor1"].append(floor_all(rig, serials[:1]))
            times["floorN"].append(floor_all(rig, serials))
        m = {k: statistics.median(v) for k, v in times.items() if v}
    n = args.phones
    print(f"{os.cpu_count()} cores; {n} virtual phones at {args.latency_ms} ms per packet; "
          f"medians of {args.runs}; adb {args.adb}")
    print(f"droidaudit scan, one phone:      {m['one']:6.2f} s")
    print(f"droidaudit scan --all, {n} phones: {m['all']:6.2f} s  ({m['all'] / m['one']:.2f}x one)")
    print(f"floor client, one phone:         {m['floor1']:6.2f} s")
    print(f"floor client, {n} phones at once: {m['floorN']:6.2f} s  "
          f"({m['floorN'] / m['floor1']:.2f}x one: the rig's own cost on this host)")
    print(f"fleet over floor ({n} phones):   {m['all'] / m['floorN']:6.2f}x")
    if before:
        print(f"{args.before}: one phone {m['before1']:.2f} s, {n} phones {m['beforeN']:.2f} s "
              f"({m['beforeN'] / m['before1']:.2f}x one, {m['beforeN'] / m['floorN']:.2f}x "
              "the floor)")


if __name__ == "__main__":
    main()
