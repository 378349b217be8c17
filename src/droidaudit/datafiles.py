"""Where the built-in data lives once installed: rule files, data tables, demo fixtures.

`rules/` (top level in the repository) ships as the package `droidaudit.builtin_rules`:
rule files at its top, data tables that are not rules (the Android release table, label
tables) under `rules/data/`. Reads nothing itself.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path


def builtin_rules_dir() -> Path:
    """The folder of the built-in rule files."""
    return Path(str(importlib.resources.files("droidaudit.builtin_rules")))


def builtin_data_file(name: str) -> Path:
    """A built-in data table (`rules/data/<name>`)."""
    return builtin_rules_dir() / "data" / name
