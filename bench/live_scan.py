"""Benchmark: a live scan through a real adb server to the virtual phone, against the naive
way (one `adb shell` per reading), and our chunked read of a big dump against adbutils'
own `shell()` (which grows a bytes object by `+=`).

Reports ratios measured in one run, on this machine; absolute times are for context only.

    python bench/live_scan.py [--latency-ms 20] [--big-mb 20] [--adb PATH]
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from pathlib import Path

from droidaudit.probes import PROBES
from droidaudit.sources.adb_server import AdbAddress, adb_binary
from droidaudit.sources.live import Limits, LiveSource
from droidaudit.vphone.rig import AdbRig

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "demo-pixel7-a14"


def timed(action: object) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()  # type: ignore[operator]
    return time.perf_counter() - started, result


def big_capture(workdir: Path, megabytes: int) -> Path:
    target = workdir / "big"
    shutil.copytree(DEMO, target)
    block = (DEMO / "probes" / "dumpsys_package.txt").read_bytes()
    rng = random.Random(1)
    parts, size = [], 0
    while size < megabytes * 1024 * 1024:
        chunk = block.replace(b"com.example", f"com.bench{rng.randrange(10**6)}".encode())
        parts.append(chunk)
        size += len(chunk)
    (target / "probes" / "dumpsys_package.txt").write_bytes(b"".join(parts))
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument("--big-mb", type=int, default=20)
    parser.add_argument("--adb", default=adb_binary())
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="droidaudit-bench-"))
    try:
        run(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run(args: argparse.Namespace, workdir: Path) -> None:
    with AdbRig() as rig:
        rig.start_server(args.adb)
        serial = rig.add_phone(DEMO, faults=[f"latency:{args.latency_ms}"])
        address = AdbAddress(rig.host, rig.port)
        source = LiveSource(address, serial, Limits(idle_s=60, scan_s=600))
        ours, capture = timed(source.collect)
        device = rig.device(serial)

        def naive() -> int:
            for probe in PROBES:
                device.shell(probe.command, timeout=60)
            return len(PROBES)

        theirs, count = timed(naive)
        print(f"adb server: {args.adb}; per-packet latency {args.latency_ms} ms")
        print(f"live scan, batched:   {ours:7.2f} s, {source.round_trips} shell round trips, "
              f"{len(capture.probes)} probes")  # type: ignore[attr-defined]
        print(f"one shell per probe:  {theirs:7.2f} s, {count} shell round trips")
        print(f"ratio (naive / ours): {theirs / ours:7.1f}x")

        big = rig.add_phone(big_capture(workdir, args.big_mb))
        dump = next(p for p in PROBES if p.name == "dumpsys_package")
        big_source = LiveSource(address, big, Limits(idle_s=60, scan_s=600), probes=[dump])
        chunked, big_capture_result = timed(big_source.collect)
        size = len(big_capture_result.probes["dumpsys_package"].data)  # type: ignore[attr-defined]
        quadratic, output = timed(lambda: rig.device(big).shell(dump.command, timeout=600,
                                                                  encoding=None))
        assert len(output) >= size - 64  # type: ignore[arg-type]
        print(f"{size / 2**20:.1f} MiB dumpsys package, chunked read: {chunked:7.2f} s")
        print(f"same through adbutils shell():      {quadratic:7.2f} s")
        print(f"ratio (adbutils shell / chunked):    {quadratic / chunked:7.1f}x")


if __name__ == "__main__":
    main()
