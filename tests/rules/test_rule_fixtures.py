"""Every rule of the built-in catalogue has a fixture that makes it pass and one that makes it
fail (or, by its nature, notchecked / notapplicable / informational). A rule without both
cannot be merged: `test_every_rule_has_fixtures` lists the missing ones."""

from __future__ import annotations

from typing import Any

import pytest

from droidaudit.facts import FactSet
from droidaudit.rules.engine import evaluate_rule
from droidaudit.rules.loader import load_rules
from droidaudit.rules.model import Rule
from tests.rules.helpers import TODAY, facts

SMS = "com.google.android.apps.messaging"


def app(package: str = "com.example.app", **fields: Any) -> dict[str, Any]:
    """A third-party app with nothing granted; keyword args override fields."""
    base: dict[str, Any] = {
        "package": package, "system": False, "installer": "com.android.vending",
        "version": "1.0", "target_sdk": 34, "granted": [], "special": [],
        "special_unknown": [], "allow_backup": False, "users": [0],
        "sensitive_groups": [], "sensitive_group_count": 0,
    }
    base.update(fields)
    return base


def grants(*perms: str) -> dict[str, Any]:
    return {"granted": [f"android.permission.{p}" for p in perms]}


def apps_fs(*items: dict[str, Any], **more: Any) -> FactSet:
    return facts(apps=list(items), mms__default_sms_app=SMS, **more)


# rule id → (passing facts, (failing facts, the status they give))
FAIL = "fail"
CASES: dict[str, tuple[FactSet, tuple[FactSet, str]]] = {
    # MMS-001 now reads both switches (MMS-002, roaming, and MMS-004, old patch, merged in).
    "MMS-001": (facts(mms__default_sms_app=SMS, mms__auto_retrieve=False,
                      mms__auto_retrieve_roaming=False),
                (facts(mms__default_sms_app=SMS, mms__auto_retrieve=True), FAIL)),
    "MMS-003": (facts(mms__default_sms_app=SMS),
                (facts(mms__default_sms_app="com.evil.sms"), FAIL)),
    "PATCH-001": (facts(os__sdk=34, os__security_patch_age_days=30),
                  (facts(os__sdk=34, os__security_patch_age_days=120), FAIL)),
    "PATCH-003": (facts(os__sdk=34, os__vendor_security_patch="2024-06-01"),
                  (facts(os__sdk=34, os__vendor_security_patch="2023-01-01"), FAIL)),
    "PATCH-004": (facts(os__sdk=34, os__play_system_update="2024-05-01"),
                  (facts(os__sdk=34, os__play_system_update="2023-01-01"), FAIL)),
    "PATCH-005": (facts(os__release_supported=True),
                  (facts(os__release_supported=False), FAIL)),
    "LOCK-001": (facts(lock__secure=True), (facts(lock__secure=False), FAIL)),
    "LOCK-002": (facts(lock__secure=True, lock__credential="pin"),
                 (facts(lock__secure=True, lock__credential="pattern"), FAIL)),
    "LOCK-003": (facts(lock__secure=True, lock__auto_lock_s=5),
                 (facts(lock__secure=True, lock__auto_lock_s=1800), FAIL)),
    "LOCK-004": (facts(screen__off_timeout_s=30), (facts(screen__off_timeout_s=1800), FAIL)),
    "LOCK-005": (facts(lock__secure=True, lock__trust_agents=[]),
                 (facts(lock__secure=True, lock__trust_agents=["g/.Agent"]), FAIL)),
    "LOCK-006": (facts(lock__secure=True, lock__notifications_shown=True,
                       lock__private_notifications_shown=False),
                 (facts(lock__secure=True, lock__notifications_shown=True,
                        lock__private_notifications_shown=True), FAIL)),
    "LOCK-007": (facts(lock__secure=True, lock__notifications_shown=False),
                 (facts(lock__secure=True, lock__notifications_shown=True), FAIL)),
    "LOCK-008": (facts(lock__secure=True, lock__power_button_locks=True),
                 (facts(lock__secure=True, lock__power_button_locks=False), FAIL)),
    "LOCK-009": (facts(lock__users=[{"user": 0, "credential": "pin", "secure": True}]),
                 (facts(lock__users=[{"user": 10, "credential": "none", "secure": False}]),
                  FAIL)),
    "LOCK-010": (facts(os__sdk=34, lock__secure=True, lock__lockdown_in_power_menu=True),
                 (facts(os__sdk=34, lock__secure=True, lock__lockdown_in_power_menu=False),
                  FAIL)),
    "LOCK-011": (facts(os__sdk=34, lock__secure=True),
                 (facts(os__sdk=34, lock__secure=False, lock__biometrics_enrolled=True), FAIL)),
    "BACKUP-001": (facts(backup__enabled=True), (facts(backup__enabled=False), FAIL)),
    "BACKUP-002": (facts(backup__cloud=True, backup__e2e_possible=True),
                   (facts(backup__cloud=True, backup__e2e_possible=False), FAIL)),
    "BACKUP-003": (apps_fs(app(allow_backup=False), os__sdk=34),
                   (apps_fs(app(allow_backup=True, target_sdk=28), os__sdk=34), FAIL)),
    "BACKUP-004": (facts(backup__cloud=False), (facts(backup__cloud=True), FAIL)),
    "BACKUP-005": (facts(backup__enabled=False), (facts(backup__enabled=True), FAIL)),
    "PERM-001": (apps_fs(app(SMS, **grants("READ_SMS")), app()),
                 (apps_fs(app(**grants("RECEIVE_SMS"))), FAIL)),
    "PERM-002": (apps_fs(app()), (apps_fs(app(**grants("READ_CALL_LOG"))), FAIL)),
    "PERM-003": (apps_fs(app()), (apps_fs(app(**grants("READ_CONTACTS"))), FAIL)),
    "PERM-004": (apps_fs(app()), (apps_fs(app(**grants("RECORD_AUDIO"))), FAIL)),
    "PERM-005": (apps_fs(app()), (apps_fs(app(**grants("CAMERA"))), FAIL)),
    "PERM-006": (apps_fs(app()), (apps_fs(app(**grants("ACCESS_COARSE_LOCATION"))), FAIL)),
    "PERM-007": (apps_fs(app()),
                 (apps_fs(app(**grants("ACCESS_BACKGROUND_LOCATION"))), FAIL)),
    "PERM-008": (apps_fs(app()), (apps_fs(app(**grants("BODY_SENSORS"))), FAIL)),
    "PERM-010": (apps_fs(app()), (apps_fs(app(special=["accessibility"])), FAIL)),
    "PERM-011": (apps_fs(app()), (apps_fs(app(special=["notification_listener"])), FAIL)),
    "PERM-012": (apps_fs(app()), (apps_fs(app(special=["device_admin"])), FAIL)),
    "PERM-013": (apps_fs(app()), (apps_fs(app(special=["install_unknown_apps"])), FAIL)),
    "PERM-014": (apps_fs(app()), (apps_fs(app(special=["overlay"])), FAIL)),
    "PERM-015": (apps_fs(app()), (apps_fs(app(special=["usage_access"])), FAIL)),
    "PERM-016": (apps_fs(app()),
                 (apps_fs(app(installer="com.google.android.packageinstaller")), FAIL)),
    "PERM-024": (apps_fs(app()), (apps_fs(app(installer=None)), FAIL)),
    "PERM-017": (facts(device__owner="", device__profile_owner=""),
                 (facts(device__owner="com.spy.dpc", device__profile_owner=""), FAIL)),
    "PERM-018": (apps_fs(app()), (apps_fs(app(**grants("READ_MEDIA_IMAGES"))), FAIL)),
    "PERM-019": (apps_fs(app()), (apps_fs(app(**grants("CALL_PHONE"))), FAIL)),
    "PERM-020": (apps_fs(app()), (apps_fs(app(**grants("READ_CALENDAR"))), FAIL)),
    "PERM-021": (apps_fs(app(sensitive_group_count=2)),
                 (apps_fs(app(sensitive_group_count=6)), FAIL)),
    "PERM-022": (facts(iocs__indicator_count=3, iocs__matched_apps=[]),
                 (facts(iocs__indicator_count=3, iocs__matched_apps=["com.spy"]), FAIL)),
    "PERM-023": (apps_fs(app("com.google.ime", system=True), input__default_ime="com.google.ime"),
                 (apps_fs(app("com.keylog.ime"), input__default_ime="com.keylog.ime"), FAIL)),
    "DEBUG-001": (facts(dev__options_enabled=False),
                  (facts(dev__options_enabled=True), "informational")),
    "DEBUG-002": (facts(adb__enabled=False), (facts(adb__enabled=True), "informational")),
    "DEBUG-003": (facts(os__sdk=34, adb__wifi_enabled=False),
                  (facts(os__sdk=34, adb__wifi_enabled=True), "informational")),
    "DEBUG-004": (facts(os__gms=True, verify__play_protect=True),
                  (facts(os__gms=True, verify__play_protect=False), FAIL)),
    "DEBUG-005": (facts(os__gms=True, verify__adb_installs=True),
                  (facts(os__gms=True, verify__adb_installs=False), FAIL)),
    "DEBUG-006": (facts(os__sdk=25, install__unknown_sources=False),
                  (facts(os__sdk=25, install__unknown_sources=True), FAIL)),
    "DEBUG-007": (facts(os__gms=True, verify__upload_apks=True),
                  (facts(os__gms=True, verify__upload_apks=False), FAIL)),
    "INTEG-001": (facts(crypto__state="encrypted"), (facts(crypto__state="unencrypted"), FAIL)),
    "INTEG-002": (facts(boot__verified_state="green"),
                  (facts(boot__verified_state="orange"), FAIL)),
    "INTEG-003": (facts(boot__bootloader_locked=True),
                  (facts(boot__bootloader_locked=False), FAIL)),
    "INTEG-004": (facts(selinux__mode="enforcing"), (facts(selinux__mode="permissive"), FAIL)),
    "INTEG-005": (facts(os__build_type="user", os__build_tags="release-keys"),
                  (facts(os__build_type="userdebug", os__build_tags="test-keys"), FAIL)),
    "INTEG-006": (facts(root__indicators=[]), (facts(root__indicators=["/system/xbin/su"]),
                                               FAIL)),
    "INTEG-007": (facts(os__sdk=34, net__private_dns_mode="hostname"),
                  (facts(os__sdk=34, net__private_dns_mode="off"), FAIL)),
    "INTEG-008": (facts(users__guest=False), (facts(users__guest=True), FAIL)),
    "INTEG-009": (facts(users__secondary=0), (facts(users__secondary=1), FAIL)),
    "INTEG-010": (facts(time__auto=True), (facts(time__auto=False), FAIL)),
}

# Not applicable by nature: the condition that makes each rule step aside.
NOT_APPLICABLE: dict[str, FactSet] = {
    "MMS-001": facts(mms__default_sms_app=""),
    "PERM-022": facts(iocs__indicator_count=None, iocs__matched_apps=None),
    "DEBUG-006": facts(os__sdk=34, install__unknown_sources=True),
    "LOCK-010": facts(os__sdk=34, lock__secure=False),
}

RULES = {rule.id: rule for rule in load_rules()}


def _status(rule: Rule, fs: FactSet) -> set[str]:
    profile = next(p for p in ("personal", "technician", "enterprise", "at-risk")
                   if p in rule.profiles)
    return {f.status for f in evaluate_rule(rule, fs, profile, TODAY)}


def test_every_rule_has_fixtures() -> None:
    assert sorted(set(RULES) - set(CASES)) == []
    assert sorted(set(CASES) - set(RULES)) == []


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_passes_on_its_passing_fixture(rule_id: str) -> None:
    assert _status(RULES[rule_id], CASES[rule_id][0]) == {"pass"}


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fails_on_its_failing_fixture(rule_id: str) -> None:
    failing, expected = CASES[rule_id][1]
    assert _status(RULES[rule_id], failing) == {expected}


@pytest.mark.parametrize("rule_id", sorted(NOT_APPLICABLE))
def test_rule_steps_aside_when_it_does_not_apply(rule_id: str) -> None:
    assert _status(RULES[rule_id], NOT_APPLICABLE[rule_id]) == {"notapplicable"}


def test_mms_manual_is_chosen_by_the_default_sms_app() -> None:
    rule = RULES["MMS-001"]
    for package, words in ((SMS, "Google Messages"),
                           ("com.samsung.android.messaging", "Samsung Messages"),
                           ("com.android.messaging", "AOSP Messaging"),
                           ("com.android.mms", "MIUI")):
        [finding] = evaluate_rule(rule, facts(mms__default_sms_app=package,
                                              mms__auto_retrieve=None), "personal", TODAY)
        assert finding.status == "notchecked"
        assert finding.manual.startswith(f"Your SMS app is {words}") or words in finding.manual
        assert "Samsung Messages" not in finding.manual or package.startswith("com.samsung")
    [other] = evaluate_rule(rule, facts(mms__default_sms_app="org.fossify.messages",
                                        mms__auto_retrieve=None), "personal", TODAY)
    assert "Google Messages" in other.manual and "Samsung Messages" in other.manual


def test_per_app_findings_say_which_users_have_the_app() -> None:
    [rule] = [r for r in load_rules(None) if r.id == "PERM-016"]
    sideloaded = app(installer="com.google.android.packageinstaller", users=[0, 150])
    [finding] = evaluate_rule(rule, apps_fs(sideloaded), "personal", TODAY)
    assert finding.status == "fail"
    assert "com.example.app: installed for user(s) [0, 150]" in finding.evidence


@pytest.mark.parametrize(("age", "severity"), [(30, "high"), (120, "high"), (200, "critical")])
def test_patch_age_is_one_finding_whose_severity_rises(age: int, severity: str) -> None:
    """PATCH-002 (six months, critical) is merged into PATCH-001 as a severity band."""
    [finding] = evaluate_rule(RULES["PATCH-001"], facts(os__sdk=34,
                                                        os__security_patch_age_days=age),
                              "personal", TODAY)
    assert finding.status == ("pass" if age <= 90 else "fail")
    assert finding.severity == (severity if finding.status == "fail" else "high")
    if finding.status == "fail":
        assert finding.headline == f"The security patch is {age} days old (more than 90 days)"


@pytest.mark.parametrize(("profile", "age", "severity"), [
    ("personal", 200, "critical"), ("personal", 80, "high"), ("at-risk", 80, "critical"),
    ("personal", None, "high"),
])
def test_mms_card_is_critical_on_an_old_patch(profile: str, age: int | None,
                                              severity: str) -> None:
    """One card for the SMS app's download switches, ranked by patch age (was MMS-004)."""
    unread = facts(mms__default_sms_app=SMS, mms__auto_retrieve=None,
                   mms__auto_retrieve_roaming=None, os__security_patch_age_days=age)
    [finding] = evaluate_rule(RULES["MMS-001"], unread, profile, TODAY)
    assert (finding.status, finding.severity) == ("notchecked", severity)


def test_mms_roaming_alone_fails_the_one_card() -> None:
    roaming = facts(mms__default_sms_app=SMS, mms__auto_retrieve=False,
                    mms__auto_retrieve_roaming=True)
    [finding] = evaluate_rule(RULES["MMS-001"], roaming, "personal", TODAY)
    assert finding.status == "fail"
    assert "Automatic MMS download while roaming is on; it should be off" in finding.found


@pytest.mark.parametrize(("lockdown", "status"), [(None, "notapplicable"), (True, "pass"),
                                                  (False, "fail")])
def test_lockdown_on_android_12_and_newer_is_not_asked(lockdown: bool | None,
                                                       status: str) -> None:
    """Android 12+ offers Lockdown whenever a secure lock is set; the setting stays unset."""
    fs = facts(os__sdk=33, lock__secure=True, lock__lockdown_in_power_menu=lockdown)
    assert _status(RULES["LOCK-010"], fs) == {status}
    older = facts(os__sdk=30, lock__secure=True, lock__lockdown_in_power_menu=None)
    assert _status(RULES["LOCK-010"], older) == {"unknown"}
