"""droidaudit scanning through the REAL adb server (adbutils' bundled 36.x and Debian's
29.0.6) to virtual phones that speak adbd's wire protocol: the same facts and findings as
the capture, byte-identical replay, no write command ever, and every fault ending in a
plain message and exit code 3 within a bounded time, never a false pass."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from click.testing import CliRunner

from droidaudit.capture import Capture
from droidaudit.cli import main
from droidaudit.pipeline.options import ScanOptions, load_ruleset
from droidaudit.pipeline.scan import evaluate_capture
from droidaudit.probes import mms_prefs_probes
from droidaudit.report.json_report import report_dict
from droidaudit.vphone.rig import AdbRig

ROOT = Path(__file__).parents[2]
DEMO = ROOT / "fixtures" / "demo-pixel7-a14"
ANDROID6 = Path(__file__).parent / "data" / "android6-nexus5x"
FAST = ["--timeout", "20", "--idle-timeout", "3"]


def cli(rig: AdbRig, *args: str) -> tuple[int, str, float]:
    started = time.monotonic()
    result = CliRunner().invoke(main, [*args[:1], "--adb", f"{rig.host}:{rig.port}", *args[1:]])
    return result.exit_code, result.output, time.monotonic() - started


def report_of(out: Path) -> tuple[Path, dict]:
    folder = next(p for p in out.iterdir() if p.is_dir())
    return folder, json.loads((folder / "report.json").read_text())


def no_writes(rig: AdbRig, serial: str) -> None:
    phone = rig.phone(serial)
    assert phone.write_attempts == []
    assert phone.command_log, "the phone received no command at all"


def test_devices_shows_ready_and_unauthorized_phones(adb_rig: AdbRig) -> None:
    good = adb_rig.add_phone(DEMO)
    locked = adb_rig.add_phone(DEMO, faults=["unauthorized"], wait_for="unauthorized")
    try:
        code, output, _ = cli(adb_rig, "devices")
        assert code == 0
        lines = {line.split()[1]: line for line in output.splitlines() if line.strip()}
        assert lines[good].startswith("device")
        # the advice wraps at the terminal's width: read it as words
        assert lines[locked].startswith("unauthorized")
        assert "Allow USB debugging" in " ".join(output.split())
    finally:
        adb_rig.remove_phone(good)
        adb_rig.remove_phone(locked)


def test_live_scan_equals_the_capture_and_replays_byte_identical(adb_rig: AdbRig,
                                                                  tmp_path: Path) -> None:
    serial = adb_rig.add_phone(DEMO)
    try:
        code, output, _ = cli(adb_rig, "scan", "--serial", serial, "--out", str(tmp_path / "live"),
                              "-q", *FAST)
        assert code == 1, output  # the demo phone fails high-severity checks
        folder, live = report_of(tmp_path / "live")
        demo = Capture.load(DEMO)
        saved = Capture.load(folder)
        for name, probe in demo.probes.items():
            assert saved.probes[name].data == probe.data, name
            assert saved.probes[name].exit_code == probe.exit_code, name
        # The same capture evaluated offline gives the same facts and findings.
        replay = CliRunner().invoke(main, ["scan", "--capture", str(folder), "--out",
                                           str(tmp_path / "replay"), "-q"])
        _, offline = report_of(tmp_path / "replay")
        assert replay.exit_code == 1
        assert offline["facts"] == live["facts"]
        assert offline["findings"] == live["findings"]
        # ... and so does the bundled capture itself, evaluated at the live scan's time.
        demo.started, demo.finished = saved.started, saved.finished
        direct = evaluate_capture(demo, ScanOptions(), load_ruleset(ScanOptions()))
        assert report_dict(direct)["facts"] == live["facts"]
        assert report_dict(direct)["findings"] == live["findings"]
        no_writes(adb_rig, serial)
    finally:
        adb_rig.remove_phone(serial)


def test_live_scan_makes_two_shell_round_trips(adb_rig: AdbRig, tmp_path: Path) -> None:
    serial = adb_rig.add_phone(DEMO)
    try:
        before = len(adb_rig.phone(serial).services)
        cli(adb_rig, "scan", "--serial", serial, "--out", str(tmp_path), "-q", *FAST)
        shells = [s for s in adb_rig.phone(serial).services[before:] if s.startswith("shell")]
        assert len(shells) == 2  # one batch of small probes, one streamed dumpsys package
    finally:
        adb_rig.remove_phone(serial)


def test_dropped_connection_mid_scan_is_exit_3_with_partial_capture(adb_rig: AdbRig,
                                                                     tmp_path: Path) -> None:
    serial = adb_rig.add_phone(DEMO, faults=["drop-after:5000"])
    try:
        code, output, seconds = cli(adb_rig, "scan", "--serial", serial, "--out", str(tmp_path),
                                    *FAST)
        assert code == 3, output
        assert "stopped answering" in output and "Traceback" not in output
        assert seconds < 30
        folder, report = report_of(tmp_path)
        manifest = json.loads((folder / "manifest.json").read_text())
        failed = [n for n, p in manifest["probes"].items() if p["error"]]
        assert failed, "the probes that were cut off must be marked"
        assert manifest["probes"]["getprop"]["error"] == ""  # read before the drop
        assert report["facts"]["lock.secure"] is None
        unread = {"lock.secure", "lock.credential", "backup.transport", "apps"}
        for finding in report["findings"]:
            if unread & set(finding["facts"]):
                assert finding["status"] != "pass", finding["rule"]
        no_writes(adb_rig, serial)
    finally:
        adb_rig.remove_phone(serial)


def test_phone_that_never_answers_a_command_is_exit_3_within_the_watchdog(
        adb_rig: AdbRig, tmp_path: Path) -> None:
    serial = adb_rig.add_phone(DEMO, faults=["hang-open"])
    try:
        code, output, seconds = cli(adb_rig, "scan", "--serial", serial, "--out", str(tmp_path),
                                    "--timeout", "8", "--idle-timeout", "2")
        assert code == 3, output
        assert seconds < 15  # the watchdog, not adbutils' 600 s default
        _, report = report_of(tmp_path)
        assert not any(f["status"] == "pass" for f in report["findings"])
    finally:
        adb_rig.remove_phone(serial)


def test_unauthorized_phone_is_exit_3_with_the_rsa_hint(adb_rig: AdbRig, tmp_path: Path) -> None:
    serial = adb_rig.add_phone(DEMO, faults=["unauthorized"], wait_for="unauthorized")
    try:
        code, output, seconds = cli(adb_rig, "scan", "--serial", serial, "--out", str(tmp_path),
                                    *FAST)
        assert code == 3 and "Allow USB debugging" in output and seconds < 10
        assert not list(tmp_path.iterdir())  # nothing was read, no report pretends otherwise
    finally:
        adb_rig.remove_phone(serial)


def test_slow_phone_still_scans(adb_rig: AdbRig, tmp_path: Path) -> None:
    serial = adb_rig.add_phone(DEMO, faults=["latency:20"])
    try:
        code, output, _ = cli(adb_rig, "scan", "--serial", serial, "--out", str(tmp_path), "-q",
                              *FAST)
        assert code == 1, output
    finally:
        adb_rig.remove_phone(serial)


def test_android6_phone_without_shell_v2_or_cmd_still_scans(adb_rig: AdbRig,
                                                            tmp_path: Path) -> None:
    serial = adb_rig.add_phone(ANDROID6)
    try:
        code, output, _ = cli(adb_rig, "scan", "--serial", serial, "--out", str(tmp_path), "-q",
                              *FAST)
        assert code in (0, 1), output
        folder, report = report_of(tmp_path)
        assert report["facts"]["os.sdk"] == 23
        assert report["facts"]["mms.default_sms_app"] == "com.google.android.apps.messaging"
        sources = report["fact_sources"]["mms.default_sms_app"]
        assert sources["probe"] == "settings_secure"  # `cmd role` is absent: the fallback
        manifest = json.loads((folder / "manifest.json").read_text())
        assert manifest["probes"]["sms_role"]["exit_code"] == 127
        assert report["facts"]["lock.credential"] is None  # Android 6 prints no credential
        assert any(f["status"] in ("unknown", "notchecked") for f in report["findings"])
        # the old PTY turned \n into \r\n: the capture keeps it, the parsers read through it
        assert b"\r\n" in (folder / "probes" / "getprop.txt").read_bytes()
        no_writes(adb_rig, serial)
    finally:
        adb_rig.remove_phone(serial)


def test_several_phones_scan_in_parallel_and_one_fault_stalls_none(adb_rig: AdbRig,
                                                                    tmp_path: Path) -> None:
    good = [adb_rig.add_phone(DEMO) for _ in range(3)]
    bad = adb_rig.add_phone(DEMO, faults=["hang-open"])
    try:
        code, _, seconds = cli(adb_rig, "scan", "--all", "--out", str(tmp_path),
                                    "--timeout", "8", "--idle-timeout", "2")
        assert code == 3  # one phone failed
        assert seconds < 20
        reports = [p for p in tmp_path.iterdir() if p.is_dir() and not p.name.startswith("fleet")]
        assert len(reports) == 4
        index = next(tmp_path.glob("fleet-*/index.html")).read_text()
        assert all(serial in index for serial in good)
        csv = next(tmp_path.glob("fleet-*/fleet.csv")).read_text()
        assert csv.count("\n") == 5
    finally:
        for serial in [*good, bad]:
            adb_rig.remove_phone(serial)


def test_phone_that_never_completes_the_handshake_is_exit_3(adb_rig: AdbRig,
                                                             tmp_path: Path) -> None:
    serial = adb_rig.add_phone(DEMO, faults=["hang"], wait_for=None, timeout=1)
    try:
        code, output, seconds = cli(adb_rig, "scan", "--serial", serial, "--out", str(tmp_path),
                                    *FAST)
        assert code == 3 and seconds < 10 and "Traceback" not in output
        assert serial in output
    finally:
        adb_rig.remove_phone(serial)



def rooted_capture(tmp_path: Path) -> Path:
    """The demo phone, rooted, with AOSP Mms as its SMS app and its preferences file."""
    target = tmp_path / "rooted"
    shutil.copytree(DEMO, target)
    probes = target / "probes"
    (probes / "which_su.txt").write_bytes(b"/system/xbin/su\n")
    (probes / "sms_role.txt").write_bytes(b"com.android.mms\n")
    secure = probes / "settings_secure.txt"
    secure.write_bytes(secure.read_bytes().replace(b"com.google.android.apps.messaging",
                                                   b"com.android.mms"))
    prefs = ROOT / "tests" / "parsers" / "fixtures" / "mms_prefs" / \
        "aosp-mms-android7_com.android.mms_preferences.xml"
    (probes / "mms_prefs_legacy.txt").write_bytes(prefs.read_bytes())
    manifest = json.loads((target / "manifest.json").read_text())
    manifest["probes"]["which_su"]["exit_code"] = 0
    [probe] = mms_prefs_probes("com.android.mms")
    manifest["probes"]["mms_prefs_legacy"] = {"command": probe.command, "exit_code": 0,
                                              "file": "probes/mms_prefs_legacy.txt",
                                              "bytes": 0, "seconds": 0.1, "error": ""}
    (target / "manifest.json").write_text(json.dumps(manifest))
    return target


def test_use_root_reads_mms_auto_retrieve_through_the_live_path(adb_rig: AdbRig,
                                                                 tmp_path: Path) -> None:
    serial = adb_rig.add_phone(rooted_capture(tmp_path))
    try:
        code, output, _ = cli(adb_rig, "scan", "--serial", serial, "--out", str(tmp_path / "o"),
                              "-q", "--use-root", *FAST)
        assert code == 1, output
        folder, report = report_of(tmp_path / "o")
        assert report["facts"]["mms.auto_retrieve_source"] == "root-prefs"
        assert isinstance(report["facts"]["mms.auto_retrieve"], bool)
        assert (folder / "probes" / "mms_prefs_legacy.txt").is_file()
        mms = [f for f in report["findings"] if f["rule"] == "MMS-001"]
        assert mms and mms[0]["status"] in ("pass", "fail")
        no_writes(adb_rig, serial)
        # without consent, su is never used
        code, _, _ = cli(adb_rig, "scan", "--serial", serial, "--out", str(tmp_path / "n"),
                         "-q", *FAST)
        assert not any(c.startswith("su") or "su -c" in c
                       for c in adb_rig.phone(serial).command_log[-2:])
        _, plain = report_of(tmp_path / "n")
        assert plain["facts"]["mms.auto_retrieve"] is None
    finally:
        adb_rig.remove_phone(serial)
