"""Benchmark (issue 15): droidaudit's full scan of the sample phone against the naive
13-read scanner and the floor client (bench/contenders.py), through a real adb server to
the virtual phone at 0 and 20 ms per packet. Contenders are interleaved round by round
(the machine is shared: medians of one run, ratios within it).

    python bench/scan_vs_floor.py [--rounds 7] [--latency-ms 0 20] [--adb PATH]

"droidaudit" is the whole in-process scan (read, parse, rules, HTML + JSON written);
"collect" is only the reading part of it (LiveSource.collect).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from contenders import floor_scan, naive_scan

from droidaudit.pipeline.options import ScanOptions, load_ruleset
from droidaudit.pipeline.scan import scan_source
from droidaudit.sources.adb_server import AdbAddress, adb_binary
from droidaudit.sources.live import LiveSource
from droidaudit.vphone.rig import AdbRig

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "demo-pixel7-a14"


def contenders(rig: AdbRig, serial: str, out: Path) -> dict[str, Callable[[], object]]:
    address = AdbAddress(rig.host, rig.port)
    options = ScanOptions()
    ruleset = load_ruleset(options)
    return {
        "droidaudit": lambda: scan_source(LiveSource(address, serial), options, ruleset, out),
        "collect": lambda: LiveSource(address, serial).collect(),
        "naive": lambda: naive_scan(rig.host, rig.port, serial),
        "floor": lambda: floor_scan(rig.host, rig.port, serial),
    }


def measure(runs: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name in runs}
    for run in runs.values():  # one warm-up each (imports, first connections)
        run()
    for _ in range(rounds):
        for name, run in runs.items():
            started = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--latency-ms", type=int, nargs="+", default=[0, 20])
    parser.add_argument("--adb", default=adb_binary())
    args = parser.parse_args()
    print(f"adb server: {args.adb}; medians of {args.rounds} interleaved rounds")
    print(f"{'latency':>8} {'droidaudit':>11} {'collect':>8} {'naive':>7} {'floor':>7}"
          f" {'naive/ours':>11} {'ours/floor':>11}")
    with AdbRig() as rig, tempfile.TemporaryDirectory() as out:
        rig.start_server(args.adb)
        for latency in args.latency_ms:
            serial = rig.add_phone(DEMO, faults=[f"latency:{latency}"] if latency else [])
            m = measure(contenders(rig, serial, Path(out)), args.rounds)
            print(f"{latency:>6}ms {m['droidaudit']:>10.3f}s {m['collect']:>7.3f}s "
                  f"{m['naive']:>6.3f}s {m['floor']:>6.3f}s "
                  f"{m['naive'] / m['droidaudit']:>10.2f}x {m['droidaudit'] / m['floor']:>10.2f}x")
            rig.remove_phone(serial)


if __name__ == "__main__":
    main()
