"""The command line end to end on the bundled demo capture: reports, findings in every
area, exit codes, and plain errors instead of tracebacks."""

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from droidaudit.cli import main

DEMO = Path(__file__).parents[2] / "fixtures" / "demo-pixel7-a14"
AREAS = {"mms", "permissions", "patch", "lockscreen", "backup", "debug", "integrity"}


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def only_report(out: Path) -> Path:
    folders = [p for p in out.iterdir() if p.is_dir()]
    assert len(folders) == 1
    return folders[0]


def test_scan_capture_writes_both_reports_with_findings_in_every_area(tmp_path: Path) -> None:
    code, output = run("scan", "--capture", str(DEMO), "--out", str(tmp_path))
    assert code == 1, output  # the demo phone has high-severity failures
    folder = only_report(tmp_path)
    report = json.loads((folder / "report.json").read_text())
    html = (folder / "report.html").read_text()
    assert "report.html" in output
    failing_areas = {f["area"] for f in report["findings"] if f["status"] == "fail"}
    assert {"patch", "lockscreen", "permissions", "backup"} <= failing_areas
    assert {f["area"] for f in report["findings"]} >= AREAS
    mms = [f for f in report["findings"] if f["area"] == "mms" and f["status"] == "notchecked"]
    assert mms and "com.google.android.apps.messaging" in json.dumps(mms)
    assert "To check by hand" in html
    assert not any(f["status"] == "pass" and f["rule"].startswith("MMS-00") and
                   "auto" in f["title"].lower() for f in report["findings"])


def test_demo_findings_name_the_sideloaded_flashlight(tmp_path: Path) -> None:
    run("scan", "--capture", str(DEMO), "--out", str(tmp_path))
    report = json.loads((only_report(tmp_path) / "report.json").read_text())
    items = {f["item"] for f in report["findings"] if f["status"] == "fail"}
    assert "com.example.flashlight" in items


def test_fail_on_threshold_sets_exit_code(tmp_path: Path) -> None:
    assert run("scan", "--capture", str(DEMO), "--out", str(tmp_path), "--fail-on", "none",
               "-q")[0] == 0
    assert run("scan", "--capture", str(DEMO), "--out", str(tmp_path), "--fail-on", "critical",
               "-q")[0] in (0, 1)
    assert run("scan", "--capture", str(DEMO), "--out", str(tmp_path), "--fail-on", "low",
               "-q")[0] == 1


def test_rescanning_a_capture_gives_the_same_findings(tmp_path: Path) -> None:
    run("scan", "--capture", str(DEMO), "--out", str(tmp_path / "a"), "-q")
    run("scan", "--capture", str(DEMO), "--out", str(tmp_path / "b"), "-q")
    first = json.loads((only_report(tmp_path / "a") / "report.json").read_text())
    second = json.loads((only_report(tmp_path / "b") / "report.json").read_text())
    assert first["findings"] == second["findings"]
    assert first["facts"] == second["facts"]


def test_demo_prints_the_report_path(tmp_path: Path) -> None:
    code, output = run("demo", "--out", str(tmp_path))
    assert code == 0
    path = Path(output.strip().splitlines()[-1].removeprefix("Report: ").strip())
    assert path.name == "report.html" and path.is_file()


def test_rules_list_shows_every_area() -> None:
    code, output = run("rules", "list")
    assert code == 0
    for prefix in ("MMS-", "PERM-", "PATCH-", "LOCK-", "BACKUP-", "DEBUG-", "INTEG-"):
        assert prefix in output


def test_rules_lint_is_clean() -> None:
    code, output = run("rules", "lint")
    assert code == 0, output


def test_not_a_capture_is_exit_2_without_traceback(tmp_path: Path) -> None:
    code, output = run("scan", "--capture", str(tmp_path))
    assert code == 2
    # the message wraps at the terminal's width wherever the temporary path ends
    assert "Traceback" not in output and "not something droidaudit can read" in " ".join(
        output.split())


def test_unreachable_remote_adb_server_is_exit_3(tmp_path: Path) -> None:
    # 127.0.0.2 is loopback but not "local" to us: we never start a server there.
    code, output = run("devices", "--adb", "127.0.0.2:1")
    assert code == 3
    assert "No adb server answers" in output and "Traceback" not in output


def test_capture_with_a_failed_probe_reports_unknown_not_pass(tmp_path: Path) -> None:
    broken = tmp_path / "cap"
    shutil.copytree(DEMO, broken)
    manifest = json.loads((broken / "manifest.json").read_text())
    manifest["probes"]["dumpsys_lock_settings"]["error"] = "output cut off"
    manifest["probes"]["dumpsys_trust"]["error"] = "output cut off"
    (broken / "manifest.json").write_text(json.dumps(manifest))
    run("scan", "--capture", str(broken), "--out", str(tmp_path / "out"), "-q")
    report = json.loads((only_report(tmp_path / "out") / "report.json").read_text())
    assert report["facts"]["lock.secure"] is None
    secure_rules = [f for f in report["findings"] if "lock.secure" in f["facts"]]
    assert secure_rules and all(f["status"] != "pass" for f in secure_rules)


@pytest.mark.parametrize("args", [["--help"], ["scan", "--help"], ["devices", "--help"]])
def test_help_teaches_with_examples(args: list[str]) -> None:
    code, output = run(*args)
    assert code == 0 and ("Example" in output or "Quick start" in output)


def test_report_rerenders_from_json_and_diff_shows_a_fix(tmp_path: Path) -> None:
    run("scan", "--capture", str(DEMO), "--out", str(tmp_path / "out"), "-q")
    folder = only_report(tmp_path / "out")
    code, output = run("report", str(folder / "report.json"), "--format", "sarif,junit")
    assert code == 0 and (folder / "report.sarif").is_file() and (folder / "report.junit.xml").is_file()
    fixed = tmp_path / "fixed"
    shutil.copytree(DEMO, fixed)
    secure = fixed / "probes" / "settings_secure.txt"
    secure.write_bytes(secure.read_bytes().replace(b"power_button_instantly_locks=0",
                                                   b"power_button_instantly_locks=1"))
    code, output = run("diff", str(folder), str(fixed))
    assert code == 0
    assert "to fix → passed LOCK-" in output and "lock.power_button_locks" in output
    code, output = run("diff", str(fixed), str(folder))
    assert code == 1  # a check newly fails
