"""TOML files with positions: tomllib keeps no line numbers, so a refused rule or waiver file
could not say where it is wrong. This module reads a file and finds the lines of its
`[[table]]` headers and keys, and the line of a TOML syntax error.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from droidaudit.errors import UserError


class RuleError(UserError):
    """A rule (or waiver) file the tool refuses to use; str() is `file:line: message`."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")
        self.file, self.line, self.message = file, line, message


def read_toml(path: Path, what: str) -> tuple[str, dict[str, Any]]:
    """(text, data) of a TOML file; RuleError with the line of a syntax error."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(name, 0, f"cannot read {what}: {exc}") from exc
    try:
        return text, tomllib.loads(text)
    except RecursionError as exc:
        raise RuleError(name, 1, "TOML nested too deeply") from exc
    except tomllib.TOMLDecodeError as exc:
        line, message = toml_error_position(str(exc))
        raise RuleError(name, line, f"not valid TOML: {message}") from exc


def toml_error_position(message: str) -> tuple[int, str]:
    """tomllib's '... (at line N, column M)' → (N, the message without the position)."""
    match = re.search(r"\s*\(at line (\d+), column \d+\)", message)
    if match is None:
        return 1, message
    return int(match.group(1)), message[: match.start()] + message[match.end():]


def top_key_line(text: str, key: str) -> int:
    pattern = re.compile(rf"^\s*(\[+\s*)?{re.escape(key)}\b")
    for number, line in enumerate(text.splitlines(), 1):
        if pattern.match(line):
            return number
    return 1


_OTHER_TABLE = re.compile(r"^\s*\[")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")
START = "__start__"  # the key under which table_key_lines records the header's line


def table_key_lines(text: str, table: str) -> list[dict[str, int]]:
    """Where each `[[table]]` starts (key START) and where its keys are.

    Keys of sub-tables are recorded as `params`, `params.enterprise`, `check.any`...; lines
    inside multi-line strings are skipped so a rationale cannot fake a header.
    """
    header = re.compile(rf"^\s*\[\[\s*{re.escape(table)}\s*\]\]")
    subtable = re.compile(rf"^\s*\[\s*{re.escape(table)}\.([A-Za-z0-9_.\-]+)\s*\]")
    blocks: list[dict[str, int]] = []
    current: dict[str, int] | None = None
    prefix = ""
    in_string = False
    for number, line in enumerate(text.splitlines(), 1):
        quotes = line.count('"""') + line.count("'''")
        if in_string:
            in_string = quotes % 2 == 0
            continue
        if quotes % 2 == 1:
            in_string = True
        if header.match(line):
            current, prefix = {START: number}, ""
            blocks.append(current)
        elif (sub := subtable.match(line)) and current is not None:
            prefix = sub.group(1)
            for depth in range(1, prefix.count(".") + 2):
                current.setdefault(".".join(prefix.split(".")[:depth]), number)
            prefix += "."
        elif _OTHER_TABLE.match(line):
            current, prefix = None, ""
        elif (key := _KEY.match(line)) and current is not None:
            current.setdefault(prefix + key.group(1), number)
    return blocks
