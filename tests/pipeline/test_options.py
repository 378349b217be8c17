"""Frozen options, rule set loaded apart and once per set of paths."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from droidaudit.pipeline.options import ScanOptions, load_ruleset
from droidaudit.rules.loader import RuleError


def test_options_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        ScanOptions().profile = "technician"  # type: ignore[misc]


def test_builtin_ruleset_is_read_once() -> None:
    first = load_ruleset(ScanOptions())
    assert first.rules and first.waivers == () and first.iocs is None
    assert load_ruleset(ScanOptions(profile="technician")) is first


def test_bad_rule_file_is_a_user_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[[rule]]\nid = 3\n", encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_ruleset(ScanOptions(rules_paths=(bad,)))
    assert caught.value.exit_code == 2
