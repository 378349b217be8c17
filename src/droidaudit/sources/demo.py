"""The bundled demo phone: a capture shipped in the package (top-level fixtures/), read
offline or served by a virtual phone behind a private adb server (`demo --live`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from droidaudit.sources.adb_server import AdbAddress, AdbUnavailable, adb_binary

DEMO_CAPTURE = "demo-pixel7-a14"


@contextmanager
def demo_capture_dir() -> Iterator[Path]:
    """The demo capture as a real directory, however the package was installed."""
    with resources.as_file(resources.files("droidaudit.builtin_fixtures") / DEMO_CAPTURE) as path:
        yield Path(path)


@contextmanager
def serve_demo_phone(capture: Path) -> Iterator[tuple[AdbAddress, str]]:
    """A virtual phone serving `capture`, `adb connect`ed to a private adb server started on
    a free port; yields (server address, phone serial) and stops both afterwards."""
    from droidaudit.vphone.rig import AdbRig, AdbRigError

    binary = adb_binary()
    if binary is None:
        raise AdbUnavailable("No adb program found to start a private adb server.")
    try:
        with AdbRig() as rig:
            rig.start_server(binary)
            serial = rig.add_phone(capture)
            yield AdbAddress(rig.host, rig.port), serial
    except AdbRigError as exc:
        raise AdbUnavailable(f"Could not start the demo's adb server or phone: {exc}") from exc
