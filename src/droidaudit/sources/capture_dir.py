"""A capture directory this tool wrote (manifest.json + probes/*.txt), read back byte for byte."""

from __future__ import annotations

from pathlib import Path

from droidaudit.capture import Capture, CaptureError
from droidaudit.sources.base import Progress, Source, SourceError, no_progress


class CaptureSource(Source):
    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def label(self) -> str:
        return self.path.resolve().name

    def collect(self, progress: Progress = no_progress) -> Capture:
        progress(f"Reading capture {self.path}")
        try:
            return Capture.load(self.path)
        except CaptureError as exc:
            raise SourceError(str(exc)) from exc

    @staticmethod
    def recognizes(path: Path) -> bool:
        return (path / "manifest.json").is_file()
