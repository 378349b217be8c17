"""A screen → the MMS switches it shows: per app and language, exact labels only, roaming
never read as auto, and a reason (never a value) for anything else."""

from __future__ import annotations

from pathlib import Path

import pytest

from droidaudit.parsers.mms_screen import read_screen
from droidaudit.parsers.ui_dump import parse_dump
from droidaudit.ui_labels import load_table

DATA = Path(__file__).parents[1] / "data" / "ui_mms"
TABLE = load_table()
MSG, GOOGLE = "com.android.messaging", "com.google.android.apps.messaging"
SAMSUNG, MMS = "com.samsung.android.messaging", "com.android.mms"


def read(name: str, package: str, locale: str | None = None):  # type: ignore[no-untyped-def]
    text = (DATA / f"{name}.txt").read_text(encoding="utf-8")
    return read_screen(parse_dump(text), package, TABLE, locale)


@pytest.mark.parametrize(("name", "package", "auto", "roaming"), [
    ("aosp-messaging-en-on-off", MSG, [True], [False]),
    ("aosp-messaging-en-off-on", MSG, [False], [True]),
    ("aosp-messaging-en-on-on", MSG, [True], [True]),
    ("aosp-messaging-de-off-off", MSG, [False], [False]),
    ("aosp-messaging-zh-CN-on-off", MSG, [True], [False]),
    ("aosp-messaging-fr-off-off", MSG, [False], [False]),  # NBSP and a trailing " :"
    ("aosp-mms-de-on-off", MMS, [True], [False]),
    ("miui-en-off-off", MMS, [False], [False]),
    ("miui-zh-CN-on-off", MMS, [True], [False]),
    ("google-en-on-off", GOOGLE, [True], [False]),
    ("samsung-en-dual-off-on", SAMSUNG, [False, True], [False, False]),
])
def test_each_app_and_language_reads_its_switches(name: str, package: str, auto: list[bool],
                                                   roaming: list[bool]) -> None:
    reading = read(name, package)
    assert reading.reason == ""
    assert [r.checked for r in reading.of("auto")] == auto
    assert [r.checked for r in reading.of("roaming")] == roaming


def test_the_disabled_dependent_switch_is_reported_disabled() -> None:
    reading = read("aosp-messaging-en-off-dependent", MSG)
    (roaming,) = reading.of("roaming")
    assert (roaming.checked, roaming.enabled) == (True, False)
    assert roaming.resource_id == "android:id/checkbox"


@pytest.mark.parametrize(("name", "package", "reason"), [
    ("lockscreen", MSG, "phone_locked"),
    ("other-app", MSG, "wrong_screen"),
    ("aosp-messaging-settings", MSG, "label_not_found"),
    ("aosp-messaging-conversations", MSG, "label_not_found"),
    ("ambiguous-two-switches", MSG, "ambiguous_switch"),
    ("google-en-on-off", "org.example.sms", "wrong_screen"),
    ("out-not-idle", MSG, "ui_not_idle"),
])
def test_anything_else_is_a_reason_without_a_value(name: str, package: str, reason: str) -> None:
    reading = read(name, package)
    assert reading.reason == reason
    assert not reading.of("auto")


def test_a_label_is_never_matched_by_substring() -> None:
    text = (DATA / "aosp-messaging-en-on-off.txt").read_text(encoding="utf-8")
    text = text.replace('text="Auto-retrieve"', 'text="Auto-retrieve MMS messages now"')
    reading = read_screen(parse_dump(text), MSG, TABLE)
    assert reading.reason == "label_not_found" and len(reading.of("roaming")) == 1


def test_the_same_screen_scrolled_keeps_its_digest_and_two_sims_differ() -> None:
    one, two = read("aosp-messaging-sim1-off-off", MSG), read("aosp-messaging-sim2-on-off", MSG)
    assert one.screen and one.screen != two.screen
    assert read("aosp-messaging-en-on-off", MSG).screen == read("aosp-messaging-en-off-on", MSG).screen
