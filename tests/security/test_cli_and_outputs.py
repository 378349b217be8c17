"""Items 11–15: one plain line and exit 2/3 for any bad input (never a traceback, never
exit 1); device text never restyles, clears or writes to the terminal; every report
format holds hostile strings; nothing checked is never "Hardened"; messages tell the truth
and long device strings are cut."""

from __future__ import annotations

import csv
import io
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rich.console import Console

from droidaudit.capture import ProbeOutput
from droidaudit.pipeline.options import RuleSet, ScanOptions, load_ruleset
from droidaudit.pipeline.scan import evaluate_capture
from droidaudit.report.console import print_summary
from droidaudit.report.formats import FORMATS
from droidaudit.report.model import posture
from droidaudit.rules.model import Finding
from droidaudit.rules.waivers import load_waivers
from tests.security.conftest import DEMO, demo, only_folder, run

HOSTILE = ("[/] [bold red]HARDENED[/bold red] \x1b[2J\x1b[H fake \x1b]52;c;Y3VybCBldmlsCg==\x07 "
           "<script>alert(1)</script> {{7*7}} \x00\x08\u202e end")


# -- item 11 --------------------------------------------------------------------------------

def _capture_with_manifest(tmp_path: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    folder = tmp_path / "cap"
    shutil.copytree(DEMO, folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    edit(manifest)
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


MANIFEST_EDITS = {
    "probes is a list": lambda m: m.update(probes=[]),
    "device is a list": lambda m: m.update(device=[1]),
    "format is a list": lambda m: m.update(format=["x"]),
}


@pytest.mark.parametrize("edit", sorted(MANIFEST_EDITS))
def test_malformed_manifest_types_are_one_line_exit_2(tmp_path: Path, edit: str) -> None:
    folder = _capture_with_manifest(tmp_path, MANIFEST_EDITS[edit])
    code, output = run("scan", "--capture", str(folder), "--out", str(tmp_path / "o"))
    assert code == 2 and "Traceback" not in output and "unexpected" not in output, output


def test_manifest_seconds_as_text_is_read_not_a_crash(tmp_path: Path) -> None:
    folder = _capture_with_manifest(
        tmp_path, lambda m: m["probes"]["getprop"].update(seconds="abc", exit_code="0"))
    code, output = run("scan", "--capture", str(folder), "--out", str(tmp_path / "o"), "-q")
    assert code == 1 and "Traceback" not in output


DEEP_JSON = "[" * 100_000 + "]" * 100_000


def test_deep_json_and_toml_nesting_are_plain_errors(tmp_path: Path) -> None:
    manifest = tmp_path / "cap" / "manifest.json"
    manifest.parent.mkdir()
    manifest.write_text('{"format": "droidaudit-capture/1", "probes": ' + DEEP_JSON + "}")
    deep_toml = tmp_path / "deep.toml"
    deep_toml.write_text("a = " + DEEP_JSON + "\n")
    deep_ioc = tmp_path / "deep.json"
    deep_ioc.write_text(DEEP_JSON)
    deep_report = tmp_path / "report.json"
    deep_report.write_text('{"format": "droidaudit-report/1", "facts": ' + DEEP_JSON + "}")
    out = str(tmp_path / "o")
    for args in (("scan", "--capture", str(manifest.parent), "--out", out),
                 ("scan", "--capture", str(DEMO), "--rules", str(deep_toml), "--out", out),
                 ("scan", "--capture", str(DEMO), "--waivers", str(deep_toml), "--out", out),
                 ("scan", "--capture", str(DEMO), "--iocs", str(deep_ioc), "--out", out),
                 ("report", str(deep_report), "--out", out)):
        code, output = run(*args)
        assert code == 2 and "unexpected" not in output and "Traceback" not in output, (
            args[1:4], output)


def test_ioc_ids_that_are_lists_are_no_crash(tmp_path: Path) -> None:
    iocs = tmp_path / "iocs.stix2"
    iocs.write_text(json.dumps({"type": "bundle", "objects": [
        {"type": "indicator", "id": ["x"], "pattern": "[app:id = 'com.example.flashlight']"},
        {"type": "relationship", "relationship_type": "indicates", "source_ref": ["x"],
         "target_ref": {"a": 1}}]}))
    code, output = run("scan", "--capture", str(DEMO), "--iocs", str(iocs), "--out",
                       str(tmp_path / "o"), "-q")
    assert code == 1 and "unexpected" not in output


REPORT_EDITS = {
    "facts": lambda d: d.update(facts=[]),
    "findings": lambda d: d.update(findings={}),
    "findings[0]": lambda d: d.update(findings=["x"]),
    "findings[0].evidence": lambda d: d["findings"][0].update(evidence=5),
    "device": lambda d: d.update(device="x"),
    "fact_sources": lambda d: d.update(fact_sources=[1]),
    "findings[0].status": lambda d: d["findings"][0].update(status=["x"]),
    "warnings": lambda d: d.update(warnings=3),
    "findings[0].remediation_oem": lambda d: d["findings"][0].update(remediation_oem=[1]),
}


@pytest.mark.parametrize("field", sorted(REPORT_EDITS))
def test_report_json_with_a_wrong_type_names_the_field(tmp_path: Path, field: str) -> None:
    run("scan", "--capture", str(DEMO), "--out", str(tmp_path / "o"), "-q")
    data = json.loads((only_folder(tmp_path / "o") / "report.json").read_text())
    REPORT_EDITS[field](data)
    damaged = tmp_path / "damaged.json"
    damaged.write_text(json.dumps(data))
    for args in (("report", str(damaged), "--out", str(tmp_path / "r")),
                 ("diff", str(damaged), str(damaged))):
        code, output = run(*args)
        assert code == 2 and f"`{field}" in output and "unexpected" not in output, output


@pytest.mark.parametrize("out", ["afile/sub", "/proc/droidaudit-test"])
def test_out_under_a_file_or_proc_is_exit_2(tmp_path: Path, out: str) -> None:
    (tmp_path / "afile").write_text("x")
    target = str(tmp_path / out) if not out.startswith("/") else out
    code, output = run("scan", "--capture", str(DEMO), "--out", target)
    assert code == 2 and "Traceback" not in output


# -- item 12: the terminal ---------------------------------------------------------------

def _hostile_capture():  # type: ignore[no-untyped-def]
    capture = demo()
    capture.probes["getprop"].data = capture.probes["getprop"].data.replace(
        b"[ro.product.model]: [Pixel 7]", f"[ro.product.model]: [{HOSTILE}]".encode())
    capture.probes["packages_third_party"].data += f"package:{HOSTILE}\n".encode()
    return capture


def _hostile_report():  # type: ignore[no-untyped-def]
    report = evaluate_capture(_hostile_capture(), ScanOptions(), load_ruleset(ScanOptions()))
    report.warnings.append(HOSTILE)
    report.findings.append(Finding(rule="X-1", title=HOSTILE, area=HOSTILE, severity="high",
                                   status="fail", detail=HOSTILE, evidence=(HOSTILE,),
                                   item=HOSTILE))
    return report


def test_console_summary_never_sends_escapes_or_markup(tmp_path: Path) -> None:
    console = Console(record=True, force_terminal=True, markup=False, width=200)
    print_summary(console, _hostile_report(), HOSTILE)
    text = console.export_text(styles=False)
    assert "\x1b[2J" not in text and "\x1b]52" not in text and "\x07" not in text
    assert "\\x1b[2J" in text and "[/]" in text  # shown, escaped, not applied


def test_cli_lines_escape_device_text(tmp_path: Path) -> None:
    folder = tmp_path / "cap"
    shutil.copytree(DEMO, folder)
    getprop = folder / "probes" / "getprop.txt"
    getprop.write_bytes(getprop.read_bytes().replace(
        b"[ro.product.model]: [Pixel 7]", f"[ro.product.model]: [{HOSTILE}]".encode()))
    code, output = run("scan", "--capture", str(folder), "--out", str(tmp_path / "o"))
    code2, diff_output = run("diff", str(DEMO), str(folder))
    for text in (output, diff_output):
        assert "\x1b" not in text and "\x07" not in text and "Traceback" not in text
    assert code == 1 and code2 in (0, 1)
    assert "[/]" in diff_output  # a markup-looking model name does not crash diff


# -- item 13: every format ----------------------------------------------------------------

@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_holds_hostile_strings(fmt: str) -> None:
    _, render = FORMATS[fmt]
    data = render(_hostile_report())
    data.decode("utf-8")  # strict: valid UTF-8
    if fmt == "junit":
        root = ET.fromstring(data)  # well-formed XML
        assert root.tag == "testsuites"
        assert b"\x1b" not in data and b"\x00" not in data
    elif fmt in ("json", "sarif"):
        assert HOSTILE in _all_strings(json.loads(data))  # kept as is, escaped by JSON
    elif fmt == "csv":  # kept as data; no cell a spreadsheet would run as a formula
        cells = [c for row in csv.reader(io.StringIO(data.decode())) for c in row]
        assert any(HOSTILE in c for c in cells)
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    else:  # html
        assert b"<script>alert(1)</script>" not in data and b"&lt;script&gt;" in data
        assert b"{{7*7}}" in data and b">49<" not in data


def _all_strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _all_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _all_strings(v)]
    return []


def test_a_lone_surrogate_from_a_json_import_does_not_break_the_outputs() -> None:
    report = _hostile_report()
    report.warnings.append("bad \ud800 surrogate")
    for _, render in FORMATS.values():
        render(report).decode("utf-8")


# -- item 14: nothing checked is never "Hardened" -----------------------------------------

def test_zero_rules_is_not_hardened_and_says_so() -> None:
    report = evaluate_capture(demo(), ScanOptions(), RuleSet(rules=()))
    assert "Hardened" not in report.summary()["posture"]
    assert any("NOTHING WAS CHECKED" in w for w in report.warnings)
    assert not posture([]).startswith("Hardened")


def test_a_misspelt_fact_is_an_error_never_a_pass(tmp_path: Path) -> None:
    rules = tmp_path / "r.toml"
    rules.write_text('[[rule]]\nid = "X-001"\ntitle = "t"\narea = "debug"\nseverity = "high"\n'
                     'profiles = ["personal"]\ncheck = { not = { fact = "adb.enabeld", '
                     'op = "exists" } }\nrationale = "r"\nremediation = "r"\n')
    code, _ = run("scan", "--capture", str(DEMO), "--rules", str(rules), "--out",
                  str(tmp_path / "o"), "--format", "json", "-q")
    assert code == 0  # an error is no failed check, and no pass either
    report = json.loads((only_folder(tmp_path / "o") / "report.json").read_text())
    assert [f["status"] for f in report["findings"]] == ["error"]
    assert "Hardened" not in report["summary"]["posture"]


def test_a_waiver_for_every_rule_is_loud_and_not_hardened(tmp_path: Path) -> None:
    waivers = tmp_path / "w.toml"
    waivers.write_text('[[waiver]]\nrule = "*"\nreason = "all fine"\nexpires = 2099-01-01\n')
    ruleset = load_ruleset(ScanOptions())
    ruleset = RuleSet(ruleset.rules, tuple(load_waivers(waivers)))
    report = evaluate_capture(demo(), ScanOptions(), ruleset)
    assert any("WAIVER COVERS EVERY RULE" in w for w in report.warnings)
    assert not report.summary()["posture"].startswith("Hardened")


def test_an_offline_input_with_nothing_readable_is_exit_3(tmp_path: Path) -> None:
    folder = tmp_path / "qf"
    folder.mkdir()
    (folder / "getprop.txt").write_text("")
    (folder / "acquisition.json").write_text("{}")
    capture = tmp_path / "cap"
    capture.mkdir()
    (capture / "manifest.json").write_text(json.dumps(
        {"format": "droidaudit-capture/1", "probes": {"getprop": {"error": "timed out"}}}))
    code, output = run("scan", "--capture", str(capture), "--out", str(tmp_path / "o"))
    assert code == 3 and "nothing could be read" in output


# -- item 15: truthful, bounded -----------------------------------------------------------

def test_a_huge_device_string_is_cut_in_every_report() -> None:
    capture = demo()
    capture.probes["getprop"].data = capture.probes["getprop"].data.replace(
        b"[ro.product.model]: [Pixel 7]", b"[ro.product.model]: [" + b"M" * 5_000_000 + b"]")
    capture.add(ProbeOutput("x", "x", b"", 0))
    report = evaluate_capture(capture, ScanOptions(), load_ruleset(ScanOptions()))
    for _, render in FORMATS.values():
        assert len(render(report)) < 2_000_000
