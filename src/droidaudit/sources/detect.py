"""Which offline source reads a path: decided by content, never by file name."""

from __future__ import annotations

from pathlib import Path

from droidaudit.sources.androidqf import AndroidQFSource, looks_like_androidqf
from droidaudit.sources.archive import Archive
from droidaudit.sources.base import Source, SourceError
from droidaudit.sources.bugreport import BugreportSource, looks_like_bugreport, main_entry
from droidaudit.sources.capture_dir import CaptureSource

_NOT_RECOGNISED = ("{path} is not something droidaudit can read: expected a droidaudit capture "
                   "folder (with manifest.json), an AndroidQF acquisition (folder or zip) or an "
                   "`adb bugreport` zip.")


def open_offline_source(path: Path) -> Source:
    if path.is_dir() and CaptureSource.recognizes(path):
        return CaptureSource(path)
    if path.is_file() and not _is_zip(path):
        with path.open("rb") as handle:
            if looks_like_bugreport(handle.read(64 * 1024)):
                return BugreportSource(path)
        raise SourceError(_NOT_RECOGNISED.format(path=path))
    archive = Archive(path)
    if looks_like_androidqf(archive):
        return AndroidQFSource(path, archive)
    if main_entry(archive) is not None:
        return BugreportSource(path, archive)
    archive.close()
    raise SourceError(_NOT_RECOGNISED.format(path=path))


def _is_zip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == b"PK\x03\x04"
