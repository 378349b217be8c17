"""pm list packages / pm list users / cmd appops query-op → readings, unknown on odd output."""

import os
from pathlib import Path

import pytest

from droidaudit.decode import decode
from droidaudit.facts import Fact
from droidaudit.parsers.packages import (
    parse_appops_install_unknown,
    parse_appops_overlay,
    parse_appops_usage_stats,
    parse_packages,
    parse_packages_third_party,
    parse_users,
)

FIXTURES = Path(__file__).parent / "fixtures"
REPO_ROOT = Path(__file__).parents[2]
CORPUS = REPO_ROOT / os.environ.get("DROIDAUDIT_CORPUS", "../shared/corpus")


def read(relative: str) -> str:
    text: str = decode((FIXTURES / relative).read_bytes())
    return text


def by_name(facts: list[Fact]) -> dict[str, Fact]:
    return {f.name: f for f in facts}


def test_pm_list_with_uid_installer_null_and_equals_in_path() -> None:
    fact = by_name(parse_packages(read("packages/android14_PackageManagerShellCommand.txt")))
    entries = {e["package"]: e for e in fact["_pm.packages"].value}
    whatsapp = entries["com.whatsapp"]
    # The path holds `==`: the name is what follows the last `=` before `installer=`.
    assert whatsapp["path"].endswith("com.whatsapp-D2eF1gH0iJ9kL8mN7oP6qA==/base.apk")
    assert whatsapp["path"].startswith("/data/app/~~pQ9rS8tU7vW6xY5zA4bC3w==/")
    assert whatsapp["installer"] == "com.android.vending"
    assert whatsapp["uid"] == 10245
    assert entries["android"] == {"package": "android", "installer": None, "uid": 1000,
                                  "path": "/system/framework/framework-res.apk"}
    assert entries["com.google.android.permissioncontroller"]["path"].startswith("/apex/")
    assert len(entries) == 7


def test_pm_list_fallback_without_uid_skips_the_error_line() -> None:
    fact = by_name(parse_packages(read("packages/android7_Pm-no-uid-fallback.txt")))["_pm.packages"]
    assert [e["package"] for e in fact.value] == [
        "com.android.settings", "com.android.chrome", "com.example.legacygame"]
    assert all(e["uid"] is None for e in fact.value)
    assert "1 line(s)" in fact.note
    assert fact.evidence == ("Error: Unknown option: -U",)


def test_pm_list_service_failure_is_unknown_not_empty() -> None:
    fact = by_name(parse_packages(read("packages/android14_service-failure.txt")))["_pm.packages"]
    assert fact.value is None
    assert "Failure calling service" in fact.note
    assert by_name(parse_packages(""))["_pm.packages"].value is None


def test_third_party_list_none_and_error() -> None:
    listed = parse_packages_third_party(read(
        "packages_third_party/android14_PackageManagerShellCommand.txt"))[0]
    assert listed.value == ["com.example.sideload", "com.topjohnwu.magisk", "com.whatsapp"]
    none = parse_packages_third_party(read(
        "packages_third_party/android14-none_PackageManagerShellCommand.txt"))[0]
    assert none.value == []
    error = parse_packages_third_party(read(
        "packages_third_party/android14-error_PackageManagerShellCommand.txt"))[0]
    assert error.value is None
    assert "SecurityException" in error.note


@pytest.mark.parametrize(("fixture", "ids", "names"), [
    ("users/android14-workprofile_UserManagerServiceShellCommand.txt", [0, 10],
     ["Owner", "Work profile"]),
    ("users/samsung-a13-securefolder_UserManagerServiceShellCommand.txt", [0, 150],
     ["Owner", "Secure Folder"]),
    ("users/android6-workprofile_PackageManagerShellCommand.txt", [0, 10],
     ["Owner", "Work profile"]),
])
def test_users_count_includes_profiles(fixture: str, ids: list[int], names: list[str]) -> None:
    facts = by_name(parse_users(read(fixture)))
    assert facts["users.count"].value == len(ids)
    assert [u["id"] for u in facts["_users"].value] == ids
    assert [u["name"] for u in facts["_users"].value] == names
    assert facts["users.count"].evidence[0].startswith("UserInfo{0:Owner:")


def test_users_flags_hex_and_garbage() -> None:
    users = by_name(parse_users("Users:\n\tUserInfo{0:Owner:4c13} running\n"))["_users"].value
    assert users == [{"id": 0, "name": "Owner", "flags": 0x4C13}]
    assert by_name(parse_users("Error: couldn't get users\n"))["users.count"].value is None


def test_appops_results_deduplicated_across_users() -> None:
    text = read("appops_usage_stats/android14-two-users_AppOpsService.txt")
    fact = parse_appops_usage_stats(text)[0]
    assert fact.name == "_special.usage_access"
    assert fact.value == ["com.example.cleaner", "com.microsoft.teams"]
    overlay = parse_appops_overlay(read("appops_overlay/android14_AppOpsService.txt"))[0]
    assert overlay.value == ["com.example.flashlight", "com.facebook.orca"]


def test_appops_none_and_no_match_are_empty() -> None:
    none = parse_appops_install_unknown(
        read("appops_install_unknown/android14-none_AppOpsService.txt"))
    assert none[0].name == "_special.install_unknown_apps"
    assert none[0].value == []
    nomatch = parse_appops_usage_stats(
        read("appops_usage_stats/android14-nomatch_AppOpsService.txt"))
    assert nomatch[0].value == []


def test_appops_old_release_is_unknown() -> None:
    text = read("appops_overlay/android7_AppOpsService-unknown-command.txt")
    fact = parse_appops_overlay(text)[0]
    assert fact.value is None
    assert "Unknown command: query-op" in fact.note
    assert parse_appops_overlay("Error\n")[0].value is None  # a bare word is not a package


def test_corpus_pm_list_packages_f_parses() -> None:
    path = CORPUS / "xiaomi-pad6-pipa-a14" / "packages.txt"
    if not path.is_file():
        pytest.skip(f"corpus not found at {path} (set DROIDAUDIT_CORPUS)")
    text = decode(path.read_bytes())
    fact = by_name(parse_packages(text))["_pm.packages"]
    lines = [ln for ln in text.split("\n") if ln.strip()]
    assert len(fact.value) == len(lines)  # every line is `package:PATH=NAME`
    entries = {e["package"]: e for e in fact.value}
    assert entries["io.github.muntashirakon.AppManager"]["path"].endswith("/base.apk")
    assert entries["com.android.emergency"]["path"] == (
        "/system_ext/priv-app/EmergencyInfoGms/EmergencyInfoGms.apk")
    assert all(e["installer"] is None and e["uid"] is None for e in fact.value)


def test_a_list_cut_mid_line_is_unknown_never_a_stump_package() -> None:
    """`org.mozilla.firefox` cut to `org.mozil` is a valid name that hides the real app."""
    from droidaudit.parsers.packages import (
        parse_appops_install_unknown,
        parse_packages,
        parse_packages_third_party,
    )
    (appops,) = parse_appops_install_unknown("com.example.a\norg.mozil")
    assert appops.value is None and "cut" in appops.note
    (pm,) = parse_packages("package:/system/framework/framework-res.apk=android\npackage:/da")
    assert pm.value is None
    (third,) = parse_packages_third_party("package:com.whatsapp\npackage:org.mozil")
    assert third.value is None
    assert parse_appops_install_unknown("org.mozilla.firefox\n")[0].value == ["org.mozilla.firefox"]
