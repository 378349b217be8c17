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
FILE_TO_PROBE = {
    "getprop.txt": "getprop",
    "settings_global.txt": "settings_global",
    "settings_secure.txt": "settings_secure",
    "settings_system.txt": "settings_system",
    "packages.txt": "packages",
    "dumpsys/package.txt": "dumpsys_package",
    "dumpsys/device_policy.txt": "dumpsys_device_policy",
}


def corpus_profiles() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.iterdir() if p.is_dir())


def capture_from_profile(profile: Path) -> Capture:
    capture = Capture(device={"serial": profile.name}, origin="corpus",
                      started="2026-11-24T00:00:00Z", finished="2026-11-24T00:00:00Z")
    for relative, probe in FILE_TO_PROBE.items():
        path = profile / relative
        if path.is_file():
            capture.add(ProbeOutput(probe, f"(corpus file {relative})", path.read_bytes(), 0))
    return capture


def corpus_files(profile: Path) -> list[Path]:
    return sorted(p for p in profile.rglob("*.txt") if p.is_file())
