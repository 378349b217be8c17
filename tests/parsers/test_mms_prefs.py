"""MMS preferences read as root, per SMS app: keys, app defaults for absent keys, several SIMs,
Samsung carrier (csc_) overrides, and unreadable output (never a guess)."""

from __future__ import annotations

from pathlib import Path

from droidaudit.facts import Fact
from droidaudit.parsers.mms_prefs import (
    parse_mms_prefs_bugle,
    parse_mms_prefs_bugle_subs,
    parse_mms_prefs_legacy,
    parse_mms_prefs_samsung,
)

FIXTURES = Path(__file__).parent / "fixtures" / "mms_prefs"
HEAD = "<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n"


def values(facts: list[Fact]) -> dict[str, object]:
    return {f.name: f.value for f in facts}


def prefs(*lines: str) -> str:
    return HEAD + "<map>\n" + "\n".join(f"    {line}" for line in lines) + "\n</map>\n"


def test_legacy_mms_switches_read() -> None:
    text = (FIXTURES / "aosp-mms-android7_com.android.mms_preferences.xml").read_text()
    facts = parse_mms_prefs_legacy(text)
    assert values(facts) == {"mms.auto_retrieve": False, "mms.auto_retrieve_roaming": False,
                             "mms.auto_retrieve_source": "root-prefs"}
    auto = next(f for f in facts if f.name == "mms.auto_retrieve")
    assert auto.evidence == ('<boolean name="pref_key_mms_auto_retrieval" value="false" />',)


def test_legacy_mms_absent_keys_mean_app_defaults() -> None:
    facts = parse_mms_prefs_legacy(prefs('<boolean name="pref_key_x" value="true" />'))
    assert values(facts)["mms.auto_retrieve"] is True  # AOSP Mms default: on
    assert values(facts)["mms.auto_retrieve_roaming"] is False
    assert "app default true" in next(f for f in facts if f.name == "mms.auto_retrieve").evidence[0]


def test_empty_map_is_a_file_with_defaults() -> None:
    facts = parse_mms_prefs_legacy(HEAD + "<map />\n")
    assert values(facts)["mms.auto_retrieve"] is True


def test_bugle_subs_any_sim_on_means_on() -> None:
    text = (FIXTURES / "aosp-messaging-android13_buglesub_1-2.xml").read_text()
    facts = values(parse_mms_prefs_bugle_subs(text))
    # SIM 1 off; SIM 2 never touched → app default on.
    assert facts["mms.auto_retrieve"] is True
    assert facts["mms.auto_retrieve_roaming"] is False


def test_bugle_subs_all_off() -> None:
    text = prefs('<boolean name="buglesub_auto_retrieve_mms" value="false" />',
                 '<boolean name="buglesub_auto_retrieve_mms_when_roaming" value="true" />')
    facts = values(parse_mms_prefs_bugle_subs(text))
    assert facts["mms.auto_retrieve"] is False and facts["mms.auto_retrieve_roaming"] is True


def test_older_bugle_xml() -> None:
    text = (FIXTURES / "aosp-messaging-android8_bugle.xml").read_text()
    facts = values(parse_mms_prefs_bugle(text))
    assert facts["mms.auto_retrieve"] is False and facts["mms.auto_retrieve_roaming"] is False


def test_samsung_user_value_beats_carrier_default_and_sim2_counts() -> None:
    text = (FIXTURES / "samsung-oneui6_com.samsung.android.messaging_preferences.xml").read_text()
    facts = parse_mms_prefs_samsung(text)
    # SIM 1: the person turned it off (csc default on is overridden); SIM 2: carrier on.
    assert values(facts)["mms.auto_retrieve"] is True
    evidence = next(f for f in facts if f.name == "mms.auto_retrieve").evidence[0]
    assert 'name="pref_key_mms_auto_retrieval" value="false"' in evidence
    assert "csc_pref_key_mms_auto_retrieval_sim2" in evidence


def test_samsung_carrier_default_used_when_user_never_changed_it() -> None:
    text = prefs('<boolean name="csc_pref_key_mms_auto_retrieval" value="false" />')
    facts = values(parse_mms_prefs_samsung(text))
    assert facts["mms.auto_retrieve"] is False
    # Roaming absent → Samsung's code default, off (DownloadManager, SecMms 4.4.2).
    assert facts["mms.auto_retrieve_roaming"] is False


def test_unreadable_output_is_unknown_with_the_reason() -> None:
    for text in ("cat: /data/data/com.android.mms/shared_prefs/x.xml: No such file or directory",
                 "Permission denied", "", "/system/bin/sh: su: inaccessible or not found"):
        facts = parse_mms_prefs_legacy(text)
        assert values(facts) == {"mms.auto_retrieve": None, "mms.auto_retrieve_roaming": None}
        assert all("could not be read as root" in f.note for f in facts)


def test_su_error_before_the_file_still_reads_the_file() -> None:
    text = "su: invalid option -- c\n" + prefs(
        '<boolean name="pref_key_mms_auto_retrieval" value="false" />')
    assert values(parse_mms_prefs_legacy(text))["mms.auto_retrieve"] is False


def test_a_sim_file_left_open_leaves_the_reading_unknown() -> None:
    sim1 = prefs('<boolean name="buglesub_auto_retrieve_mms" value="false" />')
    facts = values(parse_mms_prefs_bugle_subs(sim1 + HEAD + "<map>\n"))
    assert facts["mms.auto_retrieve"] is None
