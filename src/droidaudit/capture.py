"""The capture: raw probe outputs plus a manifest (DESIGN §3), the seam between sources
and everything after them. A live scan writes one; every other source yields one.

Probe bytes are kept exactly as the phone sent them, so a capture can be re-evaluated
later with new parsers and rules and give the same findings.
"""

from __future__ import annotations

import json
import os
import re
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
        probes_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(directory, 0o700)
        os.chmod(probes_dir, 0o700)
        for name, output in self.probes.items():
            write_private(probes_dir / probe_file(name), output.data)
        write_private(directory / "manifest.json",
                      json.dumps(self.manifest(), indent=2).encode() + b"\n")

    @classmethod
    def load(cls, directory: Path) -> Capture:
        manifest_path = directory / "manifest.json"
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise CaptureError(f"{directory} has no manifest.json: not a droidaudit "
                               "capture") from exc
        except (OSError, ValueError) as exc:
            raise CaptureError(f"cannot read {manifest_path}: {exc}") from exc
        if not isinstance(manifest, dict) or manifest.get("format") != CAPTURE_FORMAT:
            raise CaptureError(f"{manifest_path} is not a {CAPTURE_FORMAT} manifest")
        capture = cls(
            device={k: str(v) for k, v in (manifest.get("device") or {}).items()},
            started=str(manifest.get("started", "")),
            finished=str(manifest.get("finished", "")),
            origin=str(manifest.get("origin", "capture")),
            tool_version=str(manifest.get("tool_version", "")),
        )
        for name, entry in (manifest.get("probes") or {}).items():
            if not _SAFE_NAME.match(name) or not isinstance(entry, dict):
                raise CaptureError(f"{manifest_path}: bad probe entry {name!r}")
            path = directory / "probes" / probe_file(name)
            data = path.read_bytes() if path.is_file() else b""
            error = str(entry.get("error") or "")
            if not path.is_file() and not error:
                error = "output file missing from capture"
            exit_code = entry.get("exit_code")
            capture.add(ProbeOutput(
                name=name,
                command=str(entry.get("command", "")),
                data=data,
                exit_code=exit_code if isinstance(exit_code, int) else None,
                seconds=float(entry.get("seconds") or 0.0),
                error=error,
            ))
        return capture


def probe_file(name: str) -> str:
    """A probe's file name: XML records of a screen reading keep their extension."""
    return f"{name}.xml" if name.startswith(XML_PROBE_PREFIX) else f"{name}.txt"


def write_private(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only: captures and reports hold personal data."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o600)
