"""Start-up cost of the CLI: median wall and CPU time of a few commands, each in a fresh
process, optionally interleaved with another installed droidaudit (a "before" build).

Run: python bench/startup.py [--runs N] [--before PATH/TO/bin/droidaudit]
e.g. to compare with the tree before the layout work:
  git worktree add /tmp/before 4dc5aff && python3 -m venv /tmp/before-venv \
    && /tmp/before-venv/bin/pip install -q /tmp/before \
    && python bench/startup.py --before /tmp/before-venv/bin/droidaudit
Not a test: numbers depend on the machine; compare runs made in the same rounds.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "fixtures" / "demo-pixel7-a14"
COMMANDS = {
    "--version": ["--version"],
    "rules list": ["rules", "list"],
    "scan --capture (demo)": ["scan", "--capture", str(DEMO), "-q", "--out"],
}


def _run(argv: list[str], out: str) -> tuple[float, float]:
    """(wall, CPU) seconds of one process (its history database kept in `out`)."""
    env = {**os.environ, "DROIDAUDIT_DB": os.path.join(out, "history.sqlite")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--before", help="another droidaudit executable to time alongside")
    args = parser.parse_args()
    builds = {"this tree": [sys.executable, "-m", "droidaudit"]}
    if args.before:
        builds = {"before": [args.before], **builds}
    times: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for _ in range(args.runs):  # interleaved round by round: load hits every build alike
        for label, command in COMMANDS.items():
            for build, prefix in builds.items():
                with tempfile.TemporaryDirectory() as out:
                    argv = [*prefix, *command] + ([out] if command[-1] == "--out" else [])
                    times.setdefault((build, label), []).append(_run(argv, out))
    for label in COMMANDS:
        cells = []
        for build in builds:
            walls, cpus = zip(*times[(build, label)], strict=True)
            cells.append(f"{build}: {statistics.median(walls):.3f} s wall, "
                         f"{statistics.median(cpus):.3f} s CPU")
        print(f"{label:<24} " + " | ".join(cells))


if __name__ == "__main__":
    main()
