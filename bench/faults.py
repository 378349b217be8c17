"""How long droidaudit takes to notice each fault of a phone, through a real adb server
to the virtual phone, with the scan limits a lab might use (--idle-timeout 2, --timeout 8).

    python bench/faults.py [--adb PATH]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from click.testing import CliRunner

from droidaudit.cli import main as cli
from droidaudit.sources.adb_server import adb_binary
from droidaudit.vphone.rig import AdbRig

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "demo-pixel7-a14"
CASES = {
    "healthy": ([], "device"),
    "latency:20": (["latency:20"], "device"),
    "drop-after:5000": (["drop-after:5000"], "device"),
    "hang-open": (["hang-open"], "device"),
    "unauthorized": (["unauthorized"], "unauthorized"),
    "hang": (["hang"], None),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--adb", default=adb_binary())
    args = parser.parse_args()
    print(f"adb server: {args.adb}")
    print(f"{'phone':<18} {'exit':>4} {'seconds':>8}  first line of the message")
    with AdbRig() as rig, tempfile.TemporaryDirectory() as out:
        rig.start_server(args.adb)
        for name, (faults, state) in CASES.items():
            serial = rig.add_phone(DEMO, faults=faults, wait_for=state, timeout=1 if state
                                   is None else 10)
            started = time.monotonic()
            result = CliRunner().invoke(cli, [
                "scan", "--adb", f"{rig.host}:{rig.port}", "--serial", serial, "--out", out,
                "--idle-timeout", "2", "--timeout", "8", "-q"])
            seconds = time.monotonic() - started
            message = next((line for line in result.output.splitlines()
                            if line.startswith("error")), result.output.splitlines()[-1:])
            print(f"{name:<18} {result.exit_code:>4} {seconds:8.2f}  {str(message)[:70]}")
            rig.remove_phone(serial)


if __name__ == "__main__":
    main()
