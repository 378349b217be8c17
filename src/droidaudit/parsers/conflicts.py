"""Refuse contradiction: a key (a setting, a property, a field of a block, a dumpsys
section) given two different values in one output is a conflict, never first-wins or
last-wins.

Why: a value a phone prints can hold a line break (an app's `versionName`, a setting an
app may write, a user's name), and the text after it reads as lines of their own. A forged
`enabled_accessibility_services=` or `flags=[ SYSTEM ]` line then stands beside the real
one. Real output never prints one key twice with different values, so whichever copy a
parser kept, it could be the forged one: the facts the key feeds are unknown, with a note
that names the key and both values. The same value twice is no contradiction and reads
as that value (some OEM dumps repeat a line).

This is the one mechanism for every parser; layout variation (a key in another place, a
different spelling) is accepted elsewhere, contradiction here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_SHOWN = 60  # characters of each conflicting value quoted in a note


@dataclass
class KeyedValues:
    """Values by key, first line kept for evidence; a key given different values is a
    conflict and has no value."""

    values: dict[str, str] = field(default_factory=dict)
    lines: dict[str, str] = field(default_factory=dict)
    conflicts: dict[str, list[str]] = field(default_factory=dict)

    def put(self, key: str, value: str, line: str = "") -> None:
        seen = self.conflicts.get(key)
        if seen is not None:
            if value not in seen:
                seen.append(value)
            return
        if key not in self.values:
            self.values[key] = value
            self.lines[key] = line or f"{key}={value}"
        elif self.values[key] != value:
            self.conflicts[key] = [self.values.pop(key), value]
            self.lines.pop(key, None)

    def get(self, key: str, default: str | None = None) -> str | None:
        """The key's one value, or `default` when absent or in conflict."""
        return self.values.get(key, default)

    def __getitem__(self, key: str) -> str:
        return self.values[key]

    def __contains__(self, key: object) -> bool:
        return key in self.values

    def __bool__(self) -> bool:
        return bool(self.values or self.conflicts)

    def conflict_note(self, key: str, where: str = "") -> str:
        """Why `key` has no value, when it is in conflict; else ''."""
        seen = self.conflicts.get(key)
        return conflict_note(key, seen, where) if seen else ""


def conflict_note(key: str, values: list[str], where: str = "") -> str:
    shown = ", ".join(repr(v[:_SHOWN] + ("…" if len(v) > _SHOWN else "")) for v in values[:3])
    place = f" in {where}" if where else ""
    return (f"{key} appears {len(values)} times{place} with different values ({shown}): "
            "a value holding a line break can forge a line, so neither is trusted")
