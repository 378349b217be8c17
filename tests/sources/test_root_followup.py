"""Root follow-up probes: built only with su and a known SMS app, from a validated package
name; a hostile package name is refused; the batch refuses anything not rebuilt from the
template."""

from __future__ import annotations

import pytest

from droidaudit.capture import Capture, ProbeOutput
from droidaudit.probes import (
    PROBES,
    Probe,
    is_allowed,
    is_read_only,
    mms_prefs_probes,
)
from droidaudit.sources.batch import build_script
from droidaudit.sources.root_followup import root_followup_probes


def capture(sms: str = "com.android.messaging", su: str = "/system/xbin/su\n") -> Capture:
    cap = Capture()
    for name, text in (("which_su", su), ("sms_role", sms + "\n")):
        cap.add(ProbeOutput(name, name, text.encode(), 0 if text.strip() else 1, 0.1))
    return cap


def test_followups_for_aosp_messaging_with_su() -> None:
    probes = root_followup_probes(capture())
    assert [p.name for p in probes] == ["mms_prefs_bugle_subs", "mms_prefs_bugle"]
    for probe in probes:
        assert is_read_only(probe.command) and "'" not in probe.command
        assert "/data/data/com.android.messaging/shared_prefs/" in probe.command
        assert probe.command.count("cat ") == 2  # su -c, then the userdebug su form
        assert is_allowed(probe)


def test_no_followups_without_su_or_for_unknown_apps() -> None:
    assert root_followup_probes(capture(su="")) == []
    assert root_followup_probes(capture(sms="com.google.android.apps.messaging")) == []
    assert root_followup_probes(Capture()) == []


def test_sms_app_from_settings_when_the_role_is_unreadable() -> None:
    cap = capture(sms="")
    cap.add(ProbeOutput("settings_secure", "settings list secure",
                        b"sms_default_application=com.android.mms\n", 0, 0.1))
    assert [p.name for p in root_followup_probes(cap)] == ["mms_prefs_legacy"]


@pytest.mark.parametrize("package", [
    "com.android.mms; rm -rf /data", "com.android.mms\"; reboot; \"", "../../etc",
    "com.evil/../../x", "$(reboot)", "com.android.mms`id`", "nodots", "com.x y",
])
def test_hostile_package_names_are_refused(package: str) -> None:
    with pytest.raises(ValueError, match="refusing"):
        mms_prefs_probes(package)
    assert root_followup_probes(capture(sms=package)) == []


def test_batch_refuses_a_root_probe_not_built_from_the_template() -> None:
    good = mms_prefs_probes("com.android.mms")[0]
    forged = Probe(good.name, good.command.replace("cat ", "cp "), good.purpose)
    other_file = Probe(good.name, good.command.replace("com.android.mms_preferences.xml",
                                                       "accounts.xml"), good.purpose)
    assert "p mms_prefs_legacy" in build_script([good], "tok")
    for probe in (forged, other_file):
        assert not is_allowed(probe)
        with pytest.raises(ValueError, match="allow-list"):
            build_script([probe], "tok")
    assert all(is_allowed(p) for p in PROBES)
