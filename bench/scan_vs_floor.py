"""Benchmark (issue 15): droidaudit's full scan of the sample phone against the naive
13-read scanner and the floor client (bench/contenders.py), through a real adb server to
the virtual phone at 0 and 20 ms per packet. Contenders are interleaved round by round
(the machine is shared: medians of one run, ratios within it).

    python bench/scan_vs_floor.py [--rounds 7] [--latency-ms 0 20] [--adb PATH]
                                  [--before cf59c99]

"droidaudit" is the whole in-process scan (read, parse, rules, HTML + JSON written);
"collect" is only the reading part of it (LiveSource.collect). With --before REF, the
full scan as droidaudit did it at REF runs in the same rounds (bench/before.py). The
floor client sends this tree's own scripts.
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from before import compile_current, load_before
from contenders import floor_scan, naive_scan

from droidaudit.pipeline.options import ScanOptions, load_ruleset
from droidaudit.pipeline.scan import scan_source
from droidaudit.sources.adb_server import AdbAddress, adb_binary
from droidaudit.sources.live import LiveSource
from droidaudit.vphone.rig import AdbRig

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "demo-pixel7-a14"


def contenders(rig: AdbRig, serial: str, out: Path,
               before: str | None) -> dict[str, Callable[[], object]]:
    address = AdbAddress(rig.host, rig.port)
    options = ScanOptions()
    ruleset = load_ruleset(options)
    runs: dict[str, Callable[[], object]] = {
        "droidaudit": lambda: scan_source(LiveSource(address, serial), options, ruleset, out),
        "collect": lambda: LiveSource(address, serial).collect(),
        "naive": lambda: naive_scan(rig.host, rig.port, serial),
        "floor": lambda: floor_scan(rig.host, rig.port, serial),
    }
    if before:
        runs["before"] = old_scan(before, rig, serial, out)
    return runs


def old_scan(ref: str, rig: AdbRig, serial: str, out: Path) -> Callable[[], object]:
    """The full scan as droidaudit did it at `ref` (bench/before.py), same phone."""
    load_before(ref)
    live = importlib.import_module("droidaudit_before.sources.live")
    server = importlib.import_module("droidaudit_before.sources.adb_server")
    pipeline = importlib.import_module("droidaudit_before.pipeline.scan")
    options_module = importlib.import_module("droidaudit_before.pipeline.options")
    options = options_module.ScanOptions()
    ruleset = options_module.load_ruleset(options)
    address = server.AdbAddress(rig.host, rig.port)
    return lambda: pipeline.scan_source(live.LiveSource(address, serial), options, ruleset, out)


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
    parser.add_argument("--before", metavar="REF",
                        help="also run droidaudit as it was at this git ref (e.g. cf59c99)")
    args = parser.parse_args()
    compile_current()
    print(f"adb server: {args.adb}; medians of {args.rounds} interleaved rounds")
    print(f"{'latency':>8} {'droidaudit':>11} {'collect':>8} {'naive':>7} {'floor':>7}"
          f" {'naive/ours':>11} {'ours/floor':>11}" + ("  before (naive/before, before/floor)"
                                                    if args.before else ""))
    with AdbRig() as rig, tempfile.TemporaryDirectory() as out:
        rig.start_server(args.adb)
        for latency in args.latency_ms:
            serial = rig.add_phone(DEMO, faults=[f"latency:{latency}"] if latency else [])
            m = measure(contenders(rig, serial, Path(out), args.before), args.rounds)
            line = (f"{latency:>6}ms {m['droidaudit']:>10.3f}s {m['collect']:>7.3f}s "
                    f"{m['naive']:>6.3f}s {m['floor']:>6.3f}s "
                    f"{m['naive'] / m['droidaudit']:>10.2f}x "
                    f"{m['droidaudit'] / m['floor']:>10.2f}x")
            if "before" in m:
                line += (f"  {m['before']:.3f}s ({m['naive'] / m['before']:.2f}x, "
                         f"{m['before'] / m['floor']:.2f}x)")
            print(line)
            rig.remove_phone(serial)


if __name__ == "__main__":
    main()
