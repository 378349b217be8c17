"""The screen-reading record → facts: any SIM on is on, off only when every SIM in service
was read off, the disabled roaming twin, and unknown with the reason otherwise."""

from __future__ import annotations

from pathlib import Path

from droidaudit.parsers.mms_screen import Reading, read_screen
from droidaudit.parsers.ui_dump import parse_dump
from droidaudit.parsers.ui_mms import parse_record, parse_ui_mms, render_record
from droidaudit.ui_labels import load_table

DATA = Path(__file__).parents[1] / "data" / "ui_mms"
TABLE = load_table()
AT = "2026-12-07T01:30:00Z"


def reading(name: str, package: str = "com.android.messaging") -> Reading:
    text = (DATA / f"{name}.txt").read_text(encoding="utf-8")
    return read_screen(parse_dump(text), package, TABLE)


def facts(*names: str, sims: int = 1, package: str = "com.android.messaging") -> dict:
    record = render_record([(AT, reading(n, package)) for n in names], package, sims, "en-US")
    return {f.name: f for f in parse_ui_mms(record.decode())}


def test_on_and_off_are_read_with_source_time_and_evidence() -> None:
    got = facts("aosp-messaging-en-on-off")
    assert got["mms.auto_retrieve"].value is True
    assert got["mms.auto_retrieve_roaming"].value is False
    assert got["mms.auto_retrieve_source"].value == "screen"
    assert got["mms.auto_retrieve_read_at"].value == AT
    assert got["mms.ui_probe_status"].value == "read"
    assert '"Auto-retrieve" switch on [android:id/checkbox]' in got["mms.auto_retrieve"].evidence[0]


def test_a_disabled_roaming_switch_under_auto_off_is_off_in_effect() -> None:
    got = facts("aosp-messaging-en-off-dependent")
    assert got["mms.auto_retrieve"].value is False
    assert got["mms.auto_retrieve_roaming"].value is False
    assert "shown disabled" in got["mms.auto_retrieve_roaming"].evidence[0]


def test_dual_sim_off_needs_both_sims_read() -> None:
    assert facts("aosp-messaging-sim1-off-off", sims=2)["mms.auto_retrieve"].value is None
    assert "other_sim_unread" in facts("aosp-messaging-sim1-off-off", sims=2)[
        "mms.auto_retrieve"].note
    # the same screen read twice is still one SIM
    twice = facts("aosp-messaging-sim1-off-off", "aosp-messaging-sim1-off-off", sims=2)
    assert twice["mms.auto_retrieve"].value is None
    both = facts("aosp-messaging-sim1-off-off", "aosp-messaging-sim2-on-off", sims=2)
    assert both["mms.auto_retrieve"].value is True  # any SIM on → on
    assert both["mms.auto_retrieve_roaming"].value is False


def test_two_sims_on_one_screen_cover_both() -> None:
    got = facts("samsung-en-dual-off-off", sims=2, package="com.samsung.android.messaging")
    assert got["mms.auto_retrieve"].value is False
    got = facts("samsung-en-dual-off-on", sims=2, package="com.samsung.android.messaging")
    assert got["mms.auto_retrieve"].value is True


def test_a_failed_reading_leaves_the_facts_unknown_with_its_reason() -> None:
    got = facts("lockscreen")
    assert got["mms.auto_retrieve"].value is None
    assert got["mms.ui_probe_status"].value == "phone_locked"
    assert "mms.auto_retrieve_source" not in got


def test_the_record_keeps_no_screen_text() -> None:
    record = render_record([(AT, reading("aosp-messaging-conversations"))],
                           "com.android.messaging", 1, "en").decode()
    assert "123456" not in record and "Bank" not in record
    _, readings = parse_record(record)
    assert readings[0][1].reason == "label_not_found"


def test_a_hostile_or_foreign_record_is_unknown() -> None:
    for text in ("", "<x/>", '<!DOCTYPE a><ui-mms format="droidaudit-ui-mms/1"/>'):
        got = {f.name: f for f in parse_ui_mms(text)}
        assert got["mms.auto_retrieve"].value is None
        assert got["mms.ui_probe_status"].value == "unreadable_record"
