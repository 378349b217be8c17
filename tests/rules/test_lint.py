"""`rules lint` finds each kind of problem, with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from droidaudit.rules.lint import lint_rules
from tests.rules.helpers import one_check, rule_file

GOOD = one_check('{ fact = "os.sdk", op = "gte", value = 23 }').replace("TEST-001", "PATCH-001")


def problems(tmp_path: Path, body: str) -> list[str]:
    path = rule_file(tmp_path, body)
    found = lint_rules([path])
    assert all(p.file == str(path) and p.line >= 1 for p in found)
    return [f"{p.line}: {p.message}" for p in found]


def test_clean_rule_has_no_problem(tmp_path: Path) -> None:
    assert problems(tmp_path, GOOD) == []


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('rationale = "r"', 'rationale = "r"\n    colour = "red"',
     "9: PATCH-001: unknown key 'colour'"),
    ('"os.sdk"', '"os.sdkk"', "7: PATCH-001: unknown fact 'os.sdkk'"),
    ('"gte"', '"bigger"', "7: PATCH-001: check: unknown op 'bigger'"),
    ('rationale = "r"', 'rationale = ""', "8: PATCH-001: missing rationale"),
    ('remediation = "m"', "", "3: PATCH-001: missing remediation"),
    ('references = ["x"]', "references = []", "10: PATCH-001: missing references"),
    ('severity = "high"', 'severity = "severe"', "6: PATCH-001: severity 'severe' is not one"),
    ('area = "patch"', 'area = "camera"', "5: PATCH-001: unknown area 'camera'"),
    ('area = "patch"', 'area = "mms"', "3: PATCH-001: id should start with MMS-"),
    ('severity = "high"', 'severity = "high"\n    profiles = ["home"]',
     "7: PATCH-001: unknown profile 'home'"),
    ('value = 23', 'value = "23"', "7: PATCH-001: os.sdk is a number"),
    ('rationale = "r"', 'when_unknown = "notchecked"\n    rationale = "r"',
     "8: PATCH-001: when_unknown = 'notchecked' needs `manual`"),
    ('remediation = "m"', 'remediation = "see {os.nothing}"',
     "9: PATCH-001: placeholder {os.nothing} names no fact"),
    ('{ fact = "os.sdk", op = "gte", value = 23 }', '{ not = { fact = "os.sdk", op = "exists" } }',
     "7: PATCH-001: `not os.sdk exists` is true when the fact is unknown"),
])
def test_each_kind_of_problem(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in GOOD
    found = problems(tmp_path, GOOD.replace(old, new))
    assert any(p.startswith(expected) for p in found), found


def test_bool_fact_compared_with_number(tmp_path: Path) -> None:
    body = GOOD.replace('{ fact = "os.sdk", op = "gte", value = 23 }',
                        '{ fact = "adb.enabled", op = "eq", value = 0 }')
    assert any("adb.enabled is a bool" in p for p in problems(tmp_path, body))


def test_item_fields_are_checked_against_the_list(tmp_path: Path) -> None:
    body = GOOD.replace('check = { fact = "os.sdk", op = "gte", value = 23 }',
                        'each = "apps"\n    where = { field = "sytem", op = "eq", value = false }'
                        '\n    check = { field = "special", op = "contains", value = "admin" }')
    found = problems(tmp_path, body)
    assert any(p.startswith("8: PATCH-001: field 'sytem' is not a key") for p in found), found
    assert any("special access 'admin' is not one of" in p for p in found), found


def test_each_on_a_scalar_fact(tmp_path: Path) -> None:
    body = GOOD.replace('check = {', 'each = "os.sdk"\n    check = {')
    assert any("is a int, not a list of objects" in p for p in problems(tmp_path, body))


def test_duplicate_ids_and_bad_toml(tmp_path: Path) -> None:
    first = rule_file(tmp_path, GOOD, "a.toml")
    second = rule_file(tmp_path, GOOD, "b.toml")
    broken = rule_file(tmp_path, "[[rule]\n", "c.toml")
    found = [str(p) for p in lint_rules([first, second, broken])]
    assert f"{second}:2: duplicate rule id PATCH-001 (first at {first}:2)" in found
    assert any(p.startswith(f"{broken}:1: not valid TOML") for p in found)


def test_all_problems_in_one_file_are_reported(tmp_path: Path) -> None:
    body = GOOD.replace('"os.sdk"', '"os.x"') + GOOD.replace("PATCH-001", "PATCH-002").replace(
        'rationale = "r"', 'rationale = ""')
    found = problems(tmp_path, body)
    assert len(found) == 2 and "os.x" in found[0] and "PATCH-002: missing rationale" in found[1]
