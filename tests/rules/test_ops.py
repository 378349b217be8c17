"""The operator registry: each op's evaluator and phrases (the engine's tests cover the rest)."""

from __future__ import annotations

import pytest

from droidaudit.rules.ops import OPS, EvalError, contains_hits, fill


def test_contains_keeps_bool_apart_from_numbers() -> None:
    assert contains_hits([True, 2], [1, 2]) == [2]
    assert contains_hits([1], [True]) == []
    assert contains_hits("abc", ["b", "z"]) == ["b"]


def test_contains_falls_back_to_pairwise_on_unhashable_values() -> None:
    assert contains_hits([{"a": 1}, [1]], [[1]]) == [[1]]


def test_in_uses_the_same_equality() -> None:
    assert OPS["in"].test(1, [True, 1], "x")
    assert not OPS["in"].test(True, [1], "x")
    assert OPS["not_in"].test("a", ["b"], "x")
    with pytest.raises(EvalError):
        OPS["in"].test("a", "a", "x")


@pytest.mark.parametrize(("op", "actual", "expected", "outcome"), [
    ("eq", 1, 1.0, True), ("ne", "a", "b", True), ("lt", 1, 2, True), ("lte", 2, 2, True),
    ("gt", "2024-02-01", "2024-01-01", True), ("gte", 1, 2, False),
    ("contains", ["a"], "a", True), ("not_contains", ["a"], ["b"], True),
    ("matches", "release-keys", "^rel", True), ("empty", [], None, True),
])
def test_evaluators(op: str, actual: object, expected: object, outcome: bool) -> None:
    assert OPS[op].test(actual, expected, "x") is outcome


def test_type_mismatch_is_an_error_not_an_answer() -> None:
    with pytest.raises(EvalError):
        OPS["eq"].test(True, 1, "x")
    with pytest.raises(EvalError):
        OPS["lt"].test("1", 2, "x")


def test_phrases() -> None:
    assert OPS["lte"].phrase(False, "n", 1800, 5) == "n is 1800, more than 5"
    assert OPS["contains"].phrase(True, "g", ["a", "b"], ["b", "c"]) == "g includes b"
    assert OPS["not_contains"].phrase(True, "g", ["a"], "b") == "g does not include b"
    assert OPS["not_contains"].phrase(True, "g", ["a"], ["b"]) == "g includes none of [b]"


def test_fill_never_reads_a_value_as_a_placeholder() -> None:
    assert fill("{n} is {a}", n="{a}", a="x") == "{a} is x"


def test_every_op_has_two_phrases_and_two_wants() -> None:
    for op in OPS.values():
        assert len(op.phrases) == 2 and len(op.wants) == 2 and op.meaning
