"""The capture: raw probe outputs plus a manifest (DESIGN §3), the seam between sources
and everything after them. A live scan writes one; every other source yields one.

Probe bytes are kept exactly as the phone sent them, so a capture can be re-evaluated
later with new parsers and rules and give the same findings.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from droidaudit import __version__
from droidaudit.decode import decode
from droidaudit.errors import UserError

CAPTURE_FORMAT = "droidaudit-capture/1"
_SAFE_NAME = re.compile(r"^[a-z0-9_]+$")
# Exit codes that mean the shell never ran the command to an answer.
_SHELL_FAILURES = {
    124: "timed out on the phone",
    126: "command not executable on this phone",
    127: "command not available on this phone",
}


XML_PROBE_PREFIX = "ui_mms_"  # parsers.ui_mms records (`probes/ui_mms_screen.xml`)


class CaptureError(UserError):
    """A capture directory cannot be read (user input error)."""


@dataclass
class ProbeOutput:
    name: str
    command: str
    data: bytes = b""
    exit_code: int | None = None
    seconds: float = 0.0
    error: str = ""  # why the output is missing or cannot be trusted (truncated, timed out)

    @property
    def problem(self) -> str:
        """Why this output cannot be read as the command's answer, or ''."""
        if self.error:
            return self.error
        if self.exit_code in _SHELL_FAILURES:
            return _SHELL_FAILURES[self.exit_code]
        return ""

    @property
    def usable(self) -> bool:
        return not self.problem

    def text(self) -> str:
        return decode(self.data)


@dataclass
class Capture:
    device: dict[str, str] = field(default_factory=dict)  # serial, transport, label
    probes: dict[str, ProbeOutput] = field(default_factory=dict)
    started: str = ""
    finished: str = ""
    origin: str = "live"  # live, capture, androidqf, bugreport
    tool_version: str = __version__
    # When a capture whose time is the phone's own clock (a bugreport) was read here.
    imported: str = ""

    def add(self, output: ProbeOutput) -> None:
        self.probes[output.name] = output

    def text(self, name: str) -> str | None:
        """Decoded output of a probe, or None when absent or unusable."""
        output = self.probes.get(name)
        if output is None or not output.usable:
            return None
        return output.text()

    def why_missing(self, name: str) -> str:
        output = self.probes.get(name)
        if output is None:
            return f"probe {name} was not captured"
        if output.problem:
            return f"probe {name}: {output.problem}"
        return ""

    def transport_failures(self) -> list[str]:
        """Probes that could not be read to the end (not: commands that failed on the phone)."""
        return [f"{name}: {p.error}" for name, p in sorted(self.probes.items()) if p.error]

    # -- on disk --------------------------------------------------------------

    def manifest(self) -> dict[str, Any]:
        return {
            "format": CAPTURE_FORMAT,
            "tool_version": self.tool_version,
            "origin": self.origin,
            "started": self.started,
            "finished": self.finished,
            "device": self.device,
            "probes": {
                name: {
                    "command": p.command,
                    "exit_code": p.exit_code,
                    "file": f"probes/{probe_file(name)}",
                    "bytes": len(p.data),
                    "seconds": round(p.seconds, 3),
                    "error": p.error,
                }
                for name, p in sorted(self.probes.items())
            },
        }

    def save(self, directory: Path) -> None:
        """Write manifest.json and probes/*.txt (*.xml), private to the user (0700/0600)."""
        probes_dir = directory / "probes"
        if probes_dir.is_symlink():
            raise CaptureError(f"{probes_dir} is a symbolic link: refused")
        make_private_dirs(probes_dir)
        os.chmod(directory, 0o700)
        os.chmod(probes_dir, 0o700)
        for name, output in self.probes.items():
            write_private(probes_dir / probe_file(name), output.data)
        write_private(directory / "manifest.json",
                      json.dumps(self.manifest(), indent=2).encode() + b"\n")

    @classmethod
    def load(cls, directory: Path) -> Capture:
        """Read a capture folder back. It may come from someone else: a symlinked
        manifest, `probes/` or probe file is refused (it could point at a key or a token
        on this machine), every file is read with a size cap, and every manifest field
        must have its type, else a plain CaptureError naming it."""
        manifest_path = directory / "manifest.json"
        try:
            manifest = json.loads(_read_capped(manifest_path, MANIFEST_MAX_BYTES))
        except FileNotFoundError as exc:
            raise CaptureError(f"{directory} has no manifest.json: not a droidaudit "
                               "capture") from exc
        except (OSError, ValueError, RecursionError) as exc:
            raise CaptureError(f"cannot read {manifest_path}: {_why(exc)}") from exc
        if not isinstance(manifest, dict) or manifest.get("format") != CAPTURE_FORMAT:
            raise CaptureError(f"{manifest_path} is not a {CAPTURE_FORMAT} manifest")
        device = _field(manifest, "device", dict, manifest_path)
        probes = _field(manifest, "probes", dict, manifest_path)
        capture = cls(
            device={str(k): str(v) for k, v in device.items()},
            started=str(manifest.get("started") or ""),
            finished=str(manifest.get("finished") or ""),
            origin=str(manifest.get("origin") or "capture"),
            tool_version=str(manifest.get("tool_version") or ""),
        )
        probes_dir = directory / "probes"
        if probes_dir.is_symlink():
            raise CaptureError(f"{probes_dir} is a symbolic link: refused (a capture's "
                               "probes must be files inside it)")
        for name, entry in probes.items():
            if not _SAFE_NAME.match(name) or not isinstance(entry, dict):
                raise CaptureError(f"{manifest_path}: bad probe entry {name!r}")
            capture.add(_load_probe(name, entry, probes_dir, manifest_path))
        return capture


def probe_file(name: str) -> str:
    """A probe's file name: XML records of a screen reading keep their extension."""
    return f"{name}.xml" if name.startswith(XML_PROBE_PREFIX) else f"{name}.txt"


MANIFEST_MAX_BYTES = 16 * 1024 * 1024
PROBE_MAX_BYTES = 512 * 1024 * 1024  # the same cap as a zip member (sources.archive)


def _why(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)


def _field(manifest: dict[str, Any], key: str, kind: type, path: Path) -> Any:
    value = manifest.get(key)
    if value is None:
        return kind()
    if not isinstance(value, kind):
        wanted = "object" if kind is dict else kind.__name__
        raise CaptureError(f"{path}: `{key}` must be a JSON {wanted}, "
                           f"not {type(value).__name__}")
    return value


def _read_capped(path: Path, limit: int) -> bytes:
    """A regular file's bytes (no symlink, at most `limit`): raises OSError/CaptureError."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise CaptureError(f"{path} is not a regular file")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise CaptureError(f"{path} is larger than {limit // 2**20} MiB: refused")
    return data


def _load_probe(name: str, entry: dict[str, Any], probes_dir: Path,
                manifest_path: Path) -> ProbeOutput:
    path = probes_dir / probe_file(name)
    error = str(entry.get("error") or "")
    data = b""
    if path.is_symlink():
        raise CaptureError(f"{path} is a symbolic link: refused (a capture's probes must be "
                           "files inside it)")
    try:
        data = _read_capped(path, PROBE_MAX_BYTES)
    except FileNotFoundError:
        error = error or "output file missing from the capture folder"
    except OSError as exc:
        raise CaptureError(f"cannot read {path}: {_why(exc)}") from exc
    exit_code = entry.get("exit_code")
    seconds = entry.get("seconds")
    return ProbeOutput(
        name=name,
        command=str(entry.get("command") or ""),
        data=data,
        exit_code=exit_code if isinstance(exit_code, int) and not isinstance(exit_code, bool)
        else None,
        seconds=float(seconds) if isinstance(seconds, int | float)
        and not isinstance(seconds, bool) else 0.0,
        error=error,
    )


def write_private(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only (captures and reports hold personal data).

    Never through what already stands at `path`: the bytes go to a fresh temp file in the
    same folder (O_CREAT|O_EXCL|O_NOFOLLOW, 0600), renamed into place. A planted
    `report.html -> ~/.ssh/authorized_keys` is replaced as a link; its target is untouched."""
    for _ in range(100):
        temp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            break
        except FileExistsError:
            continue
    else:  # pragma: no cover - 100 random names taken
        raise FileExistsError(f"cannot create a temporary file beside {path}")
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def make_private_dirs(folder: Path) -> None:
    """`mkdir -p` where every folder created is 0700, whatever the umask (parents too)."""
    missing: list[Path] = []
    for candidate in (folder, *folder.parents):
        if candidate.exists() or candidate.is_symlink():
            break
        missing.append(candidate)
    for created in reversed(missing):
        try:
            created.mkdir(mode=0o700)
        except FileExistsError:
            continue  # made meanwhile by a parallel scan
        os.chmod(created, 0o700)
    if not folder.is_dir():
        raise NotADirectoryError(20, "not a folder", str(folder))
