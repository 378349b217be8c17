"""The `os.release_supported` fact, from the dated table `rules/data/android_releases.toml`.

Whether a release still gets security bulletins is knowledge about the world, not about the
phone, so it lives in a dated data file rather than in code. The fact is never guessed: an API
level the table does not list (newer than the table, or a broken table) is unknown with a note
saying why, and a table more than `stale_after_days` old says so in the note.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from droidaudit.datafiles import builtin_data_file
from droidaudit.facts.model import Fact

FACT = "os.release_supported"
RELEASES_FILE = "android_releases.toml"  # in rules/data/


@dataclass(frozen=True)
class ReleaseTable:
    as_of: date
    source: str
    stale_after_days: int
    releases: dict[int, tuple[str, bool]]  # sdk → (name, supported)


def load_release_table(path: Path | None = None) -> ReleaseTable:
    """Read the table; raises ValueError (with the reason) when it is unusable."""
    path = path or builtin_data_file(RELEASES_FILE)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"cannot read {path.name}: {exc}") from exc
    as_of = data.get("as_of")
    if not isinstance(as_of, date):
        raise ValueError(f"{path.name} has no `as_of` date")
    releases: dict[int, tuple[str, bool]] = {}
    for entry in data.get("release", []):
        sdk, name, supported = _entry(entry)
        releases[sdk] = (name, supported)
    return ReleaseTable(as_of, str(data.get("source", "")),
                        int(data.get("stale_after_days", 365)), releases)


def _entry(entry: Any) -> tuple[int, str, bool]:
    if not (isinstance(entry, dict) and isinstance(entry.get("sdk"), int)
            and isinstance(entry.get("supported"), bool)):
        raise ValueError(f"bad [[release]] entry {entry!r}: needs sdk (int) and supported (bool)")
    return entry["sdk"], str(entry.get("name", f"API {entry['sdk']}")), entry["supported"]


def release_supported_fact(sdk: int | None, today: date, table_path: Path | None = None) -> Fact:
    """os.release_supported for this API level, judged by the table (never guessed)."""
    source = f"rules/data/{RELEASES_FILE}"
    try:
        table = load_release_table(table_path)
    except ValueError as exc:
        return Fact(FACT, None, source, (), f"release table unusable: {exc}")
    age = (today - table.as_of).days
    stale = (f"; warning: the release table is {age} days old (as of "
             f"{table.as_of.isoformat()}), update {RELEASES_FILE}"
             if age > table.stale_after_days else "")
    if sdk is None or isinstance(sdk, bool):
        return Fact(FACT, None, source, (), "os.sdk is unknown" + stale)
    if sdk not in table.releases:
        newest = max(table.releases, default=0)
        why = ("newer than every release in the table" if sdk > newest
               else "not listed in the table")
        return Fact(FACT, None, source, (),
                    f"API level {sdk} is {why} (as of {table.as_of.isoformat()}){stale}")
    name, supported = table.releases[sdk]
    state = "still gets" if supported else "no longer gets"
    evidence = (f"{RELEASES_FILE}: sdk {sdk} = {name}, supported = "
                f"{'true' if supported else 'false'} (as of {table.as_of.isoformat()})",
                f"source: {table.source}")
    return Fact(FACT, supported, source, evidence,
                f"{name} {state} Android Security Bulletin fixes{stale}")
