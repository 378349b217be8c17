"""`python -m droidaudit.vphone CAPTURE_DIR --port P [--fault F]...`: serve a capture as a
virtual phone until interrupted, for demos, benchmarks and trying the scanner by hand.

It listens on 127.0.0.1 only and never changes anything: writes are refused and listed
on exit. Then `adb connect 127.0.0.1:P` (not a port in 5554-5585, which adb claims).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from droidaudit.vphone.faults import FAULT_HELP
from droidaudit.vphone.server import VirtualPhone


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m droidaudit.vphone", description=__doc__)
    parser.add_argument("capture", type=Path, help="capture directory (manifest.json, probes/)")
    parser.add_argument("--port", type=int, default=0, help="TCP port (default: any free one)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--fault", action="append", default=[], help=FAULT_HELP)
    parser.add_argument("--shell", choices=("mksh", "bash", "dash"),
                        help="shell to run commands with (default: the most Android-like)")
    args = parser.parse_args(argv)
    try:
        phone = VirtualPhone(args.capture, port=args.port, faults=args.fault, host=args.host,
                             shell=args.shell).start()
    except (ValueError, OSError) as exc:
        print(f"vphone: {exc}", file=sys.stderr)
        return 2
    print(f"virtual phone on {phone.serial} (shell: {phone.shell_name}); "
          f"adb connect {phone.serial}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        phone.stop()
    for command in phone.write_attempts:
        print(f"vphone: refused write: {command}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
