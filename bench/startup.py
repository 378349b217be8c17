"""Start-up cost of the CLI: median wall time of a few commands, each in a fresh process.

Run: python bench/startup.py [--runs N]. Prints one line per command (median seconds) and
the top imports by cumulative time for `--version` (python -X importtime).
Not a test: numbers depend on the machine; compare runs made on the same machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "fixtures" / "demo-pixel7-a14"


def _time(args: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "droidaudit", *args], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _top_imports(n: int = 6) -> list[str]:
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "droidaudit", "--version"],
                         capture_output=True, text=True, check=False).stderr
    rows = []
    for line in out.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    return [f"{us / 1000:7.1f} ms {name}" for us, name in sorted(rows)[-n:]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as out:
        commands = {
            "--version": ["--version"],
            "rules list": ["rules", "list"],
            "scan --capture (demo)": ["scan", "--capture", str(DEMO), "--out", out, "-q"],
        }
        for label, args in commands.items():
            print(f"{label:<24} {_time(args, runs):.3f} s (median of {runs})")
    print("largest imports under `--version` (cumulative):")
    for row in _top_imports():
        print("  " + row)


if __name__ == "__main__":
    main()
