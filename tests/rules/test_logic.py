"""Three-valued condition logic on its own (the engine's tests run it through whole rules)."""

from __future__ import annotations

from typing import Any

import pytest

from droidaudit.rules.logic import Context, evaluate_condition, join_reasons
from droidaudit.rules.model import AllOf, AnyOf, Leaf, Not
from droidaudit.rules.ops import EvalError
from tests.rules.helpers import TODAY, facts

KNOWN_TRUE = Leaf("os.sdk", "gte", 23)
KNOWN_FALSE = Leaf("os.sdk", "lt", 23)
UNKNOWN = Leaf("lock.secure", "eq", True)


def run(condition: Any, **params: Any) -> Any:
    ctx = Context(facts(os__sdk=34, lock__secure=None, os__security_patch="2024-06-01"),
                  params, TODAY)
    return evaluate_condition(condition, ctx), ctx


@pytest.mark.parametrize(("condition", "value"), [
    (AnyOf((UNKNOWN, KNOWN_TRUE)), True), (AnyOf((UNKNOWN, KNOWN_FALSE)), None),
    (AllOf((UNKNOWN, KNOWN_FALSE)), False), (AllOf((UNKNOWN, KNOWN_TRUE)), None),
    (Not(UNKNOWN), None), (Not(KNOWN_FALSE), True),
])
def test_three_valued(condition: Any, value: bool | None) -> None:
    assert run(condition)[0].value is value


def test_reasons_are_those_that_decided() -> None:
    result, ctx = run(AnyOf((UNKNOWN, KNOWN_TRUE)))
    assert join_reasons(result) == "os.sdk is 34, at least 23"
    assert set(ctx.consulted) == {"lock.secure", "os.sdk"}


def test_params_and_relative_dates() -> None:
    assert run(Leaf("os.sdk", "gte", "$min"), min=30)[0].value is True
    relative = Leaf("os.security_patch", "gte", {"days_before_scan": "$days"})
    assert run(relative, days=10)[0].value is False  # 2024-06-01 < 2024-06-21
    assert run(relative, days=60)[0].value is True
    with pytest.raises(EvalError, match="not defined"):
        run(Leaf("os.sdk", "gte", "$nope"))


def test_relative_date_needs_a_date_fact() -> None:
    with pytest.raises(EvalError, match="YYYY-MM-DD"):
        run(Leaf("os.sdk", "gte", {"days_before_scan": 1}))
