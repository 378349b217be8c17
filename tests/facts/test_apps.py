"""build_apps: the `apps` fact and what follows from the package list, never a false pass."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from droidaudit.capture import Capture, ProbeOutput
from droidaudit.facts import Fact, FactSet
from droidaudit.facts.apps import build_apps
from droidaudit.facts.derive import extract_facts

DEMO = Path(__file__).parents[2] / "fixtures" / "demo-pixel7-a14" / "probes"


def factset(**readings: Any) -> FactSet:
    facts = FactSet()
    for name, value in readings.items():
        facts.set(name.replace("__", "."), value, "test", note="" if value is not None else "x")
    return facts


def built(facts: FactSet) -> dict[str, Fact]:
    return {f.name: f for f in build_apps(facts)}


def apps_by_name(out: dict[str, Fact]) -> dict[str, dict[str, Any]]:
    return {a["package"]: a for a in out["apps"].value}


FRAMEWORK = {"package": "android", "path": "/system/framework/framework-res.apk",
             "installer": None, "uid": 1000}
PM = [
    FRAMEWORK,
    {"package": "com.android.settings", "path": "/system_ext/priv-app/S/S.apk",
     "installer": None, "uid": 1000},
    {"package": "com.whatsapp", "path": "/data/app/~~a==/com.whatsapp-b==/base.apk",
     "installer": "com.android.vending", "uid": 10245},
    {"package": "com.android.chrome", "path": "/data/app/~~c==/com.android.chrome-d==/base.apk",
     "installer": "com.android.vending", "uid": 10158},
    {"package": "com.topjohnwu.magisk", "path": "/data/app/~~e==/m-f==/base.apk",
     "installer": None, "uid": 10260},
]


def test_no_package_probe_means_unknown_not_empty() -> None:
    out = built(FactSet())
    assert out["apps"].value is None
    assert "no package list" in out["apps"].note
    assert out["apps.third_party_count"].value is None
    assert out["os.gms"].value is None
    assert out["root.indicators"].value is None


def test_system_from_third_party_list_when_no_dumpsys() -> None:
    facts = factset(_pm__packages=PM, _pm__third_party=["com.whatsapp", "com.topjohnwu.magisk"],
                    _root__su_paths=[])
    out = built(facts)
    apps = apps_by_name(out)
    assert apps["com.android.chrome"]["system"] is True  # /data/app, but not in -3
    assert apps["com.whatsapp"]["system"] is False
    assert apps["com.whatsapp"]["granted"] is None  # no dumpsys package: unknown
    assert out["apps.third_party_count"].value == 2
    assert out["root.indicators"].value == ["com.topjohnwu.magisk"]
    assert out["os.gms"].value is False
    assert "dumpsys package unreadable" in out["apps"].note


def test_list_without_the_framework_package_is_incomplete() -> None:
    # An edited or cut dump (the MVT fixtures keep two packages): what is missing could be
    # the very app a rule looks for, so the list is unknown, but what it shows still counts.
    details = {"com.topjohnwu.magisk": {"system": False, "users": [0], "granted": []}}
    out = built(factset(_pkg__details=details))
    assert out["apps"].value is None
    assert "incomplete" in out["apps"].note
    assert out["apps.third_party_count"].value is None
    assert out["os.gms"].value is None
    assert out["root.indicators"].value == ["com.topjohnwu.magisk"]


def test_system_from_path_as_last_resort() -> None:
    out = built(factset(_pm__packages=PM))
    apps = apps_by_name(out)
    assert apps["com.android.settings"]["system"] is True
    assert apps["com.android.chrome"]["system"] is False  # updated system app: errs strict
    assert "install path" in out["apps"].note
    assert "install path" in out["apps.third_party_count"].note


def test_unknown_path_leaves_system_unknown_and_count_unknown() -> None:
    pm = [FRAMEWORK,
          {"package": "com.odd", "path": "/mnt/weird/base.apk", "installer": None, "uid": 1}]
    out = built(factset(_pm__packages=pm))
    assert apps_by_name(out)["com.odd"]["system"] is None
    assert out["apps.third_party_count"].value is None


def test_details_win_and_work_profile_apps_are_included() -> None:
    details = {
        "com.whatsapp": {"version": "2.24", "target_sdk": 34, "system": False,
                         "allow_backup": True, "installer": "com.android.vending",
                         "granted": ["android.permission.CAMERA"], "users": [0]},
        "com.example.workonly": {"version": "9", "target_sdk": 34, "system": False,
                                 "allow_backup": False, "installer": None,
                                 "granted": [], "users": [10]},
        "com.example.gone": {"version": "1", "target_sdk": 30, "system": False,
                             "allow_backup": False, "installer": None, "granted": [],
                             "users": []},
    }
    out = built(factset(_pm__packages=PM[:3], _pkg__details=details,
                        _pkg__user_ids=[0, 10]))
    apps = apps_by_name(out)
    assert set(apps) == {"android", "com.android.settings", "com.whatsapp",
                         "com.example.workonly"}
    assert apps["com.whatsapp"]["granted"] == ["android.permission.CAMERA"]
    assert apps["com.example.workonly"]["users"] == [10]
    assert out["users.count"].value == 2  # pm list users unreadable: from dumpsys


def test_special_access_and_unknown_special_sources() -> None:
    facts = factset(_pm__packages=PM, _special__accessibility=["com.whatsapp"],
                    _special__overlay=["com.whatsapp", "com.not.installed"],
                    _special__device_admin=None)
    apps = apps_by_name(built(facts))
    assert apps["com.whatsapp"]["special"] == ["accessibility", "overlay"]
    assert "device_admin" in apps["com.whatsapp"]["special_unknown"]
    assert "accessibility" not in apps["com.whatsapp"]["special_unknown"]


def test_root_indicators_partial_and_unknown() -> None:
    clean = factset(_pm__packages=PM[:3])
    assert built(clean)["root.indicators"].value is None  # su probe missing, nothing found
    su = factset(_root__su_paths=["/system/xbin/su"])
    assert built(su)["root.indicators"].value == ["/system/xbin/su"]
    assert "partial" in built(su)["root.indicators"].note


def test_users_count_not_overwritten_when_known() -> None:
    facts = factset(_pm__packages=PM, users__count=3, _pkg__user_ids=[0])
    assert "users.count" not in built(facts)


def test_demo_capture_end_to_end() -> None:
    capture = Capture()
    for path in DEMO.glob("*.txt"):
        capture.add(ProbeOutput(path.stem, "", path.read_bytes(), 0))
    facts = extract_facts(capture, datetime(2024, 2, 20, tzinfo=UTC))
    apps = {a["package"]: a for a in facts.value("apps")}
    flashlight = apps["com.example.flashlight"]
    assert flashlight["system"] is False
    assert flashlight["installer"] == "com.google.android.packageinstaller"
    assert {"accessibility", "overlay"} <= set(flashlight["special"])
    assert "android.permission.READ_SMS" in flashlight["granted"]
    assert flashlight["allow_backup"] is True
    assert "install_unknown_apps" in apps["org.mozilla.firefox"]["special"]
    assert {"notification_listener", "usage_access"} <= set(apps["com.example.cleaner"]["special"])
    assert apps["com.google.android.gms"]["system"] is True
    assert facts.value("apps.third_party_count") == 4
    assert facts.value("os.gms") is True
    assert facts.value("os.play_system_update") == "2024-01-01"
    assert facts.value("users.count") == 1
    assert facts.value("root.indicators") == []
    assert len(apps) >= 16
