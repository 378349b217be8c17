"""Preconditions of a screen reading, and Samsung's preference provider if it answers."""

from __future__ import annotations

from droidaudit.parsers.ui_state import (
    focused_package,
    keyguard_showing,
    parse_samsung_provider,
    samsung_denied,
    wakefulness,
)


def test_wakefulness_keyguard_and_focus() -> None:
    assert wakefulness("Power Manager State:\n  mWakefulness=Asleep\n") == "Asleep"
    assert wakefulness("nothing") is None
    assert keyguard_showing("    KeyguardServiceDelegate\n      showing=true\n") is True
    assert keyguard_showing("no block") is None
    windows = ("  mCurrentFocus=Window{8c2 u0 com.android.messaging/com.android.messaging.ui."
               "appsettings.PerSubscriptionSettingsActivity}\n")
    assert focused_package(windows) == "com.android.messaging"
    assert focused_package("  mCurrentFocus=Window{f00 u0 NotificationShade}\n") == ""
    assert focused_package("  mCurrentFocus=null\n  mFocusedApp=ActivityRecord{1 u0 "
                           "com.android.mms/.ui.MessagingPreferenceActivity t3}\n") == "com.android.mms"
    assert focused_package("") is None


def test_samsung_rows_are_read_and_the_denial_gives_nothing() -> None:
    rows = ("Row: 0 pref_name=pref_key_mms_auto_retrieval, pref_value=true\n"
            "Row: 1 pref_name=pref_key_mms_retrieval_during_roaming, pref_value=false\n")
    facts = {f.name: f.value for f in parse_samsung_provider(rows)}
    assert facts == {"mms.auto_retrieve": True, "mms.auto_retrieve_roaming": False,
                     "mms.auto_retrieve_source": "provider"}
    denial = "java.lang.SecurityException: Permission Denial: opening provider"
    assert parse_samsung_provider(denial) == [] and samsung_denied(denial)
