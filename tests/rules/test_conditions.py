"""Condition tables → typed trees; what the engine could misread is refused."""

from __future__ import annotations

from typing import Any

import pytest

from droidaudit.rules.conditions import ConditionError, parse_condition
from droidaudit.rules.model import AllOf, AnyOf, Leaf, Not


def parse(raw: Any, *, in_item: bool = False, **params: Any) -> Any:
    return parse_condition(raw, in_item=in_item, params=params)


def test_leaf_and_combinators() -> None:
    leaf = {"fact": "os.sdk", "op": "gte", "value": 23}
    assert parse(leaf) == Leaf("os.sdk", "gte", 23)
    assert parse({"any": [leaf, {"not": leaf}]}) == AnyOf((Leaf("os.sdk", "gte", 23),
                                                          Not(Leaf("os.sdk", "gte", 23))))
    assert isinstance(parse({"all": [leaf]}), AllOf)
    assert parse({"field": "system", "op": "eq", "value": False}, in_item=True).from_item


@pytest.mark.parametrize(("raw", "message"), [
    ({"fact": "a", "op": "in", "value": "$choices"}, "needs a list value"),
    ({"fact": "a", "op": "lte", "value": "$missing"}, "$missing is not defined"),
    ({"fact": "a", "op": "lte", "value": True}, "needs a number or a date string"),
    ({"fact": "a", "op": "nope", "value": 1}, "unknown op 'nope'"),
    ({"fact": "a", "op": "exists", "value_fact": "b"}, "takes no value"),
    ({"fact": "a", "op": "eq", "value_fact": ""}, "must be a fact name"),
    ("a", "must be a table"),
])
def test_refused(raw: Any, message: str) -> None:
    with pytest.raises(ConditionError, match=message.replace("$", r"\$")):
        parse(raw, choices="not a list")


def test_params_resolve_for_the_kind_check() -> None:
    assert parse({"fact": "a", "op": "in", "value": "$choices"}, choices=[1]).value == "$choices"
    relative = {"fact": "a", "op": "gte", "value": {"days_before_scan": "$days"}}
    assert parse(relative, days=3).value == {"days_before_scan": "$days"}
