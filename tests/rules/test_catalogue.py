"""The built-in rule catalogue: lints clean, matches the schema, never passes on nothing."""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from droidaudit.datafiles import builtin_rules_dir
from droidaudit.rules.engine import evaluate
from droidaudit.rules.lint import lint_rules
from droidaudit.rules.loader import load_rules
from droidaudit.rules.model import AREAS, OEM_KEYS, PROFILES
from tests.rules.helpers import TODAY, empty_factset

RULE_FILES = sorted(builtin_rules_dir().glob("*.toml"))


def test_catalogue_lints_clean() -> None:
    assert [str(p) for p in lint_rules()] == []


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_rule_file_validates_against_schema(path: Path) -> None:
    schema = json.loads((builtin_rules_dir() / "schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(tomllib.loads(path.read_text()), schema,
                        cls=jsonschema.Draft202012Validator)


def test_schema_rejects_a_bad_rule() -> None:
    schema = json.loads((builtin_rules_dir() / "schema.json").read_text())
    bad = {"rule": [{"id": "X-1", "title": "t", "area": "patch", "severity": "high",
                     "check": {"fact": "os.sdk", "op": "bigger", "value": 1},
                     "rationale": "r", "remediation": "m", "references": ["x"]}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema, cls=jsonschema.Draft202012Validator)


def test_every_area_has_at_least_three_rules() -> None:
    rules = load_rules()
    counts = Counter(r.area for r in rules)
    # MMS: one card for the SMS app's settings screen (MMS-002 and MMS-004 merged into
    # MMS-001) plus the SMS role check.
    assert all(counts[area] >= (2 if area == "mms" else 3) for area in AREAS), counts
    assert len(rules) >= 45


def test_every_rule_speaks_to_people() -> None:
    for rule in load_rules():
        assert len(rule.rationale) > 60, rule.id
        assert rule.remediation and rule.references, rule.id
        assert set(rule.remediation_oem) == set(OEM_KEYS), rule.id


@pytest.mark.parametrize("profile", PROFILES)
def test_no_rule_passes_on_an_empty_factset(profile: str) -> None:
    findings = evaluate(load_rules(), empty_factset(), profile=profile, today=TODAY)
    assert findings
    assert [f.rule for f in findings if f.status == "pass"] == []
    assert {f.status for f in findings} <= {"unknown", "notchecked", "notapplicable"}


def test_mms_auto_retrieve_is_checked_by_hand_with_exact_steps() -> None:
    rule = next(r for r in load_rules() if r.id == "MMS-001")
    assert rule.when_unknown == "notchecked"
    assert "{mms.default_sms_app" in rule.manual
    for app in ("Google Messages", "Samsung Messages", "AOSP Messaging", "MIUI", "legacy"):
        assert app in rule.manual
    for package in ("com.google.android.apps.messaging", "com.samsung.android.messaging",
                    "com.android.messaging", "com.android.mms"):
        assert package in rule.manual
