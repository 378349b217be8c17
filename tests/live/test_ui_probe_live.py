"""`scan --ui-probe` through the REAL adb server to virtual phones showing scripted screens:
the right fact for each app and language, unknown with a reason for each failure, only the
screen-reading group's commands (nothing that taps, types or toggles), the plain `shell:`
service for the dump, and the record re-evaluated offline to the same facts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from droidaudit.cli import main
from droidaudit.probes import is_read_only
from droidaudit.ui_labels import load_table
from droidaudit.ui_probes import ui_commands
from droidaudit.vphone.rig import AdbRig, bundled_adb, debian_adb
from tests.live.ui_phone import ANDROID6, step, ui_phone

MSG, GOOGLE = "com.android.messaging", "com.google.android.apps.messaging"
SAMSUNG, MMS = "com.samsung.android.messaging", "com.android.mms"
AOSP_OPEN = f"{MSG}/.ui.appsettings.ApplicationSettingsActivity"
FOCUS = f"{MSG}/.ui.appsettings.PerSubscriptionSettingsActivity"
FAST = ["--timeout", "60", "--idle-timeout", "10", "--ui-timeout", "8", "-q"]
FORBIDDEN = ("input tap", "input swipe", "input text", "am broadcast", "cmd statusbar",
             "settings put")


@pytest.fixture(scope="module")
def adb_binary() -> str:
    """One real adb server (adbutils' bundled 36.x) for this module: both binaries pass
    the same `shell:` service through, and each screen script costs seconds of polling."""
    path = bundled_adb() or debian_adb()
    if path is None:
        pytest.skip("no adb binary")
    return path


def scan(rig: AdbRig, serial: str, out: Path, *extra: str) -> tuple[int, dict, Path]:
    result = CliRunner().invoke(main, ["scan", "--adb", f"{rig.host}:{rig.port}", "--serial",
                                       serial, "--out", str(out), "--ui-probe", *FAST, *extra])
    folder = next(p for p in out.iterdir() if p.is_dir())
    return result.exit_code, json.loads((folder / "report.json").read_text()), folder


def checked(rig: AdbRig, serial: str, dumped: bool = True) -> list[str]:
    """The commands the phone got beyond the first scan: all from the screen-reading group;
    the dump only over plain shell:."""
    phone = rig.phone(serial)
    allowed = set(ui_commands(load_table()))
    ui = [c for c in phone.command_log if c in allowed]
    assert phone.write_attempts == []
    assert not [c for c in phone.command_log if c.startswith(FORBIDDEN)]
    for command in phone.command_log:
        assert is_read_only(command) or command in allowed, command
    dumps = [s for s in phone.services if "uiautomator" in s]
    assert bool(dumps) == dumped
    assert all(s == "shell:uiautomator dump /dev/tty" for s in dumps)
    return ui


CASES = [
    # (case, package, locale, sims, steps, auto, roaming)
    ("aosp-en", MSG, "en-US", "LOADED", [step("aosp-messaging-settings"),
                                         step("aosp-messaging-en-on-off")], True, False),
    ("aosp-de", MSG, "de-DE", "LOADED", [step("aosp-messaging-de-off-off")], False, False),
    ("aosp-zh", MSG, "zh-CN", "LOADED", [step("aosp-messaging-zh-CN-on-off")], True, False),
    ("aosp-dependent", MSG, "en-US", "LOADED", [step("aosp-messaging-en-off-dependent")],
     False, False),
    ("aosp-dual", MSG, "en-US", "LOADED,LOADED", [step("aosp-messaging-sim1-off-off"),
                                                  step("aosp-messaging-sim2-on-off")], True, False),
    ("legacy-mms-de", MMS, "de-DE", "LOADED", [step("aosp-mms-de-on-off")], True, False),
    ("miui-zh", MMS, "zh-CN", "LOADED", [step("miui-zh-CN-on-off")], True, False),
    ("miui-en", MMS, "en-US", "LOADED", [step("miui-en-off-off")], False, False),
    ("google-en", GOOGLE, "en-US", "LOADED", [step("google-settings"),
                                              step("google-en-on-off")], True, False),
    ("samsung-dual", SAMSUNG, "en-US", "LOADED,LOADED", [step("samsung-en-dual-off-off")],
     False, False),
]


@pytest.mark.parametrize(("case", "package", "locale", "sims", "steps", "auto", "roaming"),
                         CASES, ids=[c[0] for c in CASES])
def test_each_app_and_language_is_read_from_the_screen(
        adb_rig: AdbRig, tmp_path: Path, case: str, package: str, locale: str, sims: str,
        steps: list, auto: bool, roaming: bool) -> None:
    serial = adb_rig.add_phone(ui_phone(tmp_path / "phone", package, steps, locale, sims))
    try:
        code, report, folder = scan(adb_rig, serial, tmp_path / "out")
        assert code in (0, 1)
        facts = report["facts"]
        assert facts["mms.auto_retrieve"] is auto, report["fact_sources"]["mms.auto_retrieve"]
        assert facts["mms.auto_retrieve_roaming"] is roaming
        assert facts["mms.auto_retrieve_source"] == "screen"
        assert facts["mms.ui_probe_status"] == "read"
        assert report["fact_sources"]["mms.auto_retrieve"]["evidence"]
        assert (folder / "probes" / "ui_mms_screen.xml").is_file()
        evidence = report["fact_sources"]["mms.auto_retrieve"]["evidence"][0]
        assert '" switch ' in evidence  # the switch that was read, in JSON and in HTML
        assert evidence.split(": ", 1)[1].replace('"', "&#34;") in (folder / "report.html").read_text()
        ui = checked(adb_rig, serial)
        assert not [c for c in ui if c.startswith(("am ", "input "))]  # no --open
        if package == SAMSUNG:
            assert "content query --uri content://com.android.mms.csc.PreferenceProvider/listall" in ui
        # the same capture, evaluated offline, gives the same facts
        replay = CliRunner().invoke(main, ["scan", "--capture", str(folder), "--out",
                                           str(tmp_path / "replay"), "-q"])
        assert replay.exit_code in (0, 1), replay.output
        again = json.loads(next((tmp_path / "replay").iterdir()).joinpath("report.json").read_text())
        assert again["facts"] == facts
    finally:
        adb_rig.remove_phone(serial)


FAILURES = [
    ("locked", [step("lockscreen", keyguard=True)], "phone_locked"),
    ("screen-off", [step("aosp-messaging-en-on-off", power="Asleep")], "screen_off"),
    ("other-app", [step("other-app")], "wrong_screen"),
    ("wrong-screen-in-app", [step("aosp-messaging-conversations")], "label_not_found"),
    ("not-idle", [step("out-not-idle", focus=FOCUS)], "ui_not_idle"),
    ("busy", [step("out-busy", focus=FOCUS)], "ui_automation_busy"),
    ("status-only", [step("out-status-only", focus=FOCUS)], "no_xml_output"),
    ("ambiguous", [step("ambiguous-two-switches")], "ambiguous_switch"),
    ("one-of-two-sims", [step("aosp-messaging-sim1-off-off")], "read"),
]


@pytest.mark.parametrize(("case", "steps", "status"), FAILURES, ids=[f[0] for f in FAILURES])
def test_each_failure_leaves_mms_unknown_with_its_reason(
        adb_rig: AdbRig, tmp_path: Path, case: str, steps: list, status: str) -> None:
    sims = "LOADED,LOADED" if case == "one-of-two-sims" else "LOADED"
    serial = adb_rig.add_phone(ui_phone(tmp_path / "phone", MSG, steps, sims=sims))
    try:
        _, report, folder = scan(adb_rig, serial, tmp_path / "out", "--ui-timeout", "3")
        facts = report["facts"]
        assert facts["mms.auto_retrieve"] is None
        assert facts["mms.ui_probe_status"] == status
        assert report["facts"]["mms.auto_retrieve_source"] != "screen"
        record = (folder / "probes" / "ui_mms_screen.xml").read_text()
        assert "123456" not in record  # nothing of the conversation list is kept
        # the lock screen, a sleeping screen, another app in front: seen before any dump
        checked(adb_rig, serial,
                dumped=status not in ("phone_locked", "screen_off", "wrong_screen"))
    finally:
        adb_rig.remove_phone(serial)


def test_open_starts_only_an_exported_screen_and_leaves_it(adb_rig: AdbRig,
                                                          tmp_path: Path) -> None:
    steps = [step("aosp-messaging-conversations"), step("aosp-messaging-settings"),
             step("aosp-messaging-en-off-on")]
    phone = ui_phone(tmp_path / "phone", MSG, steps, start={AOSP_OPEN: 1})
    serial = adb_rig.add_phone(phone)
    try:
        _, report, _ = scan(adb_rig, serial, tmp_path / "out", "--open")
        assert report["facts"]["mms.auto_retrieve"] is False
        assert report["facts"]["mms.auto_retrieve_roaming"] is True
        assert adb_rig.phone(serial).ui_actions == [
            f"am start -W -a android.intent.action.MAIN -n {AOSP_OPEN} --ez top_level_settings true",
            "input keyevent KEYCODE_HOME"]
        checked(adb_rig, serial)
    finally:
        adb_rig.remove_phone(serial)


def test_open_refused_by_the_phone_is_said_and_nothing_else_is_tried(
        adb_rig: AdbRig, tmp_path: Path) -> None:
    serial = adb_rig.add_phone(ui_phone(tmp_path / "phone", MSG, [step("aosp-messaging-en-on-off")]))
    try:
        _, report, _ = scan(adb_rig, serial, tmp_path / "out", "--open")
        assert report["facts"]["mms.auto_retrieve"] is True
        actions = adb_rig.phone(serial).ui_actions
        assert len(actions) == 1 and actions[0].startswith("am start")  # no HOME: not opened
    finally:
        adb_rig.remove_phone(serial)


def test_the_dump_over_shell_v2_shows_only_the_status_line(adb_rig: AdbRig,
                                                           tmp_path: Path) -> None:
    serial = adb_rig.add_phone(ui_phone(tmp_path / "phone", MSG, [step("aosp-messaging-en-on-off")]))
    try:
        device = adb_rig.client().device(serial)
        v2 = device.shell2("uiautomator dump /dev/tty", v2=True)
        assert v2.output.strip() == "UI hierchary dumped to: /dev/tty"
        plain = device.shell("uiautomator dump /dev/tty")
        assert plain.startswith("<?xml") and plain.endswith("dumped to: /dev/tty")
        # exec: is a socketpair after setsid() on the phone (adbd kRaw): no /dev/tty either
        conn = device.open_transport()
        try:
            conn.send_command("exec:uiautomator dump /dev/tty")
            conn.check_okay()
            assert conn.read_until_close().strip() == "UI hierchary dumped to: /dev/tty"
        finally:
            conn.close()
    finally:
        adb_rig.remove_phone(serial)


def test_android_6_reads_through_its_crlf_pty(adb_rig: AdbRig, tmp_path: Path) -> None:
    """Before Android 7, `shell:` is a cooked PTY (LF becomes CRLF) and the SMS app comes
    from settings secure (no `cmd role`): the same reading."""
    phone = ui_phone(tmp_path / "phone", GOOGLE, [step("google-en-off-off")], base=ANDROID6)
    serial = adb_rig.add_phone(phone)
    try:
        _, report, _ = scan(adb_rig, serial, tmp_path / "out")
        assert report["facts"]["mms.default_sms_app"] == GOOGLE
        assert report["facts"]["mms.auto_retrieve"] is False
        assert report["facts"]["mms.auto_retrieve_roaming"] is False
        checked(adb_rig, serial)
    finally:
        adb_rig.remove_phone(serial)
