"""Loads indicators of compromise from a file the person gives (`--iocs FILE`): known spyware and
stalkerware package names, as STIX 2 bundles the Mobile Verification Toolkit (MVT) reads.

An `indicator` object whose `pattern` holds `[app:id = 'com.example.spy']` (possibly several,
joined with OR) names a package; the indicator's name, or the name of the `malware` object
it `indicates`, labels it. Other pattern kinds (domains, hashes) are ignored: this scanner
sees packages, not traffic. No indicator file ships with droidaudit (sources: README.md).
Reads one local file (bounded size); never talks to a phone or the network.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from droidaudit.errors import UserError

MAX_BYTES = 64 * 1024 * 1024
_APP_ID = re.compile(r"app:id\s*=\s*'((?:[^'\\]|\\.)*)'")


class IocError(UserError):
    """The indicator file cannot be used; the message is for a person."""


@dataclass(frozen=True)
class IocSet:
    source: str  # file name, for evidence lines
    apps: dict[str, str] = field(default_factory=dict)  # package → label


def load_iocs(path: Path) -> IocSet:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise IocError(f"{path}: larger than {MAX_BYTES // (1024 * 1024)} MB")
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise IocError(f"{path}: cannot read: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise IocError(f"{path}: not JSON (a STIX 2 bundle is expected): {exc}") from exc
    except RecursionError as exc:
        raise IocError(f"{path}: JSON nested too deeply to be a STIX 2 bundle") from exc
    objects = data.get("objects") if isinstance(data, dict) else None
    if not isinstance(objects, list):
        raise IocError(f"{path}: not a STIX 2 bundle (no \"objects\" list)")
    return IocSet(path.name, _app_indicators(objects))


def _app_indicators(objects: list[Any]) -> dict[str, str]:
    # Ids are strings in STIX; anything else (a list, an object) cannot key a lookup.
    by_id = {str(o.get("id")) if isinstance(o.get("id"), str | int) else f"#{n}": o
             for n, o in enumerate(objects) if isinstance(o, dict)}
    malware_of: dict[str, str] = {}
    for rel in by_id.values():
        if rel.get("type") == "relationship" and rel.get("relationship_type") == "indicates":
            ref = rel.get("target_ref")
            target = by_id.get(ref) if isinstance(ref, str) else None
            if target is not None and isinstance(target.get("name"), str):
                malware_of[str(rel.get("source_ref"))] = target["name"]
    apps: dict[str, str] = {}
    for obj in by_id.values():
        pattern = obj.get("pattern")
        if obj.get("type") != "indicator" or not isinstance(pattern, str):
            continue
        label = malware_of.get(str(obj.get("id"))) or str(obj.get("name") or obj.get("id"))
        for raw in _APP_ID.findall(pattern):
            package = raw.replace("\\'", "'").replace("\\\\", "\\").strip()
            if package:
                apps.setdefault(package, label)
    return apps
