"""`rules/schema.json` is generated from the operator registry and the rule vocabularies."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from droidaudit.rules.conditions import LEAF_KEYS
from droidaudit.rules.loader import RULE_KEYS
from droidaudit.rules.ops import OPS
from droidaudit.rules.schema import build_schema, render_schema

COMMITTED = Path(__file__).parents[2] / "rules" / "schema.json"


def test_committed_schema_is_the_generated_one() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == render_schema(), (
        "rules/schema.json is stale: python -m droidaudit.rules.schema > rules/schema.json")


def test_schema_is_valid_and_lists_every_operator() -> None:
    schema = build_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$defs"]["leaf"]["properties"]["op"]["enum"] == list(OPS)


def _valid(leaf: dict[str, object]) -> bool:
    rule = {"id": "PATCH-001", "title": "t", "area": "patch", "severity": "high",
            "check": leaf, "rationale": "r", "remediation": "m", "references": ["x"]}
    return jsonschema.Draft202012Validator(build_schema()).is_valid({"rule": [rule]})


def test_value_kinds_come_from_the_registry() -> None:
    assert _valid({"fact": "a", "op": "in", "value": [1, 2]})
    assert not _valid({"fact": "a", "op": "in", "value": 1})
    assert not _valid({"fact": "a", "op": "empty", "value": 1})
    assert _valid({"fact": "a", "op": "lte", "value": {"days_before_scan": 3}})
    assert not _valid({"fact": "a", "op": "eq", "value": {"days_before_scan": 3}})


def test_readme_documents_every_operator() -> None:
    readme = (COMMITTED.parent / "README.md").read_text(encoding="utf-8")
    for name in OPS:
        assert f"`{name}`" in readme, name
    assert json.loads(render_schema()) == build_schema()


def test_schema_and_loader_know_the_same_keys() -> None:
    defs = build_schema()["$defs"]
    assert set(defs["rule"]["properties"]) == set(RULE_KEYS)
    assert set(defs["leaf"]["properties"]) == set(LEAF_KEYS)
