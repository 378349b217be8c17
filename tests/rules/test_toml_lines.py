"""Line numbers for TOML files: headers, keys (also in sub-tables), syntax errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from droidaudit.rules.toml_lines import (
    START,
    RuleError,
    read_toml,
    table_key_lines,
    toml_error_position,
    top_key_line,
)

TEXT = '''# comment
[[rule]]
id = "A-1"
rationale = """
[[rule]]
"""
[rule.params]
x = 1
[rule.params.enterprise]
x = 2

[[rule]]
id = "A-2"
[other]
id = 3
'''


def test_table_key_lines() -> None:
    first, second = table_key_lines(TEXT, "rule")
    assert first == {START: 2, "id": 3, "rationale": 4, "params": 7, "params.x": 8,
                     "params.enterprise": 9, "params.enterprise.x": 10}
    assert second == {START: 12, "id": 13}
    assert [b[START] for b in table_key_lines(TEXT, "waiver")] == []


def test_top_key_line_and_error_position() -> None:
    assert top_key_line(TEXT, "other") == 14
    assert top_key_line(TEXT, "absent") == 1
    assert toml_error_position("Expected '=' (at line 3, column 7)") == (3, "Expected '='")
    assert toml_error_position("odd") == (1, "odd")


def test_read_toml(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text("a = 1\n")
    assert read_toml(good, "x") == ("a = 1\n", {"a": 1})
    bad = tmp_path / "bad.toml"
    bad.write_text("a = 1\nb =\n")
    with pytest.raises(RuleError, match=r"bad.toml:2: not valid TOML") as caught:
        read_toml(bad, "x")
    assert caught.value.line == 2
    with pytest.raises(RuleError, match="cannot read waiver file"):
        read_toml(tmp_path / "missing.toml", "waiver file")
