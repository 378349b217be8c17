"""What a technician hands over: the header and sign-off name client and technician, the
demo leaves a capture a person can rescan, --redact leaves no serial or e-mail anywhere in
the folder (name, every format, the capture), --no-capture writes none, and the console
says what was kept."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from droidaudit.cli import main

DEMO = Path(__file__).parents[2] / "fixtures" / "demo-pixel7-a14"
SERIAL = "28021FDH2000XK"
ALL_FORMATS = "html,json,sarif,junit,csv"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def only_folder(out: Path) -> Path:
    (folder,) = [p for p in out.iterdir() if p.is_dir()]
    return folder


def test_demo_writes_a_capture_that_scan_capture_reads(tmp_path: Path) -> None:
    code, output = run("demo", "--out", str(tmp_path / "a"))
    assert code == 0, output
    folder = only_folder(tmp_path / "a")
    assert (folder / "manifest.json").is_file() and (folder / "probes" / "getprop.txt").is_file()
    code, output = run("scan", "--capture", str(folder), "--out", str(tmp_path / "b"))
    assert code == 1, output  # the README's next step works: the demo phone has failures
    assert "source: a saved capture" in (folder / "report.html").read_text()


def test_client_technician_and_note_in_header_sign_off_and_json(tmp_path: Path) -> None:
    code, output = run("scan", "--capture", str(DEMO), "--out", str(tmp_path),
                       "--client", "Ms. Client", "--technician", "A. Tech",
                       "--note", "Brought in for a check-up")
    assert code == 1, output
    folder = only_folder(tmp_path)
    html = (folder / "report.html").read_text()
    assert "Ms. Client" in html and "A. Tech" in html and "Brought in for a check-up" in html
    assert "Sign-off" in html
    handover = json.loads((folder / "report.json").read_text())["handover"]
    assert handover == {"client": "Ms. Client", "technician": "A. Tech",
                        "note": "Brought in for a check-up"}


def test_redact_leaves_no_serial_anywhere_in_the_folder(tmp_path: Path) -> None:
    named_after_serial = tmp_path / f"{SERIAL}-20240620T092958Z"
    shutil.copytree(DEMO, named_after_serial)
    out = tmp_path / "out"
    code, output = run("scan", "--capture", str(named_after_serial), "--out", str(out),
                       "--format", ALL_FORMATS, "--redact")
    assert code == 1, output
    folder = only_folder(out)
    assert SERIAL not in folder.name
    written = [p for p in folder.rglob("*") if p.is_file()]
    assert {p.name for p in written} >= {"report.html", "report.json", "report.sarif",
                                         "report.junit.xml", "report.csv", "manifest.json"}
    for path in written:
        assert SERIAL not in path.read_text(errors="replace"), path
    assert "redacted the same way" in output  # the console says what was kept


def test_no_capture_writes_only_the_reports(tmp_path: Path) -> None:
    code, output = run("scan", "--capture", str(DEMO), "--out", str(tmp_path), "--redact",
                       "--no-capture")
    assert code == 1, output
    folder = only_folder(tmp_path)
    assert not (folder / "manifest.json").exists() and not (folder / "probes").exists()
    assert {"report.html", "report.json"} <= {p.name for p in folder.iterdir()}
    assert "no capture was written" in output


def test_a_scan_cut_short_says_so_first_everywhere(tmp_path: Path) -> None:
    cut = tmp_path / "cut"
    shutil.copytree(DEMO, cut)
    manifest = json.loads((cut / "manifest.json").read_text())
    manifest["probes"]["dumpsys_package"]["error"] = "the phone stopped answering after 1 packet"
    (cut / "manifest.json").write_text(json.dumps(manifest))
    code, output = run("scan", "--capture", str(cut), "--out", str(tmp_path / "out"))
    assert code == 3 and output.startswith("Scan incomplete")  # a device problem, not a pass
    folder = only_folder(tmp_path / "out")
    report = json.loads((folder / "report.json").read_text())
    assert report["summary"]["posture"].startswith("Scan incomplete")
    assert report["summary"]["complete"] is False and report["incomplete"]
    html = (folder / "report.html").read_text()
    body = html[html.index("<body"):]
    assert body.index("This scan is incomplete") < body.index("Do these first")
    assert "No problems found" not in html
