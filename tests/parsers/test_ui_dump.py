"""uiautomator dump output → tree or reason: framing, every failure the study lists, and
hostile XML refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from droidaudit.parsers.ui_dump import MAX_DUMP_BYTES, frame, parse_dump
from droidaudit.ui_labels import load_table

TABLE = load_table()

DATA = Path(__file__).parents[1] / "data" / "ui_mms"


def out(name: str) -> str:
    return (DATA / f"{name}.txt").read_text(encoding="utf-8")


def test_a_dump_parses_to_the_active_windows_tree() -> None:
    dump = parse_dump(out("aosp-messaging-en-on-off"))
    assert dump.reason == "" and dump.package == "com.android.messaging"
    checkboxes = [n for n in dump.root.walk() if n.checkable] if dump.root else []
    assert [n.checked for n in checkboxes] == [True, False]


def test_framing_drops_the_status_line_and_a_vendor_warning() -> None:
    xml, noise = frame(out("out-vendor-warning"))
    assert xml.startswith("<?xml") and xml.endswith("</hierarchy>")
    assert "user_cpu_freq" in noise and "dumped to" in noise
    assert parse_dump(out("out-vendor-warning")).package == "com.android.messaging"


def test_crlf_from_an_old_pty_and_the_windows_form_parse() -> None:
    assert parse_dump(out("out-crlf")).package == "com.android.messaging"
    assert parse_dump(out("out-windows")).package == "com.android.messaging"


@pytest.mark.parametrize(("name", "reason", "retry"), [
    ("out-not-idle", "ui_not_idle", True),
    ("out-null-root", "no_active_window", True),
    ("out-busy", "ui_automation_busy", False),
    ("out-killed", "dump_killed", False),
    ("out-status-only", "no_xml_output", False),
    ("out-missing", "uiautomator_missing", False),
    ("out-truncated", "truncated_xml", True),
    ("out-doctype", "xml_refused", False),
])
def test_each_failure_has_its_reason(name: str, reason: str, retry: bool) -> None:
    dump = parse_dump(out(name))
    assert dump.root is None
    assert (dump.reason, dump.retry) == (reason, retry)


def test_empty_and_oversized_output_are_refused() -> None:
    assert parse_dump("").reason == "no_xml_output"
    assert parse_dump("x" * (MAX_DUMP_BYTES + 1)).reason == "dump_too_large"


def test_malformed_xml_is_a_reason_not_an_exception() -> None:
    text = "<?xml version='1.0' ?><hierarchy><node text=\"a</hierarchy>"
    assert parse_dump(text).reason in ("malformed_xml", "truncated_xml")


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gives_a_tree_or_a_reason_never_an_exception(text: str) -> None:
    from droidaudit.parsers.mms_screen import read_screen

    for candidate in (text, out("aosp-messaging-en-on-off")[:200] + text,
                      out("aosp-messaging-en-on-off").replace("Auto-retrieve", text[:40])):
        dump = parse_dump(candidate)
        assert dump.root is not None or dump.reason
        reading = read_screen(dump, "com.android.messaging", TABLE)
        assert reading.reason or reading.of("auto")
