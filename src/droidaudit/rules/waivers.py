"""Waivers: a person's recorded decision to accept a finding, for a time.

File format (TOML):

    [[waiver]]
    rule = "PERM-010"            # a rule id, or a glob such as "DEBUG-*"
    device = "Pixel 7*"          # optional: serial or model glob; absent = every device
    item = "com.example.*"       # optional: for each= rules, which items (package glob)
    reason = "Approved by IT, ticket 1234"
    expires = 2025-06-30         # TOML date (or "YYYY-MM-DD"); required

A matching waiver turns fail / unknown / notchecked / informational into `waived`, and says
so in the detail. An expired waiver is never applied: the finding keeps its status and its
detail says the waiver expired. Errors never become waived (they are bugs to fix).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from droidaudit.rules.model import Finding
from droidaudit.rules.toml_lines import START, RuleError, read_toml, table_key_lines

WAIVABLE = ("fail", "unknown", "notchecked", "informational")
WAIVER_KEYS = frozenset(("rule", "device", "item", "reason", "expires"))


@dataclass(frozen=True)
class Waiver:
    rule: str
    reason: str
    expires: date
    device: str = ""  # serial or model glob; "" = any device
    item: str = ""  # item glob for each= rules; "" = any item
    source: str = ""  # file:line, for messages

    def expired(self, today: date) -> bool:
        return today > self.expires

    def matches(self, finding: Finding, device: Mapping[str, str]) -> bool:
        if not fnmatch.fnmatchcase(finding.rule.upper(), self.rule.upper()):
            return False
        if self.item and not fnmatch.fnmatchcase(finding.item or "", self.item):
            return False
        return not self.device or _device_matches(self.device, device)


def _device_matches(pattern: str, device: Mapping[str, str]) -> bool:
    serial = device.get("serial", "")
    model = device.get("model", "")
    return bool((serial and fnmatch.fnmatchcase(serial, pattern))
                or (model and fnmatch.fnmatch(model.lower(), pattern.lower())))


def apply_waivers(finding: Finding, waivers: Sequence[Waiver], device: Mapping[str, str],
                  today: date) -> Finding:
    """The finding, waived by the first live matching waiver (expired ones are only noted)."""
    if finding.status not in WAIVABLE:
        return finding
    notes: list[str] = []
    for waiver in waivers:
        if not waiver.matches(finding, device):
            continue
        if waiver.expired(today):
            notes.append(f"A waiver ({waiver.source}) expired on {waiver.expires.isoformat()} "
                         f"and was ignored: {waiver.reason}")
            continue
        note = (f"Waived until {waiver.expires.isoformat()} ({waiver.source}): {waiver.reason}. "
                f"Status without the waiver: {finding.status}.")
        return replace(finding, status="waived", detail=_add(finding.detail, [*notes, note]))
    return replace(finding, detail=_add(finding.detail, notes)) if notes else finding


def _add(detail: str, notes: list[str]) -> str:
    return " ".join([detail.rstrip(".") + "." if detail else "", *notes]).strip()


def load_waivers(path: Path) -> list[Waiver]:
    """Read a waiver file; raise RuleError(file:line: message) on anything malformed."""
    name = str(path)
    text, data = read_toml(path, "waiver file")
    unknown = sorted(set(data) - {"waiver"})
    if unknown:
        raise RuleError(name, 1, f"unknown top-level key(s) {', '.join(unknown)} "
                                 "(expected [[waiver]])")
    entries = data.get("waiver", [])
    if not isinstance(entries, list):
        raise RuleError(name, 1, "`waiver` must be an array of tables ([[waiver]])")
    lines = [block[START] for block in table_key_lines(text, "waiver")]
    return [_parse_waiver(entry, name, lines[i] if i < len(lines) else 1)
            for i, entry in enumerate(entries)]


def _parse_waiver(entry: Any, file: str, line: int) -> Waiver:
    if not isinstance(entry, dict):
        raise RuleError(file, line, "a [[waiver]] entry must be a table")
    unknown = sorted(set(entry) - WAIVER_KEYS)
    if unknown:
        raise RuleError(file, line, f"unknown waiver key(s) {', '.join(unknown)}")
    for key in ("rule", "reason", "expires"):
        if key not in entry:
            raise RuleError(file, line, f"waiver needs {key!r}")
    for key in ("rule", "reason", "device", "item"):
        if key in entry and not isinstance(entry[key], str):
            raise RuleError(file, line, f"waiver {key} must be a string")
    if not entry["reason"].strip():
        raise RuleError(file, line, "waiver reason must say why the risk is accepted")
    return Waiver(rule=entry["rule"], reason=entry["reason"].strip(),
                  expires=_expiry(entry["expires"], file, line),
                  device=entry.get("device", ""), item=entry.get("item", ""),
                  source=f"{Path(file).name}:{line}")


def _expiry(value: Any, file: str, line: int) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise RuleError(file, line, f"waiver expires must be a date (YYYY-MM-DD), not {value!r}")
