"""Reading imported acquisitions (folders or zips) safely.

Zip members are read by name into memory, never extracted, so a member called
`../../etc/passwd` can do no harm; sizes are bounded so a zip bomb cannot fill memory.
"""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path, PurePosixPath

from droidaudit.sources.base import SourceError

MAX_MEMBER_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024


def read_file_capped(path: Path, limit: int = MAX_MEMBER_BYTES) -> bytes:
    """A regular file's bytes, never more than `limit` (a 3 GB text file is refused before
    it is read, not after it filled memory), never through a symlink."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror or exc}") from exc
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise SourceError(f"{path} is not a regular file.")
        if info.st_size > limit:
            raise SourceError(f"{path} is {info.st_size // 2**20} MiB; the limit for one "
                              f"file is {limit // 2**20} MiB.")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise SourceError(f"{path} is larger than the limit for one file "
                          f"({limit // 2**20} MiB).")
    return data


class Archive:
    """A folder or a zip, seen as a set of relative POSIX paths → bytes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self._names: dict[str, str] = {}  # normalized relative path → member/file name
        if path.is_dir():
            for file in path.rglob("*"):
                if file.is_file() and not file.is_symlink():
                    self._names[file.relative_to(path).as_posix()] = str(file)
        else:
            self._open_zip(path)

    def _open_zip(self, path: Path) -> None:
        try:
            self._zip = zipfile.ZipFile(path)
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise SourceError(f"{path} is not a readable zip file ({exc}).") from exc
        total = 0
        for info in infos:
            if info.is_dir():
                continue
            parts = PurePosixPath(info.filename.replace("\\", "/")).parts
            if not parts or ".." in parts or parts[0] in ("/", ""):
                continue  # a path trying to leave the archive: ignored, never read
            total += info.file_size
            self._names["/".join(parts)] = info.filename
        if total > MAX_TOTAL_BYTES:
            raise SourceError(f"{path} would unpack to {total // 2**20} MiB; the limit is "
                              f"{MAX_TOTAL_BYTES // 2**20} MiB.")

    def names(self) -> list[str]:
        return sorted(self._names)

    def find(self, basename: str) -> str | None:
        """The shallowest member whose file name is `basename` (acquisitions are often
        zipped inside a folder of their own)."""
        matches = [n for n in self._names if PurePosixPath(n).name == basename]
        return min(matches, key=lambda n: (n.count("/"), n)) if matches else None

    def read(self, name: str) -> bytes:
        real = self._names[name]
        if self._zip is None:
            data = read_file_capped(Path(real), MAX_MEMBER_BYTES)
        else:
            info = self._zip.getinfo(real)
            if info.file_size > MAX_MEMBER_BYTES:
                raise SourceError(f"{name} in {self.path} is too large to import.")
            try:
                with self._zip.open(info) as member:
                    data = member.read(MAX_MEMBER_BYTES + 1)
            except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as exc:
                raise SourceError(f"{name} in {self.path} is corrupt: {exc}") from exc
        if len(data) > MAX_MEMBER_BYTES:
            raise SourceError(f"{name} in {self.path} is too large to import.")
        return data

    def head(self, name: str, size: int = 64 * 1024) -> bytes:
        """The first bytes of a member, to recognise it by content."""
        if self._zip is None:
            with open(self._names[name], "rb") as handle:
                return handle.read(size)
        try:
            with self._zip.open(self._names[name]) as member:
                return member.read(size)
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as exc:
            raise SourceError(f"{name} in {self.path} is corrupt: {exc}") from exc

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
