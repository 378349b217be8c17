"""The loader refuses what the engine could misread, with file:line messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from droidaudit.datafiles import builtin_rules_dir
from droidaudit.rules.loader import (
    RuleError,
    load_rules,
    rules_version,
)
from droidaudit.rules.model import Leaf
from tests.rules.helpers import one_check, rule_file


def error_of(tmp_path: Path, body: str) -> str:
    path = rule_file(tmp_path, body)
    with pytest.raises(RuleError) as caught:
        load_rules([path])
    message = str(caught.value)
    assert message.startswith(f"{path}:")
    return message.removeprefix(f"{path}:")


GOOD = one_check('{ fact = "os.sdk", op = "gte", value = 23 }')


def test_loads_a_rule_with_its_line(tmp_path: Path) -> None:
    [rule] = load_rules([rule_file(tmp_path, "\n\n" + GOOD)])
    assert rule.id == "TEST-001"
    assert rule.line == 4  # the [[rule]] header (two blank lines + dedent's first newline)
    assert rule.check == Leaf("os.sdk", "gte", 23)
    assert rule.profiles == ("personal", "technician", "enterprise", "at-risk")


def test_toml_syntax_error_has_line(tmp_path: Path) -> None:
    assert error_of(tmp_path, GOOD + "\nbroken = = 1\n").startswith("13: not valid TOML")


def test_unknown_key_has_its_line(tmp_path: Path) -> None:
    body = GOOD.replace('rationale = "r"', 'aplies = 1\n    rationale = "r"')
    assert error_of(tmp_path, body) == "8: TEST-001: unknown key 'aplies'"


def test_unknown_op(tmp_path: Path) -> None:
    message = error_of(tmp_path, one_check('{ fact = "os.sdk", op = "greater", value = 1 }'))
    assert message.startswith("7: TEST-001: check: unknown op 'greater'")


def test_bad_severity_and_profile(tmp_path: Path) -> None:
    assert "severity 'urgent'" in error_of(tmp_path, GOOD.replace('"high"', '"urgent"'))
    body = GOOD.replace('severity = "high"', 'severity = "high"\n    profiles = ["home"]')
    assert "unknown profile 'home'" in error_of(tmp_path, body)


def test_missing_check(tmp_path: Path) -> None:
    body = GOOD.replace('check = { fact = "os.sdk", op = "gte", value = 23 }', "")
    assert "missing required key 'check'" in error_of(tmp_path, body)


def test_undefined_param(tmp_path: Path) -> None:
    body = one_check('{ fact = "os.sdk", op = "lte", value = "$nope" }')
    assert "$nope is not defined" in error_of(tmp_path, body)


def test_param_override_without_default(tmp_path: Path) -> None:
    body = GOOD + "[rule.params.enterprise]\nmax = 3\n"
    assert "overrides no default" in error_of(tmp_path, body)


def test_condition_shape_errors(tmp_path: Path) -> None:
    cases = {
        '{ fact = "a", field = "b", op = "eq", value = 1 }': "exactly one of `fact` or `field`",
        '{ field = "b", op = "eq", value = 1 }': "only allowed in `each` rules",
        '{ fact = "a", op = "eq" }': "needs exactly one of `value` or `value_fact`",
        '{ fact = "a", op = "empty", value = 1 }': "takes no value",
        '{ fact = "a", op = "in", value = 1 }': "needs a list value",
        '{ fact = "a", op = "matches", value = "(" }': "bad regular expression",
        '{ all = [] }': "non-empty list",
        '{ any = [ { fact = "a", op = "exists" } ], fact = "b" }': "must be alone",
        '{ fact = "a", op = "eq", valeu = 1 }': "unknown condition key(s) valeu",
        '{ fact = "a", op = "lte", value = { days_before_scan = -1 } }': "whole number of days",
        '{ fact = "a", op = "eq", value = { days_before_scan = 1 } }': "with lt/lte/gt/gte",
    }
    for check, expected in cases.items():
        assert expected in error_of(tmp_path, one_check(check)), check


def test_sub_table_check_line(tmp_path: Path) -> None:
    body = GOOD.replace('check = { fact = "os.sdk", op = "gte", value = 23 }', "") + (
        '[rule.check]\nany = [\n  { fact = "a", op = "bogus", value = 1 },\n]\n')
    assert error_of(tmp_path, body).startswith("12: TEST-001: check: unknown op")  # header


def test_keys_after_sub_table_belong_to_it(tmp_path: Path) -> None:
    # The classic TOML trap: rationale written after [rule.check] lands inside the check.
    body = GOOD.replace('check = { fact = "os.sdk", op = "gte", value = 23 }',
                        '[rule.check]\nany = [ { fact = "a", op = "exists" } ]')
    assert "must be alone" in error_of(tmp_path, body)


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    first = rule_file(tmp_path, GOOD, "a.toml")
    second = rule_file(tmp_path, GOOD, "b.toml")
    with pytest.raises(RuleError, match=r"b\.toml:2: duplicate rule id TEST-001"):
        load_rules([first, second])


def test_unknown_top_level_key(tmp_path: Path) -> None:
    body = GOOD.replace("[[rule]]", "[[rules]]")
    assert "unknown top-level key 'rules'" in error_of(tmp_path, body)


def test_folder_skips_release_table(tmp_path: Path) -> None:
    rule_file(tmp_path, GOOD, "a.toml")
    (tmp_path / "data").mkdir()
    rule_file(tmp_path / "data", "as_of = 2024-01-01\n", "android_releases.toml")
    assert [r.id for r in load_rules([tmp_path])] == ["TEST-001"]


def test_builtin_dir_and_catalogue_load() -> None:
    assert (builtin_rules_dir() / "mms.toml").is_file()
    rules = load_rules()
    assert len(rules) >= 45
    assert rules_version(rules) == rules_version(list(reversed(rules)))
