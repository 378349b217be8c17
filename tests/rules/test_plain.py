"""What a rule found, in plain words with units, from the fact vocabulary's labels."""

from __future__ import annotations

import pytest

from droidaudit.facts import FACT_SPECS
from droidaudit.rules.logic import Reading, Result
from droidaudit.rules.model import APP_KEYS, FIELD_WORDS, Leaf
from droidaudit.rules.plain import human, phrase_reading, phrase_result, sentence


@pytest.mark.parametrize(("value", "unit", "text"), [
    (5, "s", "5 seconds"), (1, "s", "1 second"), (1800, "s", "30 minutes (1800 s)"),
    (3600, "s", "1 hour (3600 s)"), (90, "s", "90 seconds"), (136, "days", "136 days"),
    (1, "days", "1 day"), (2, "users", "2 users"), (True, "on/off", "on"),
    (False, "on/off", "off"), (False, "", "no"), ([], "", "none"), ("", "", "not set"),
    (None, "s", "unknown"), (["android.permission.CAMERA"], "", "CAMERA"),
    (list(range(8)), "", "0, 1, 2, 3, 4, 5 and 2 more"),
])
def test_human(value: object, unit: str, text: str) -> None:
    assert human(value, unit) == text


def test_every_fact_and_item_field_has_words() -> None:
    for spec in FACT_SPECS:
        assert spec.label, spec.name
        if spec.type == "bool":
            assert "/" in spec.unit, f"{spec.name}: a bool needs words for true/false"
    assert set(APP_KEYS) <= set(FIELD_WORDS)


def reading(subject: str, op: str, actual: object, expected: object, outcome: bool,
            negated: bool = False) -> Reading:
    return Reading(Leaf(subject, op, expected), actual, expected, outcome, negated=negated)


def test_a_failed_limit_names_the_thing_its_value_and_what_is_safe() -> None:
    said = phrase_reading(reading("lock.auto_lock_s", "lte", 1800, 5, False))
    assert said == ("Auto-lock delay after the screen turns off is 30 minutes (1800 s); "
                    "it should be at most 5 seconds")
    assert phrase_reading(reading("adb.enabled", "eq", True, False, False)) == \
        "USB debugging is on; it should be off"


def test_negation_flips_what_is_wanted() -> None:
    said = phrase_reading(reading("os.sdk", "lt", 34, 26, False, negated=True))
    assert said == "Android API level is 34 (safe: at least 26)"


def test_unknown_reads_as_not_read_never_as_a_value() -> None:
    missing = Reading(Leaf("os.security_patch_age_days", "lte", 90), missing=
                      "os.security_patch_age_days", why="no getprop")
    assert phrase_reading(missing) == "Security patch age could not be read (no getprop)"


def test_an_unmet_any_reads_as_one_of_these() -> None:
    shown = reading("lock.notifications_shown", "eq", True, False, False)
    private = reading("lock.private_notifications_shown", "eq", True, False, False)
    text = phrase_result(Result(False, [shown, private], [shown, private]))
    assert text.startswith("one of these would be enough, but none holds: ")
    assert "; or Showing what notifications say" in text


def test_contains_names_what_was_found() -> None:
    hit = Reading(Leaf("granted", "not_contains", ["android.permission.READ_SMS"], True),
                  ["android.permission.READ_SMS", "x"], ["android.permission.READ_SMS"], False)
    assert phrase_reading(hit) == "Granted permissions include READ_SMS"


def test_sentence() -> None:
    assert sentence("a b") == "A b." and sentence("") == "" and sentence("Done.") == "Done."
