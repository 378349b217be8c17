"""Text for people: values as a reader sees them, and `{placeholder}` filling in rule text.

Plain text substitution only: a value from the phone is pasted into a string and never
interpreted again (no str.format, no templates, no eval).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from droidaudit.facts import FactSet

# `{fact.name}`, `{fact.name|fallback}`, `{$param}`, `{item}` (lint checks the names).
PLACEHOLDER = re.compile(r"\{(\$?[A-Za-z_][A-Za-z0-9_.]*)(?:\|([^{}]*))?\}")


def show(value: Any) -> str:
    """A value as a reader sees it in a detail or evidence line (bounded length)."""
    if value is None:
        text = "unknown"
    elif value == "":
        text = '"" (empty)'
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, list | tuple):
        text = _show_list(value)
    elif isinstance(value, dict):
        text = json.dumps(value, sort_keys=True, default=str)
    else:
        text = str(value)
    return text if len(text) <= 300 else text[:297] + "..."


def _show_list(values: list[Any] | tuple[Any, ...]) -> str:
    """Stops once past the length `show` keeps: a whole app list is large to render."""
    if not values:
        return "[] (none)"
    parts: list[str] = []
    size = 0
    for value in values:
        parts.append(show(value))
        size += len(parts[-1]) + 2
        if size > 300:
            break
    return "[" + ", ".join(parts) + ("]" if len(parts) == len(values) else ", ...")


def placeholder_names(text: str) -> list[str]:
    return [match.group(1) for match in PLACEHOLDER.finditer(text)]


class Filler:
    """Fills `{fact.name}`, `{fact.name|fallback}`, `{$param}` and `{item}` in rule text.

    An unknown name is left as written, an unknown fact value becomes the fallback (or
    'unknown'). `strict` returns None instead when a fact is unknown and has no fallback, so
    a caller can use other text rather than print "unknown days old". `render` writes a
    fact's value (default `show`; headlines add units).
    """

    def __init__(self, facts: FactSet, params: Mapping[str, Any], item: str | None,
                 render: Callable[[str, Any], str] | None = None) -> None:
        self.facts, self.params, self.item = facts, params, item
        self.render = render
        self.missing = False

    def __call__(self, text: str) -> str:
        return PLACEHOLDER.sub(self._one, text) if "{" in text else text

    def strict(self, text: str) -> str | None:
        self.missing = False
        filled = self(text)
        return None if self.missing else filled

    def _one(self, match: re.Match[str]) -> str:
        name, fallback = match.group(1), match.group(2)
        if name.startswith("$"):
            value = self.params.get(name[1:])
            return show(value) if name[1:] in self.params else match.group(0)
        if name == "item":
            return self.item if self.item is not None else (fallback or "this item")
        fact = self.facts.get(name)
        if fact is None and fallback is None:
            self.missing = self.missing or "." in name
            return match.group(0)
        if fact is not None and fact.known and fact.value != "":
            return self.render(name, fact.value) if self.render else show(fact.value)
        self.missing = self.missing or fallback is None
        return fallback if fallback is not None else "unknown"
