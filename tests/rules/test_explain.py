"""`rules explain`, one-line conditions, and the rules' version digest."""

from __future__ import annotations

from dataclasses import replace

from droidaudit.rules.explain import describe, explain_rule, rules_version
from droidaudit.rules.loader import load_rules
from droidaudit.rules.model import AllOf, AnyOf, Leaf, Not

RULES = {rule.id: rule for rule in load_rules()}


def test_describe_reads_as_one_line() -> None:
    leaf = Leaf("os.sdk", "gte", 23)
    assert describe(None) == "always"
    assert describe(leaf) == "os.sdk gte 23"
    assert describe(Leaf("root.indicators", "empty")) == "root.indicators empty"
    assert describe(Leaf("package", "eq", None, True, "mms.default_sms_app")) == \
        "item.package eq mms.default_sms_app"
    assert describe(AnyOf((leaf, Not(leaf)))) == "(os.sdk gte 23 or not (os.sdk gte 23))"
    assert describe(AllOf((leaf, leaf))) == "(os.sdk gte 23 and os.sdk gte 23)"


def test_explain_names_parameters_and_profiles() -> None:
    text = explain_rule(RULES["PATCH-001"])
    assert "Parameters: max_age_days = 90" in text and "for enterprise: max_age_days = 60" in text
    assert "defined in" in text and "Passes when: os.security_patch_age_days lte" in text
    assert "Severity critical when: os.security_patch_age_days gt '$critical_age_days'" in text
    assert "Replaces (merged into this rule): PATCH-002" in text
    assert "When it fails: The security patch is" in text


def test_version_changes_with_content_not_with_order_or_place() -> None:
    rules = list(RULES.values())
    moved = [replace(r, source_file="elsewhere.toml", line=1) for r in rules]
    assert rules_version(rules) == rules_version(moved[::-1])
    changed = [replace(rules[0], title="other"), *rules[1:]]
    assert rules_version(changed) != rules_version(rules)


def test_explain_names_everything() -> None:
    rule = RULES["PERM-001"]
    assert isinstance(rule.check, AnyOf)
    text = explain_rule(rule)
    for part in ("PERM-001", "For each item of apps where item.system eq False",
                 "mms.default_sms_app", "References:", "On samsung:"):
        assert part in text
