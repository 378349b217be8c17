"""The bundled demo phone: a capture shipped in the package (top-level fixtures/)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

DEMO_CAPTURE = "demo-pixel7-a14"


@contextmanager
def demo_capture_dir() -> Iterator[Path]:
    """The demo capture as a real directory, however the package was installed."""
    with resources.as_file(resources.files("droidaudit.builtin_fixtures") / DEMO_CAPTURE) as path:
        yield Path(path)
