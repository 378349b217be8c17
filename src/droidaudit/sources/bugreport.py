"""An `adb bugreport` (zip, or the plain text of older releases) as a capture.

The main text (`bugreport-*.txt`; `main_entry.txt` names it on Android 7+) holds
`------ SYSTEM PROPERTIES (getprop) ------` and the DUMPSYS part with one
`DUMP OF SERVICE name:` section per service (frameworks/native/cmds/dumpstate).
"""

from __future__ import annotations

import re
from pathlib import Path

from droidaudit.capture import Capture, ProbeOutput
from droidaudit.sources.androidqf import utc_stamp
from droidaudit.sources.archive import Archive, read_file_capped
from droidaudit.sources.base import Progress, Source, SourceError, no_progress
from droidaudit.sources.dumpsys_sections import service_outputs, split_services
from droidaudit.timestamps import now_iso_utc

_PROPS = re.compile(rb"^------ SYSTEM PROPERTIES(?: \(getprop\))? ------\r?\n(.*?)^------ ",
                    re.M | re.S)
_PROPS_HEADER = re.compile(rb"^------ SYSTEM PROPERTIES(?: \(getprop\))? ------\r?$", re.M)
_DUMPSTATE = re.compile(rb"^== dumpstate: (\S+ \S+)", re.M)
_MARKERS = (b"== dumpstate:", b"DUMP OF SERVICE", b"------ SYSTEM PROPERTIES")


def looks_like_bugreport(head: bytes) -> bool:
    return sum(marker in head for marker in _MARKERS) >= 2 or head.startswith(b"========")


def main_entry(archive: Archive) -> str | None:
    pointer = archive.find("main_entry.txt")
    if pointer:
        named = archive.read(pointer).decode("utf-8", "replace").strip()
        if named in archive.names():
            return named
    texts = [n for n in archive.names() if re.search(r"(^|/)bugreport[^/]*\.txt$", n)]
    for name in texts:
        if looks_like_bugreport(archive.head(name)):
            return name
    return None


class BugreportSource(Source):
    def __init__(self, path: Path, archive: Archive | None = None) -> None:
        self.path = path
        self.archive = archive

    @property
    def label(self) -> str:
        return f"bugreport-{self.path.stem}"

    def _main_text(self) -> bytes:
        if self.archive is None:  # a plain text bugreport: the same cap as a zip member
            return read_file_capped(self.path)
        entry = main_entry(self.archive)
        if entry is None:
            raise SourceError(f"{self.path} has no bugreport-*.txt inside.")
        return self.archive.read(entry)

    def collect(self, progress: Progress = no_progress) -> Capture:
        progress(f"Reading bugreport {self.path}")
        text = self._main_text()
        capture = Capture(device={"serial": "", "transport": f"bugreport {self.path.name}"},
                          origin="bugreport")
        props = _PROPS.search(text)
        if props and len(_PROPS_HEADER.findall(text)) > 1:
            # A second header (inside a log line an app wrote, say) could be the one read.
            capture.add(ProbeOutput("getprop", "getprop (bugreport SYSTEM PROPERTIES)", b"", 0,
                                    error="tampered: the SYSTEM PROPERTIES header appears "
                                          "more than once, so neither copy is trusted"))
        elif props:
            capture.add(ProbeOutput("getprop", "getprop (bugreport SYSTEM PROPERTIES)",
                                    props.group(1), 0))
        progress("Splitting the bugreport into services")
        for output in service_outputs(split_services(text), "bugreport"):
            capture.add(output)
        stamp = _DUMPSTATE.search(text[:4096])
        if stamp:
            # Phone-local time with no zone in the header: read as UTC (off by the zone).
            capture.started = capture.finished = utc_stamp(stamp.group(1).decode() + "Z")
        # The header is the phone's clock: keep the import time too (pipeline.judging_time).
        capture.imported = now_iso_utc()
        if self.archive is not None:
            self.archive.close()
        return capture
