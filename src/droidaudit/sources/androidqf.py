"""An AndroidQF acquisition (mvt-project/androidqf), folder or zip, as a capture.

AndroidQF saves raw command outputs (`getprop.txt`, `settings_<ns>.txt`, `selinux.txt` =
getenforce, `dumpsys.txt` = full dumpsys) and JSON of its own (`packages.json`,
`root_binaries.json`). Raw outputs map onto our probe names byte for byte; the JSON files
become probes of their own, read by their own parsers.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

from droidaudit.capture import Capture, ProbeOutput
from droidaudit.decode import decode
from droidaudit.sources.archive import Archive
from droidaudit.sources.base import Progress, Source, SourceError, no_progress
from droidaudit.sources.dumpsys_sections import service_outputs, split_services
from droidaudit.timestamps import iso_utc

# AndroidQF file → (our probe name, the command AndroidQF ran)
DIRECT_FILES = {
    "getprop.txt": ("getprop", "getprop"),
    "settings_global.txt": ("settings_global", "settings list global"),
    "settings_secure.txt": ("settings_secure", "settings list secure"),
    "settings_system.txt": ("settings_system", "settings list system"),
    "selinux.txt": ("getenforce", "getenforce"),
    "packages.json": ("androidqf_packages", "AndroidQF packages.json (pm list packages -U -u -i)"),
    "root_binaries.json": ("androidqf_root_binaries", "AndroidQF root_binaries.json (which -a)"),
}


def looks_like_androidqf(archive: Archive) -> bool:
    if archive.find("acquisition.json"):
        return True
    return bool(archive.find("getprop.txt")) and any(
        archive.find(name) for name in ("dumpsys.txt", "packages.json", "settings_secure.txt"))


class AndroidQFSource(Source):
    def __init__(self, path: Path, archive: Archive | None = None) -> None:
        self.path = path
        self.archive = archive or Archive(path)

    @property
    def label(self) -> str:
        return f"androidqf-{self.path.stem}"

    def collect(self, progress: Progress = no_progress) -> Capture:
        progress(f"Reading AndroidQF acquisition {self.path}")
        if any(n.endswith(".age") for n in self.archive.names()) and not looks_like_androidqf(
                self.archive):
            raise SourceError(f"{self.path} is encrypted (age); decrypt it first: "
                              "age --decrypt -i key.txt -o acquisition.zip FILE.age")
        capture = Capture(device={"serial": "", "transport": f"androidqf {self.path.name}"},
                          origin="androidqf")
        for filename, (probe, command) in DIRECT_FILES.items():
            member = self.archive.find(filename)
            if member:
                capture.add(ProbeOutput(probe, command, self.archive.read(member), 0))
        dumpsys = self.archive.find("dumpsys.txt")
        if dumpsys:
            progress("Splitting dumpsys.txt into services")
            services = split_services(_as_utf8(self.archive.read(dumpsys)))
            for output in service_outputs(services, "AndroidQF dumpsys.txt"):
                capture.add(output)
        capture.started = capture.finished = _acquisition_time(self.archive)
        self.archive.close()
        return capture


def _as_utf8(data: bytes) -> bytes:
    """dumpsys.txt saved by a Windows tool can be UTF-16: split it as UTF-8 text."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return decode(data).encode("utf-8")
    return data


def _acquisition_time(archive: Archive) -> str:
    member = archive.find("acquisition.json")
    if not member:
        return ""
    try:
        meta = json.loads(decode(archive.read(member)))
    except ValueError:
        return ""
    stamp = (meta.get("completed") or meta.get("started")) if isinstance(meta, dict) else None
    return utc_stamp(str(stamp)) if stamp else ""


_RFC3339 = re.compile(r"^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?")


def utc_stamp(text: str) -> str:
    """An RFC 3339 time (Go writes nanoseconds) → `YYYY-MM-DDTHH:MM:SSZ`, or '' if unreadable."""
    match = _RFC3339.match(text)
    if not match:
        return ""
    zone = match.group(2) or "Z"
    try:
        when = datetime.fromisoformat(match.group(1) + ("+00:00" if zone == "Z" else zone))
    except ValueError:
        return ""
    return iso_utc(when)
