"""AndroidQF's own JSON files → the same readings the live package and su probes give.

packages.json: a list of {"name", "files": [{"path"}], "installer", "uid", "system",
"third_party", "disabled"} (mvt-project/androidqf adb/packages.go).
root_binaries.json: a list of `which -a <name>` outputs for su, magisk, busybox, ….
"""

from __future__ import annotations

import json
from typing import Any

from droidaudit.facts import Fact

PACKAGES_PROBE = "androidqf_packages"
ROOT_PROBE = "androidqf_root_binaries"
_ROOT_NAMES = {"su", "magisk", "magiskhide", "magiskinit", "magiskpolicy", "supersu",
               "Superuser.apk", "SuperSu.apk", "KingoUser.apk"}


def _load_list(text: str) -> list[Any] | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, list) else None


def parse_androidqf_packages(text: str) -> list[Fact]:
    entries = _load_list(text)
    if entries is None:
        return []
    packages, third_party = [], []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        files = entry.get("files") or []
        path = files[0].get("path") if files and isinstance(files[0], dict) else None
        uid = entry.get("uid")
        packages.append({"package": entry["name"], "path": path,
                         "installer": entry.get("installer") or None,
                         "uid": uid if isinstance(uid, int) and uid > 0 else None})
        if entry.get("third_party") is True:
            third_party.append(entry["name"])
    if not packages:
        return []
    return [Fact("_pm.packages", packages, PACKAGES_PROBE, (f"{len(packages)} packages",)),
            Fact("_pm.third_party", third_party, PACKAGES_PROBE,
                 (f"{len(third_party)} third-party packages",))]


def parse_androidqf_root_binaries(text: str) -> list[Fact]:
    entries = _load_list(text)
    if entries is None:
        return []
    paths: list[str] = []
    for entry in entries:
        for line in str(entry).splitlines():
            line = line.strip()
            if line.startswith("/") and line.rsplit("/", 1)[-1] in _ROOT_NAMES:
                paths.append(line)
    return [Fact("_root.su_paths", paths, ROOT_PROBE, tuple(paths))]
