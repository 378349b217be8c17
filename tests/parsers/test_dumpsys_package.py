"""dumpsys package packages → per-package details across Android 6–14, in linear time."""

import os
import time
from pathlib import Path

import pytest

from droidaudit.decode import decode
from droidaudit.facts import Fact
from droidaudit.parsers.dumpsys_package import parse_dumpsys_package

FIXTURES = Path(__file__).parent / "fixtures" / "dumpsys_package"
DEMO = Path(__file__).parents[2] / "fixtures" / "demo-pixel7-a14" / "probes"
REPO_ROOT = Path(__file__).parents[2]
CORPUS = REPO_ROOT / os.environ.get("DROIDAUDIT_CORPUS", "../shared/corpus")


def parse(path: Path) -> dict[str, Fact]:
    return {f.name: f for f in parse_dumpsys_package(decode(path.read_bytes()))}


def details(path: Path) -> dict[str, dict[str, object]]:
    value = parse(path)["_pkg.details"].value
    assert isinstance(value, dict)
    return value


def test_android6_double_space_user_lines_and_hidden_system_copy() -> None:
    pkgs = details(FIXTURES / "android6_Settings-dumpPackageLPr.txt")
    chrome = pkgs["com.android.chrome"]
    # The updated copy from Packages:, not the factory one under Hidden system packages:.
    assert chrome["version"] == "51.0.2704.81"
    assert chrome["target_sdk"] == 23
    assert chrome["system"] is True
    assert chrome["allow_backup"] is False
    assert chrome["installer"] == "com.android.vending"
    assert chrome["granted"] == ["android.permission.ACCESS_FINE_LOCATION"]
    assert chrome["users"] == [0, 10]
    game = pkgs["com.example.legacygame"]
    assert game["system"] is False and game["allow_backup"] is True
    # User 10 has a grant line but the app is not installed there: it does not count.
    assert game["users"] == [0]
    assert game["granted_by_user"] == {0: ["android.permission.READ_PHONE_STATE",
                                           "android.permission.WRITE_EXTERNAL_STORAGE"]}


def test_shared_uid_package_grants_are_unknown() -> None:
    settings = details(FIXTURES / "android6_Settings-dumpPackageLPr.txt")["com.android.settings"]
    assert str(settings["shared_user"]).startswith("SharedUserSetting{")
    assert settings["granted"] is None
    assert settings["installer"] is None
    assert settings["users"] == [0, 10]


def test_android9_grants_and_flags() -> None:
    facts = parse(FIXTURES / "android9_Settings-dumpPackageLPr.txt")
    pkgs = facts["_pkg.details"].value
    orca = pkgs["com.facebook.orca"]
    assert orca["granted"] == ["android.permission.CAMERA", "android.permission.READ_SMS",
                               "android.permission.RECEIVE_SMS"]
    assert orca["target_sdk"] == 28
    assert orca["allow_backup"] is False
    sideloaded = pkgs["com.example.sideloaded"]
    assert sideloaded["installer"] is None  # no installerPackageName line: none recorded
    assert sideloaded["granted"] == []
    # A pre-mainline modulemetadata has versionName 1.0: not a date, so unknown.
    play = facts["os.play_system_update"]
    assert play.value is None and "'1.0'" in play.note


def test_android12_work_profile_only_grants() -> None:
    facts = parse(FIXTURES / "android12_Settings-dumpPackageLPr.txt")
    pkgs = facts["_pkg.details"].value
    teams = pkgs["com.microsoft.teams"]
    assert teams["users"] == [10]
    assert teams["granted_by_user"] == {10: ["android.permission.CAMERA",
                                             "android.permission.READ_CONTACTS",
                                             "android.permission.RECORD_AUDIO"]}
    assert pkgs["com.google.android.gms"]["granted"] is None  # shared uid
    assert pkgs["com.google.android.gms"]["system"] is True
    assert facts["_pkg.user_ids"].value == [0, 10]
    assert facts["os.play_system_update"].value == "2022-07-01"


def test_android14_app_id_null_installer_and_hidden_section() -> None:
    facts = parse(FIXTURES / "android14_Settings-dumpPackageLPr.txt")
    pkgs = facts["_pkg.details"].value
    assert set(pkgs) == {"com.android.chrome", "com.android.shell",
                         "com.google.android.modulemetadata", "com.example.workonly"}
    assert pkgs["com.android.chrome"]["version"] == "121.0.6167.101"
    assert pkgs["com.android.chrome"]["granted_by_user"] == {
        0: ["android.permission.ACCESS_FINE_LOCATION"], 10: ["android.permission.CAMERA"]}
    assert pkgs["com.android.shell"]["installer"] is None  # `installerPackageName=null`
    assert pkgs["com.example.workonly"]["users"] == [10]
    assert facts["os.play_system_update"].value == "2024-01-01"  # not the hidden 2023-10-01
    assert "versionName=2024-01-01" in facts["os.play_system_update"].evidence


def test_demo_phone() -> None:
    facts = parse(DEMO / "dumpsys_package.txt")
    pkgs = facts["_pkg.details"].value
    flashlight = pkgs["com.example.flashlight"]
    for perm in ("READ_SMS", "RECEIVE_SMS", "ACCESS_FINE_LOCATION",
                 "ACCESS_BACKGROUND_LOCATION", "RECORD_AUDIO"):
        assert f"android.permission.{perm}" in flashlight["granted"]
    assert "android.permission.CAMERA" not in flashlight["granted"]
    assert flashlight["installer"] == "com.google.android.packageinstaller"
    assert flashlight["allow_backup"] is True
    assert pkgs["org.mozilla.firefox"]["allow_backup"] is False
    assert facts["os.play_system_update"].value == "2024-01-01"


def test_no_packages_section_is_unknown() -> None:
    facts = {f.name: f for f in parse_dumpsys_package("Can't find service: package\n")}
    assert facts["_pkg.details"].value is None
    assert "Can't find service" in facts["_pkg.details"].note
    assert facts["os.play_system_update"].value is None


def test_corpus_mvt_fixtures_parse_as_read() -> None:
    bugreport = CORPUS / "mvt-fixture-bugreport-edited" / "dumpsys" / "package.txt"
    samsung = CORPUS / "mvt-fixture-samsung-a40-edited" / "dumpsys" / "package.txt"
    if not bugreport.is_file() or not samsung.is_file():
        pytest.skip(f"corpus not found at {CORPUS} (set DROIDAUDIT_CORPUS)")
    insta = details(bugreport)["com.instagram.android"]
    assert insta["version"] == "241.1.0.18.114" and insta["target_sdk"] == 31
    assert insta["system"] is False and insta["allow_backup"] is True
    assert insta["installer"] == "com.android.vending"
    assert insta["granted"] == []  # every runtime permission line says granted=false
    cut = details(samsung)["com.sec.android.app.DataCreate"]
    assert cut["system"] is True
    assert cut["granted"] is None and cut["users"] is None  # the block is cut before User 0


def _synthetic_dump(target_bytes: int) -> tuple[str, int]:
    block = (FIXTURES / "android14_Settings-dumpPackageLPr.txt").read_text()
    chrome = block.split("  Package [com.android.shell]")[0].split("Packages:\n", 1)[1]
    parts, size, count = ["Packages:\n"], 0, 0
    while size < target_bytes:
        part = chrome.replace("com.android.chrome", f"com.example.app{count}")
        parts.append(part)
        size += len(part)
        count += 1
    return "".join(parts), count


def test_twenty_megabytes_parse_in_linear_time() -> None:
    text, count = _synthetic_dump(20 * 1024 * 1024)
    started = time.perf_counter()
    facts = {f.name: f for f in parse_dumpsys_package(text)}
    elapsed = time.perf_counter() - started
    assert len(facts["_pkg.details"].value) == count
    assert facts["_pkg.details"].value["com.example.app7"]["users"] == [0, 10]
    # Behaviour, not speed, is asserted; the bound only catches a quadratic regression.
    assert elapsed < 30, f"20 MB took {elapsed:.1f}s"


def test_grant_lines_level_with_their_title_are_still_runtime_grants() -> None:
    text = ("Packages:\n  Package [com.example.app] (1a2b3c):\n    userId=10123\n"
            "    flags=[ HAS_CODE ALLOW_BACKUP ]\n"
            "    install permissions:\n      android.permission.INTERNET: granted=true\n"
            "    User 0: ceDataInode=1 installed=true hidden=false\n"
            "      runtime permissions:\n      android.permission.CAMERA: granted=true, flags=[ ]\n"
            "      android.permission.READ_SMS: granted=false, flags=[ ]\n")
    [details, *_] = parse_dumpsys_package(text)
    assert details.value["com.example.app"]["granted"] == ["android.permission.CAMERA"]


def test_lines_level_with_their_package_header_leave_the_map_unknown() -> None:
    text = ("Packages:\nPackage [com.a] (1):\nuserId=10001\nPackage [com.b] (2):\n"
            "userId=10002\nHidden system packages:\n")
    [details, *_] = parse_dumpsys_package(text)
    assert details.value is None and "Package [" in details.note


def test_level_grant_lines_after_another_line_are_ambiguous() -> None:
    text = ("Packages:\n  Package [com.example.app] (1a2b3c):\n    userId=10123\n"
            "    User 0: ceDataInode=1 installed=true hidden=false\n"
            "      runtime permissions:\n      mSemVendorFlag: 1\n"
            "      android.permission.CAMERA: granted=true, flags=[ ]\n")
    [details, *_] = parse_dumpsys_package(text)
    entry = details.value["com.example.app"]
    assert entry["granted"] is None and "ambiguous" in entry["conflict"]
