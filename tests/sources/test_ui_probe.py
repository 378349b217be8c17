"""The screen-reading flow with a fake phone and a fake person: Enter, q, Ctrl-C, the one
retry of a transient failure, the consent text, and a refusal to send anything outside the
screen-reading group."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from droidaudit.capture import Capture
from droidaudit.sources.ui_probe import UiProbe, UiProbeSettings, consent_text, context_of

ROOT = Path(__file__).parents[2]
SCREENS = ROOT / "tests" / "data" / "ui_mms"
DEMO = ROOT / "fixtures" / "demo-pixel7-a14"
AWAKE = b"  mWakefulness=Awake\n"
UNLOCKED = b"    KeyguardServiceDelegate\n      showing=false\n"


def screen(name: str) -> bytes:
    return (SCREENS / f"{name}.txt").read_bytes()


def front(package: str) -> bytes:
    return f"  mCurrentFocus=Window{{1 u0 {package}/.Settings}}\n".encode()


class Phone:
    def __init__(self, dumps: list[bytes], package: str = "com.android.messaging",
                 extra: dict[str, bytes] | None = None) -> None:
        self.dumps, self.sent = list(dumps), []  # type: ignore[var-annotated]
        self.answers = {"dumpsys power": AWAKE, "dumpsys window policy": UNLOCKED,
                        "dumpsys window windows": front(package), **(extra or {})}

    def run_alone(self, command: str, seconds: float) -> tuple[bytes, str]:
        self.sent.append(command)
        if command == "uiautomator dump /dev/tty":
            return (self.dumps.pop(0) if len(self.dumps) > 1 else self.dumps[0]), ""
        return self.answers.get(command, b""), ""


class Person:
    def __init__(self, answers: list[bool | Callable[[], bool]]) -> None:
        self.answers, self.told = list(answers), []  # type: ignore[var-annotated]

    def tell(self, text: str) -> None:
        self.told.append(text)

    def wait(self, prompt: str) -> bool:
        answer = self.answers.pop(0) if self.answers else False
        return answer() if callable(answer) else answer


def capture(package: str = "com.android.messaging") -> Capture:
    loaded = Capture.load(DEMO)
    loaded.probes["sms_role"].data = package.encode() + b"\n"
    return loaded


def run(phone: Phone, person: Person, interactive: bool, **kw: object):  # type: ignore[no-untyped-def]
    probe = UiProbe(phone, cap := capture(kw.pop("package", "com.android.messaging")),  # type: ignore[arg-type]
                    UiProbeSettings(timeout_s=30, interactive=interactive, poll_s=0,
                                    retry_wait_s=0, **kw),  # type: ignore[arg-type]
                    person, sleep=lambda _s: None)
    return probe.run(), cap


def test_on_a_terminal_it_reads_each_time_enter_is_pressed() -> None:
    phone = Phone([screen("aosp-messaging-settings"), screen("aosp-messaging-en-off-on")])
    person = Person([True, True, True])
    facts, cap = run(phone, person, interactive=True)
    assert facts.value("mms.auto_retrieve") is False
    assert facts.value("mms.auto_retrieve_roaming") is True
    assert phone.sent.count("uiautomator dump /dev/tty") == 2
    assert cap.probes["ui_mms_screen"].data.startswith(b"<?xml")
    assert any("Not read (label_not_found)" in line for line in person.told)


def test_declining_or_q_or_ctrl_c_leaves_mms_unknown_and_reads_nothing() -> None:
    def interrupt() -> bool:
        raise KeyboardInterrupt

    for answers, status in (([False], "consent_declined"), ([True, False], "stopped"),
                            ([interrupt], "stopped"), ([True, interrupt], "stopped")):
        phone = Phone([screen("aosp-messaging-en-on-off")])
        facts, _ = run(phone, Person(list(answers)), interactive=True)
        assert facts.value("mms.auto_retrieve") is None
        assert facts.value("mms.ui_probe_status") == status
        assert "uiautomator dump /dev/tty" not in phone.sent


def test_a_transient_failure_is_retried_once() -> None:
    phone = Phone([screen("out-not-idle"), screen("aosp-messaging-en-on-off")])
    facts, _ = run(phone, Person([]), interactive=False)
    assert facts.value("mms.auto_retrieve") is True
    busy = Phone([screen("out-busy"), screen("aosp-messaging-en-on-off")])
    run(busy, Person([]), interactive=False)
    # a second UiAutomation client is not retried: one dump, then the reason
    assert busy.sent == ["dumpsys power", "dumpsys window policy",
                         "dumpsys window windows", "uiautomator dump /dev/tty"]


def test_the_consent_names_the_app_the_pause_and_what_is_kept() -> None:
    ctx = context_of(capture())
    text = consent_text(ctx, (), will_open=False)
    for words in ("com.android.messaging", "awake and unlocked", "Nothing is tapped",
                  "TalkBack", "Only the switches' on/off state is kept"):
        assert words in text
    assert ctx.accessibility  # the demo phone has an accessibility service on


def test_samsung_provider_is_asked_once_and_the_denial_recorded() -> None:
    denial = (b"Error while accessing provider:com.android.mms.csc.PreferenceProvider\n"
              b"java.lang.SecurityException: Permission Denial: requires "
              b"sec.android.permission.READ_MSG_PREF\n")
    uri = "content query --uri content://com.android.mms.csc.PreferenceProvider/listall"
    phone = Phone([screen("samsung-en-dual-off-off")], "com.samsung.android.messaging",
                  {uri: denial})
    facts, cap = run(phone, Person([]), interactive=False,
                     package="com.samsung.android.messaging")
    assert phone.sent.count(uri) == 1
    assert b"Permission Denial" in cap.probes["ui_samsung_mms_prefs"].data
    assert facts.value("mms.auto_retrieve") is False


def test_nothing_outside_the_group_is_ever_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    from droidaudit import ui_probes
    from droidaudit.sources import ui_probe

    monkeypatch.setattr(ui_probe, "UI_DUMP", ui_probes.Probe("ui_dump", "input tap 1 1", ""))
    phone = Phone([screen("aosp-messaging-en-on-off")])
    with pytest.raises(AssertionError, match="not in the screen-reading allow-list"):
        run(phone, Person([]), interactive=False)
    assert "input tap 1 1" not in phone.sent


def test_an_unknown_sms_app_is_unknown_without_a_command() -> None:
    phone = Phone([screen("aosp-messaging-en-on-off")], "org.example.sms")
    facts, _ = run(phone, Person([]), interactive=False, package="org.example.sms")
    assert facts.value("mms.ui_probe_status") == "unsupported_app"
    assert phone.sent == []


def test_a_screen_reader_that_is_on_is_named_in_the_consent() -> None:
    from dataclasses import replace

    ctx = replace(context_of(capture()), accessibility=(
        "com.google.android.marvin.talkback/com.google.android.marvin.talkback.TalkBackService",))
    assert "TalkBack / Switch Access is on here" in consent_text(ctx, (), will_open=False)
