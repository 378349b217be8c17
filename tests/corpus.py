"""The shared corpus of real phones' outputs (../shared/corpus, or DROIDAUDIT_CORPUS).

Files are read exactly as published (encodings and line endings included) and mapped to
the probe names whose command printed them; they are never edited or copied here.
"""

from __future__ import annotations

import os
from pathlib import Path

from droidaudit.capture import Capture, ProbeOutput

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("DROIDAUDIT_CORPUS", REPO.parent / "shared" / "corpus"))

# corpus file (relative to a profile) → probe name; `settings_mixed_namespace.txt` is
# deliberately absent: its keys come from several namespaces, so it answers no probe.
# `dumpsys appops` (appops.txt, appops.standalone.txt) has no probe: the special-access
# readings come from `cmd appops query-op`, whose output a full dump does not reproduce.
FILE_TO_PROBE = {
    "getprop.txt": "getprop",
    "settings_global.txt": "settings_global",
    "settings_secure.txt": "settings_secure",
    "settings_system.txt": "settings_system",
    "packages.txt": "packages",
    "dumpsys/package.txt": "dumpsys_package",
    "dumpsys/device_policy.txt": "dumpsys_device_policy",
    "dumpsys/accessibility.txt": "dumpsys_accessibility",
}

# Second captures of a probe already mapped above: each is read in place of the first
# one, and the profile's expectations must hold for it too.
ALTERNATE_FILES = {
    "dumpsys/device_policy.capture2.txt": "dumpsys_device_policy",
    "dumpsys/package.standalone.txt": "dumpsys_package",
}


def corpus_profiles() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.iterdir() if p.is_dir())


def capture_from_profile(profile: Path, alternate: str | None = None) -> Capture:
    """The profile's files as a capture; `alternate` (a key of ALTERNATE_FILES) replaces
    the file its probe would otherwise be read from."""
    capture = Capture(device={"serial": profile.name}, origin="corpus",
                      started="2026-11-24T00:00:00Z", finished="2026-11-24T00:00:00Z")
    files = dict(FILE_TO_PROBE)
    if alternate is not None:
        probe = ALTERNATE_FILES[alternate]
        files = {f: p for f, p in files.items() if p != probe} | {alternate: probe}
    for relative, probe in files.items():
        path = profile / relative
        if path.is_file():
            capture.add(ProbeOutput(probe, f"(corpus file {relative})", path.read_bytes(), 0))
    return capture


def alternates(profile: Path) -> list[str]:
    return [name for name in ALTERNATE_FILES if (profile / name).is_file()]


def corpus_files(profile: Path) -> list[Path]:
    return sorted(p for p in profile.rglob("*.txt") if p.is_file())
