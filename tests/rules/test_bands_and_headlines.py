"""Rule format 2: severity bands (one finding whose severity rises), fail titles (the
problem, with units) and plain-words `found` text on findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from droidaudit.rules.lint import lint_rules
from droidaudit.rules.loader import RuleError
from tests.rules.helpers import facts, rule_file, rules_from, run

PATCH = '''
[[rule]]
id = "PATCH-009"
title = "Security patch is at most {$max} days old"
fail_title = "The security patch is {os.security_patch_age_days} old (more than {$max} days)"
area = "patch"
severity = "high"
check = { fact = "os.security_patch_age_days", op = "lte", value = "$max" }
severity_bands = [ { when = { fact = "os.security_patch_age_days", op = "gt", value = 180 }, severity = "critical" } ]
replaces = ["PATCH-010"]
rationale = "r"
remediation = "m"
references = ["x"]
[rule.params]
max = 90
'''


@pytest.mark.parametrize(("age", "status", "severity"), [
    (30, "pass", "high"), (120, "fail", "high"), (200, "fail", "critical"),
    (None, "unknown", "high"),
])
def test_one_finding_whose_severity_rises(tmp_path: Path, age: int | None, status: str,
                                          severity: str) -> None:
    [finding] = run(tmp_path, PATCH, facts(os__security_patch_age_days=age))
    assert (finding.status, finding.severity) == (status, severity)


def test_headline_is_the_problem_on_fail_and_the_goal_otherwise(tmp_path: Path) -> None:
    [failed] = run(tmp_path, PATCH, facts(os__security_patch_age_days=136))
    assert failed.title == "Security patch is at most 90 days old"
    assert failed.headline == "The security patch is 136 days old (more than 90 days)"
    assert failed.found == "Security patch age is 136 days; it should be at most 90 days."
    [passed] = run(tmp_path, PATCH, facts(os__security_patch_age_days=3))
    assert passed.headline == passed.title


def test_an_unknown_fact_never_reaches_a_headline(tmp_path: Path) -> None:
    body = PATCH.replace("{os.security_patch_age_days} old", "{os.vendor_security_patch} old")
    [finding] = run(tmp_path, body, facts(os__security_patch_age_days=136,
                                          os__vendor_security_patch=None))
    assert finding.status == "fail"
    assert finding.headline == finding.title and "unknown" not in finding.headline


def test_unknown_found_says_not_read(tmp_path: Path) -> None:
    [finding] = run(tmp_path, PATCH, facts(os__security_patch_age_days=None))
    assert finding.found.startswith("Security patch age could not be read")
    assert "unknown days" not in finding.found + finding.headline


def test_band_is_parsed_and_merged_ids_are_kept(tmp_path: Path) -> None:
    [rule] = rules_from(tmp_path, PATCH)
    assert [b.severity for b in rule.severity_bands] == ["critical"]
    assert rule.replaces == ("PATCH-010",)


@pytest.mark.parametrize(("band", "message"), [
    ('[ { when = { fact = "a", op = "gt", value = 1 }, severity = "dire" } ]', "'dire'"),
    ('[ { severity = "critical" } ]', "severity_bands must be a list"),
    ('[ { when = { fact = "a", op = "nope", value = 1 }, severity = "low" } ]',
     "unknown op 'nope'"),
])
def test_bad_bands_are_refused_with_their_line(tmp_path: Path, band: str, message: str) -> None:
    old = PATCH.split("severity_bands = ")[1].split("\n")[0]
    path = rule_file(tmp_path, PATCH.replace(old, band))
    with pytest.raises(RuleError, match=message) as caught:
        rules_from(tmp_path, PATCH.replace(old, band))
    assert caught.value.line == 9 and str(path)


def test_lint_bands_and_replaced_rules(tmp_path: Path) -> None:
    low_first = PATCH.replace('severity = "critical" } ]',
                              'severity = "high" } ]')
    still_there = PATCH + PATCH.replace("PATCH-009", "PATCH-010").replace(
        'replaces = ["PATCH-010"]', "")
    assert any("repeats the rule's own severity" in p.message
               for p in lint_rules([rule_file(tmp_path, low_first, "a.toml")]))
    found = [str(p) for p in lint_rules([rule_file(tmp_path, still_there, "b.toml")])]
    assert any(":10: PATCH-010 is still defined" in p for p in found), found
    assert lint_rules([rule_file(tmp_path, PATCH, "c.toml")]) == []


def test_lint_item_placeholder_outside_each_and_band_order(tmp_path: Path) -> None:
    item = PATCH.replace('fail_title = "The security', 'fail_title = "{item}: the security')
    assert any("{item} only has a value in `each` rules" in p.message
               for p in lint_rules([rule_file(tmp_path, item, "d.toml")]))
    two = PATCH.replace('severity = "critical" } ]', 'severity = "medium" }, '
                        '{ when = { fact = "os.sdk", op = "gt", value = 1 }, '
                        'severity = "critical" } ]')
    assert any("list the highest first" in p.message
               for p in lint_rules([rule_file(tmp_path, two, "e.toml")]))
