"""The engine: every op, the combinators in three-valued logic, each/where, applies,
unknown handling (never a pass), params and profiles, errors, placeholders."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from tests.rules.helpers import TODAY, facts, one_check, run


def status(tmp_path: Path, check: str, fs_kwargs: Mapping[str, object], **kw: object) -> str:
    findings = run(tmp_path, one_check(check), facts(**fs_kwargs), **kw)
    assert len(findings) == 1
    return findings[0].status


OP_CASES = [
    # (check, fact value, expected status)
    ('{ fact = "os.sdk", op = "eq", value = 34 }', 34, "pass"),
    ('{ fact = "os.sdk", op = "eq", value = 34 }', 33, "fail"),
    ('{ fact = "os.sdk", op = "ne", value = 34 }', 33, "pass"),
    ('{ fact = "os.sdk", op = "ne", value = 34 }', 34, "fail"),
    ('{ fact = "os.sdk", op = "lt", value = 30 }', 29, "pass"),
    ('{ fact = "os.sdk", op = "lt", value = 30 }', 30, "fail"),
    ('{ fact = "os.sdk", op = "lte", value = 30 }', 30, "pass"),
    ('{ fact = "os.sdk", op = "lte", value = 30 }', 31, "fail"),
    ('{ fact = "os.sdk", op = "gt", value = 30 }', 31, "pass"),
    ('{ fact = "os.sdk", op = "gt", value = 30 }', 30, "fail"),
    ('{ fact = "os.sdk", op = "gte", value = 30 }', 30, "pass"),
    ('{ fact = "os.sdk", op = "gte", value = 30 }', 29, "fail"),
    ('{ fact = "os.sdk", op = "in", value = [33, 34] }', 34, "pass"),
    ('{ fact = "os.sdk", op = "in", value = [33, 34] }', 32, "fail"),
    ('{ fact = "os.sdk", op = "not_in", value = [33, 34] }', 32, "pass"),
    ('{ fact = "os.sdk", op = "not_in", value = [33, 34] }', 33, "fail"),
    ('{ fact = "os.sdk", op = "contains", value = "a" }', ["a", "b"], "pass"),
    ('{ fact = "os.sdk", op = "contains", value = "c" }', ["a", "b"], "fail"),
    ('{ fact = "os.sdk", op = "contains", value = ["x", "b"] }', ["a", "b"], "pass"),
    ('{ fact = "os.sdk", op = "contains", value = "key" }', "release-keys", "pass"),
    ('{ fact = "os.sdk", op = "not_contains", value = "c" }', ["a", "b"], "pass"),
    ('{ fact = "os.sdk", op = "not_contains", value = ["x", "b"] }', ["a", "b"], "fail"),
    ('{ fact = "os.sdk", op = "matches", value = "^user(debug)?$" }', "userdebug", "pass"),
    ('{ fact = "os.sdk", op = "matches", value = "^user$" }', "userdebug", "fail"),
    ('{ fact = "os.sdk", op = "empty" }', [], "pass"),
    ('{ fact = "os.sdk", op = "empty" }', ["su"], "fail"),
    ('{ fact = "os.sdk", op = "empty" }', "", "pass"),
    ('{ fact = "os.sdk", op = "exists" }', "x", "pass"),
    ('{ fact = "os.sdk", op = "eq", value = "2024-02-05" }', "2024-02-05", "pass"),
    ('{ fact = "os.sdk", op = "lt", value = "2024-03-01" }', "2024-02-05", "pass"),
    ('{ fact = "os.sdk", op = "eq", value = false }', False, "pass"),
    ('{ fact = "os.sdk", op = "eq", value = false }', True, "fail"),
]


@pytest.mark.parametrize(("check", "value", "expected"), OP_CASES)
def test_each_op(tmp_path: Path, check: str, value: object, expected: str) -> None:
    assert status(tmp_path, check, {"os__sdk": value}) == expected


@pytest.mark.parametrize("check", [c for c, _, _ in OP_CASES if '"exists"' not in c])
def test_every_op_on_unknown_fact_is_unknown_never_pass(tmp_path: Path, check: str) -> None:
    assert status(tmp_path, check, {"os__sdk": None}) == "unknown"


def test_exists_on_unknown_is_false(tmp_path: Path) -> None:
    assert status(tmp_path, '{ fact = "os.sdk", op = "exists" }', {"os__sdk": None}) == "fail"


def test_missing_fact_is_unknown(tmp_path: Path) -> None:
    findings = run(tmp_path, one_check('{ fact = "os.sdk", op = "eq", value = 1 }'), facts())
    assert findings[0].status == "unknown"
    assert "not in this scan" in findings[0].detail


def test_bool_is_not_a_number(tmp_path: Path) -> None:
    # A bool fact compared with 1 is a rule bug: reported as error, never as pass.
    assert status(tmp_path, '{ fact = "os.sdk", op = "eq", value = 1 }', {"os__sdk": True}) \
        == "error"


def test_type_mismatch_is_error(tmp_path: Path) -> None:
    assert status(tmp_path, '{ fact = "os.sdk", op = "lt", value = 5 }', {"os__sdk": "x"}) \
        == "error"


A_TRUE = '{ fact = "a.t", op = "eq", value = true }'
A_FALSE = '{ fact = "a.f", op = "eq", value = true }'
A_UNKNOWN = '{ fact = "a.u", op = "eq", value = true }'
THREE = {"a__t": True, "a__f": False, "a__u": None}


@pytest.mark.parametrize(("check", "expected"), [
    (f"{{ all = [ {A_TRUE}, {A_TRUE} ] }}", "pass"),
    (f"{{ all = [ {A_TRUE}, {A_FALSE} ] }}", "fail"),
    (f"{{ all = [ {A_UNKNOWN}, {A_FALSE} ] }}", "fail"),  # one false decides
    (f"{{ all = [ {A_TRUE}, {A_UNKNOWN} ] }}", "unknown"),
    (f"{{ any = [ {A_FALSE}, {A_FALSE} ] }}", "fail"),
    (f"{{ any = [ {A_UNKNOWN}, {A_TRUE} ] }}", "pass"),  # one true decides
    (f"{{ any = [ {A_FALSE}, {A_UNKNOWN} ] }}", "unknown"),
    (f"{{ not = {A_TRUE} }}", "fail"),
    (f"{{ not = {A_FALSE} }}", "pass"),
    (f"{{ not = {A_UNKNOWN} }}", "unknown"),
    (f"{{ not = {{ all = [ {A_TRUE}, {A_UNKNOWN} ] }} }}", "unknown"),
    (f"{{ any = [ {{ not = {A_TRUE} }}, {{ all = [ {A_TRUE}, {A_TRUE} ] }} ] }}", "pass"),
])
def test_combinators_three_valued(tmp_path: Path, check: str, expected: str) -> None:
    assert status(tmp_path, check, THREE) == expected


def test_unknown_detail_quotes_the_fact_note(tmp_path: Path) -> None:
    findings = run(tmp_path, one_check('{ fact = "os.sdk", op = "eq", value = 1 }'),
                   facts(os__sdk=None))
    assert "os.sdk unreadable in test" in findings[0].detail
    assert "os.sdk = unknown (os.sdk unreadable in test)" in findings[0].evidence


def test_fail_detail_and_evidence(tmp_path: Path) -> None:
    [finding] = run(tmp_path, one_check(
        '{ fact = "os.security_patch_age_days", op = "lte", value = 90 }'),
        facts(os__security_patch_age_days=172))
    assert finding.status == "fail"
    assert finding.detail == "os.security_patch_age_days is 172, more than 90"
    assert "raw line for os.security_patch_age_days" in finding.evidence
    assert "os.security_patch_age_days = 172" in finding.evidence
    assert finding.facts == ("os.security_patch_age_days",)


NOTCHECKED = '''
[[rule]]
id = "MMS-001"
title = "t"
area = "mms"
severity = "high"
check = { fact = "mms.auto_retrieve", op = "eq", value = false }
when_unknown = "notchecked"
manual = "Open {mms.default_sms_app|your SMS app} and look."
rationale = "r"
remediation = "m"
references = ["x"]
'''


def test_notchecked_with_manual_steps(tmp_path: Path) -> None:
    [finding] = run(tmp_path, NOTCHECKED, facts(mms__auto_retrieve=None,
                                                 mms__default_sms_app="com.a"))
    assert finding.status == "notchecked"
    assert finding.manual == "Open com.a and look."


def test_placeholder_fallback_when_unknown(tmp_path: Path) -> None:
    [finding] = run(tmp_path, NOTCHECKED, facts(mms__auto_retrieve=None,
                                                 mms__default_sms_app=None))
    assert finding.manual == "Open your SMS app and look."


def test_placeholder_text_is_not_reinterpreted(tmp_path: Path) -> None:
    hostile = "{os.sdk} {0.__class__} <b>"
    [finding] = run(tmp_path, NOTCHECKED, facts(mms__auto_retrieve=True,
                                                 mms__default_sms_app=hostile, os__sdk=1))
    assert finding.status == "fail"
    assert finding.manual == f"Open {hostile} and look."


APPLIES = '''
[[rule]]
id = "DEBUG-006"
title = "t"
area = "debug"
severity = "high"
applies = { fact = "os.sdk", op = "lt", value = 26 }
check = { fact = "install.unknown_sources", op = "eq", value = false }
rationale = "r"
remediation = "m"
references = ["x"]
'''


def test_applies_unmet_is_notapplicable(tmp_path: Path) -> None:
    [finding] = run(tmp_path, APPLIES, facts(os__sdk=34, install__unknown_sources=True))
    assert finding.status == "notapplicable"
    assert "os.sdk is 34" in finding.detail


def test_applies_met_evaluates_check(tmp_path: Path) -> None:
    [finding] = run(tmp_path, APPLIES, facts(os__sdk=25, install__unknown_sources=True))
    assert finding.status == "fail"


def test_applies_unknown_is_unknown_not_check(tmp_path: Path) -> None:
    [finding] = run(tmp_path, APPLIES, facts(os__sdk=None, install__unknown_sources=False))
    assert finding.status == "unknown"
    assert "Cannot tell whether this check applies" in finding.detail


def test_applies_unknown_can_be_told_to_check(tmp_path: Path) -> None:
    body = APPLIES.replace('check = {', 'when_applies_unknown = "check"\ncheck = {')
    [finding] = run(tmp_path, body, facts(os__sdk=None, install__unknown_sources=False))
    assert finding.status == "pass"


EACH = '''
[[rule]]
id = "PERM-001"
title = "t"
area = "permissions"
severity = "high"
each = "apps"
where = { field = "system", op = "eq", value = false }
rationale = "r"
remediation = "Remove it from {item}."
references = ["x"]
[rule.check]
any = [
  { field = "package", op = "eq", value_fact = "mms.default_sms_app" },
  { field = "granted", op = "not_contains", value = ["android.permission.READ_SMS"] },
]
'''
SMS = ["android.permission.READ_SMS"]


def app(package: str, system: object = False, granted: object = ()) -> dict[str, object]:
    return {"package": package, "system": system,
            "granted": list(granted) if isinstance(granted, tuple | list) else granted}


def test_each_reports_one_finding_per_failing_item(tmp_path: Path) -> None:
    apps = [app("a.bad", granted=SMS), app("b.fine"), app("c.system", True, SMS),
            app("d.bad", granted=SMS), app("sms.app", granted=SMS)]
    findings = run(tmp_path, EACH, facts(apps=apps, mms__default_sms_app="sms.app"))
    assert [(f.item, f.status) for f in findings] == [("a.bad", "fail"), ("d.bad", "fail")]
    assert findings[0].remediation == "Remove it from a.bad."
    assert "a.bad: system = false" in findings[0].evidence


def test_each_with_no_failing_item_is_one_pass(tmp_path: Path) -> None:
    findings = run(tmp_path, EACH, facts(apps=[app("b.fine"), app("c.sys", True, SMS)],
                                          mms__default_sms_app="x"))
    assert [(f.item, f.status) for f in findings] == [(None, "pass")]
    assert "1 of 2" in findings[0].detail


def test_each_on_unknown_list_is_unknown(tmp_path: Path) -> None:
    [finding] = run(tmp_path, EACH, facts(apps=None))
    assert finding.status == "unknown"
    assert "apps unreadable in test" in finding.detail


def test_each_item_unknown_field_is_unknown_not_pass(tmp_path: Path) -> None:
    findings = run(tmp_path, EACH, facts(apps=[app("a", granted=None)],
                                          mms__default_sms_app="x"))
    assert [(f.item, f.status) for f in findings] == [("a", "unknown")]


def test_each_item_with_unknown_scope_is_unknown(tmp_path: Path) -> None:
    findings = run(tmp_path, EACH, facts(apps=[app("a", system=None, granted=SMS)],
                                          mms__default_sms_app="x"))
    assert [(f.item, f.status) for f in findings] == [("a", "unknown")]
    assert "in scope" in findings[0].detail


def test_each_three_valued_any_true_despite_unknown_fact(tmp_path: Path) -> None:
    # Default SMS app unknown, but the app has no SMS permission: any(unknown, true) → true.
    findings = run(tmp_path, EACH, facts(apps=[app("a")], mms__default_sms_app=None))
    assert [f.status for f in findings] == ["pass"]
    findings = run(tmp_path, EACH, facts(apps=[app("a", granted=SMS)],
                                          mms__default_sms_app=None))
    assert [f.status for f in findings] == ["unknown"]


PARAMS = '''
[[rule]]
id = "PATCH-001"
title = "Patch at most {$max_age_days} days old"
area = "patch"
severity = "high"
check = { fact = "os.security_patch_age_days", op = "lte", value = "$max_age_days" }
rationale = "r"
remediation = "m"
references = ["x"]
[rule.params]
max_age_days = 90
[rule.params.enterprise]
max_age_days = 30
'''


def test_params_default_and_profile_override(tmp_path: Path) -> None:
    fs = facts(os__security_patch_age_days=60)
    [personal] = run(tmp_path, PARAMS, fs)
    [enterprise] = run(tmp_path, PARAMS, fs, profile="enterprise")
    assert (personal.status, personal.title) == ("pass", "Patch at most 90 days old")
    assert (enterprise.status, enterprise.title) == ("fail", "Patch at most 30 days old")
    assert "more than 30" in enterprise.detail


def test_days_before_scan(tmp_path: Path) -> None:
    check = '{ fact = "os.play_system_update", op = "gte", value = { days_before_scan = 30 } }'
    assert status(tmp_path, check, {"os__play_system_update": "2024-06-15"}) == "pass"
    assert status(tmp_path, check, {"os__play_system_update": "2024-05-15"}) == "fail"
    assert status(tmp_path, check, {"os__play_system_update": "r_aml_34"}) == "error"
    assert status(tmp_path, check, {"os__play_system_update": None}) == "unknown"


def test_profiles_select_rules(tmp_path: Path) -> None:
    body = one_check('{ fact = "os.sdk", op = "eq", value = 1 }').replace(
        'severity = "high"', 'severity = "high"\n    profiles = ["enterprise"]')
    assert run(tmp_path, body, facts(os__sdk=1)) == []
    assert len(run(tmp_path, body, facts(os__sdk=1), profile="enterprise")) == 1
    with pytest.raises(ValueError, match="unknown profile"):
        run(tmp_path, body, facts(os__sdk=1), profile="nobody")


@pytest.mark.parametrize("marker", ['severity = "info"', 'kind = "informational"'])
def test_informational_instead_of_fail(tmp_path: Path, marker: str) -> None:
    body = one_check('{ fact = "adb.enabled", op = "eq", value = false }').replace(
        'severity = "high"', marker if marker.startswith("severity") else
        f'severity = "high"\n    {marker}')
    assert run(tmp_path, body, facts(adb__enabled=True))[0].status == "informational"
    assert run(tmp_path, body, facts(adb__enabled=False))[0].status == "pass"
    assert run(tmp_path, body, facts(adb__enabled=None))[0].status == "unknown"


def test_one_broken_rule_does_not_stop_others(tmp_path: Path) -> None:
    body = one_check('{ fact = "os.sdk", op = "lt", value = 5 }') + one_check(
        '{ fact = "os.sdk", op = "ne", value = "x" }').replace("TEST-001", "TEST-002")
    findings = run(tmp_path, body, facts(os__sdk=["not", "a", "number"]))
    assert [(f.rule, f.status) for f in findings] == [("TEST-001", "error"),
                                                      ("TEST-002", "error")]
    findings = run(tmp_path, body.replace('value = "x"', 'value = ["x"]'),
                   facts(os__sdk=["not", "a", "number"]))
    assert [(f.rule, f.status) for f in findings] == [("TEST-001", "error"),
                                                      ("TEST-002", "pass")]


def test_today_is_required_keyword() -> None:
    from droidaudit.rules.engine import evaluate
    assert evaluate([], facts(), today=TODAY) == []


SPECIAL = '''
[[rule]]
id = "PERM-015"
title = "t"
area = "permissions"
severity = "medium"
each = "apps"
where = { field = "system", op = "eq", value = false }
check = { field = "special", op = "not_contains", value = "usage_access" }
unknown_when = { field = "special_unknown", op = "contains", value = "usage_access" }
rationale = "r"
remediation = "m"
references = ["x"]
'''


def test_unknown_when_turns_an_unconfirmed_pass_into_unknown(tmp_path: Path) -> None:
    apps = [{"package": "holder", "system": False, "special": ["usage_access"],
             "special_unknown": []},
            {"package": "unread", "system": False, "special": [],
             "special_unknown": ["usage_access"]},
            {"package": "clean", "system": False, "special": [], "special_unknown": []},
            {"package": "other-unread", "system": False, "special": [],
             "special_unknown": ["overlay"]}]
    findings = run(tmp_path, SPECIAL, facts(apps=apps))
    assert [(f.item, f.status) for f in findings] == [("holder", "fail"), ("unread", "unknown")]
    assert "cannot be confirmed: special_unknown includes usage_access" in findings[1].detail


def test_unknown_when_itself_unknown_blocks_the_pass(tmp_path: Path) -> None:
    apps = [{"package": "a", "system": False, "special": []}]  # no special_unknown key
    assert [f.status for f in run(tmp_path, SPECIAL, facts(apps=apps))] == ["unknown"]
