"""Which offline source reads a path: decided by content, never by file name."""

from __future__ import annotations

from pathlib import Path

from droidaudit.sources.base import Source, SourceError
from droidaudit.sources.capture_dir import CaptureSource


def open_offline_source(path: Path) -> Source:
    if path.is_dir() and CaptureSource.recognizes(path):
        return CaptureSource(path)
    raise SourceError(
        f"{path} is not something droidaudit can read: expected a droidaudit capture folder "
        "(with manifest.json), an AndroidQF acquisition (folder or zip) or an `adb bugreport` zip.")
