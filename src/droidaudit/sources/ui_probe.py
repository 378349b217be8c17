"""`scan --ui-probe`: a guided, consented, read-only reading of the SMS app's own screen.

Runs after the normal scan, on its capture. It tells the person what will happen (which
app; the phone awake and unlocked; nothing tapped; accessibility services such as
TalkBack pause a few seconds per reading; only the switches' on/off state kept), the path
to the MMS settings on their phone, then reads the screen each time they press Enter (a
terminal) or every few seconds until found or the timeout (no terminal). Before each
reading it checks, read-only, that the screen is awake, the lock screen is not showing and
the SMS app is in front. Each command goes alone over the plain `shell:` service (a PTY on
the phone, so `/dev/tty` exists; never `shell,v2`), and only if ui_probes.is_ui_allowed
says it is exactly one of the screen-reading group's shapes. It never taps, types,
toggles or broadcasts. What the decision used is added to the capture as `ui_mms_screen`
(parsers.ui_mms); the rest of the screen is never kept.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from droidaudit.capture import Capture, ProbeOutput
from droidaudit.facts import FactSet
from droidaudit.package_names import is_package_name
from droidaudit.parsers.getprop import parse_properties
from droidaudit.parsers.mms_screen import Reading, read_screen
from droidaudit.parsers.settings import parse_settings_lines
from droidaudit.parsers.ui_dump import parse_dump
from droidaudit.parsers.ui_mms import PROBE, parse_ui_mms, render_record
from droidaudit.parsers.ui_state import focused_package, keyguard_showing, wakefulness
from droidaudit.probes import Probe
from droidaudit.sources.first_batch import SMS_APP_PROBES, read_facts
from droidaudit.timestamps import now_iso_utc
from droidaudit.ui_labels import AppLabels, LabelTable, load_table
from droidaudit.ui_probes import (
    SAMSUNG_PACKAGES,
    UI_DUMP,
    UI_FOCUS,
    UI_HOME,
    UI_KEYGUARD,
    UI_POWER,
    UI_SAMSUNG,
    is_ui_allowed,
    open_probe,
)

_IN_SERVICE = {"READY", "LOADED"}  # gsm.sim.state values of a SIM that receives messages
# Packages of screen readers and switch access whose pause a person notices at once.
_SCREEN_READERS = frozenset({"com.google.android.marvin.talkback", "com.android.talkback",
                             "com.samsung.android.accessibility.talkback",
                             "com.google.android.accessibility.switchaccess"})
# Dump failures a new reading cannot fix: no uiautomator, the wrong adb service (no XML),
# another UiAutomation client (Appium, uiautomator2: research note §1.4 says do not retry),
# a killed or refused dump.
_FINAL = frozenset({"uiautomator_missing", "no_xml_output", "ui_automation_busy",
                    "dump_killed", "xml_refused", "dump_too_large"})


class Shell(Protocol):
    def run_alone(self, command: str, seconds: float) -> tuple[bytes, str]: ...


class Person(Protocol):
    """The human at the host: told things, asked to press Enter (False: stop)."""

    def tell(self, text: str) -> None: ...

    def wait(self, prompt: str) -> bool: ...


@dataclass(frozen=True)
class UiProbeSettings:
    timeout_s: float = 60.0  # --ui-timeout
    open: bool = False  # --open: start the exported settings screen
    interactive: bool = False  # a terminal: read on Enter
    poll_s: float = 2.0  # between readings without a terminal
    retry_wait_s: float = 2.0  # before the one retry of a transient dump failure


@dataclass(frozen=True)
class Context:
    """What the first scan already knows: the SMS app, locale, SIMs in service, a11y."""

    package: str
    locale: str
    sims_expected: int
    accessibility: tuple[str, ...]


def context_of(capture: Capture) -> Context:
    package = read_facts(capture, SMS_APP_PROBES).value("mms.default_sms_app")
    props = parse_properties(capture.text("getprop") or "")
    locale = props.get("persist.sys.locale") or props.get("ro.product.locale") or ""
    states = [s.strip() for s in (props.get("gsm.sim.state") or "").split(",") if s.strip()]
    sims = sum(s in _IN_SERVICE for s in states) if states else 1
    secure = parse_settings_lines(capture.text("settings_secure") or "")
    services = secure.get("enabled_accessibility_services") or ""
    return Context(package if isinstance(package, str) and is_package_name(package) else "",
                   locale, max(1, sims),
                   tuple(s for s in services.split(":") if s and s != "null"))


def consent_text(ctx: Context, apps: tuple[AppLabels, ...], will_open: bool) -> str:
    name = " / ".join(app.name for app in apps) or "the SMS app"
    pause = ("TalkBack and other accessibility services pause for a few seconds each time "
             "the screen is read")
    readers = [s for s in ctx.accessibility if s.split("/")[0] in _SCREEN_READERS]
    if readers:
        pause += " (TalkBack / Switch Access is on here: it goes quiet, then comes back)"
    elif ctx.accessibility:
        pause += f" (this phone has {len(ctx.accessibility)} turned on)"
    lines = [f"droidaudit can read the MMS auto-download switch from {name} ({ctx.package}).",
             "- Keep the phone awake and unlocked, with that app in front.",
             "- Nothing is tapped, typed or changed: you open the screen; droidaudit only "
             "reads it.",
             f"- {pause}.",
             "- Only the switches' on/off state is kept; nothing else on the screen is stored."]
    if will_open:
        lines.append("- droidaudit will open the app's settings screen for you (am start).")
    return "\n".join(lines)


class UiProbe:
    def __init__(self, shell: Shell, capture: Capture, settings: UiProbeSettings,
                 person: Person, table: LabelTable | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.shell, self.capture, self.settings, self.person = shell, capture, settings, person
        self.table = table or load_table()
        self.ctx = context_of(capture)
        self.apps = self.table.for_package(self.ctx.package)
        self.readings: list[tuple[str, Reading]] = []
        self.sent: list[str] = []
        self.clock, self.sleep = clock, sleep

    def run(self) -> FactSet:
        """Guide, read, record; the facts the record gives (unknown with a reason)."""
        if not self.ctx.package or not self.apps:
            why = "no_sms_app" if not self.ctx.package else "unsupported_app"
            self._fail(why, "no label table for this SMS app" if self.ctx.package else
                       "the default SMS app is unknown")
            return self._record()
        self.person.tell(consent_text(self.ctx, self.apps, self.settings.open))
        opened = False
        try:
            if self.settings.interactive and not self.person.wait(
                    "Press Enter to go on (q, then Enter, to skip)"):
                self._fail("consent_declined", "the person chose not to read the screen")
                return self._record()
            if self.ctx.package in SAMSUNG_PACKAGES:
                self._samsung_provider()
            opened = self.settings.open and self._open()
            self.person.tell("On the phone, open: " + "  or  ".join(
                app.steps(self.ctx.locale) for app in self.apps))
            self._loop()
        except KeyboardInterrupt:
            self._fail("stopped", "stopped by the person (Ctrl-C)")
        finally:
            if opened:
                self._send(UI_HOME, 10)
        return self._record()

    # -- the loop -----------------------------------------------------------------------

    def _loop(self) -> None:
        deadline = self.clock() + self.settings.timeout_s
        while True:
            if self.settings.interactive and not self.person.wait(
                    "Press Enter when the switch is on screen (q, then Enter, to stop)"):
                self._fail("stopped", "stopped by the person")
                return
            reading = self._read_once()
            self.readings.append((now_iso_utc(), reading))
            self.person.tell(describe(reading))
            if reading.reason in _FINAL:
                self.person.tell("Stopping: reading again would not help "
                                 "(and would pause accessibility services again).")
                return
            if not reading.reason and self.ctx.sims_expected > 1 and not self._decided():
                self.person.tell(f"This phone has {self.ctx.sims_expected} SIMs in service: "
                                 "show the other SIM's MMS settings too.")
            left = deadline - self.clock()
            if self._decided() or left <= 0:
                if left <= 0 and not self._decided():
                    self.person.tell("Time is up (--ui-timeout).")
                return
            if not self.settings.interactive:
                self.person.tell(f"Reading again in {self.settings.poll_s:g} s "
                                 f"({int(left)} s left; Ctrl-C stops).")
                self.sleep(self.settings.poll_s)

    def _decided(self) -> bool:
        facts = {f.name: f for f in parse_ui_mms(self._record_bytes().decode())}
        return all(facts[name].known for name in ("mms.auto_retrieve",
                                                  "mms.auto_retrieve_roaming"))

    def _read_once(self) -> Reading:
        package = self.ctx.package
        power = self._text(UI_POWER)
        if power is not None and wakefulness(power) not in (None, "Awake"):
            return Reading(package, reason="screen_off", detail="wake the phone and unlock it")
        policy = self._text(UI_KEYGUARD)
        if policy is not None and keyguard_showing(policy):
            return Reading(package, reason="phone_locked", detail="unlock the phone")
        windows = self._text(UI_FOCUS)
        front = focused_package(windows) if windows is not None else None
        if front is not None and front != package:
            return Reading(package, reason="wrong_screen",
                           detail=f"{front or 'a system window'} is in front")
        dump = parse_dump(self._text(UI_DUMP) or "")
        if dump.retry:
            self.sleep(self.settings.retry_wait_s)
            dump = parse_dump(self._text(UI_DUMP) or "")
        return read_screen(dump, package, self.table, self.ctx.locale)

    # -- commands -----------------------------------------------------------------------

    def _send(self, probe: Probe, seconds: float) -> tuple[bytes, str]:
        if not is_ui_allowed(probe, self.table, self.ctx.package, self.settings.open):
            raise AssertionError(f"not in the screen-reading allow-list: {probe.command}")
        self.sent.append(probe.command)
        return self.shell.run_alone(probe.command, seconds)

    def _text(self, probe: Probe) -> str | None:
        data, failure = self._send(probe, probe.timeout_s)
        return None if failure and not data else data.decode("utf-8", errors="replace")

    def _open(self) -> bool:
        for app in self.apps:
            for opener in app.opens:
                data, _ = self._send(open_probe(self.ctx.package, opener), 30)
                text = data.decode("utf-8", errors="replace")
                if "Status: ok" in text and "Error" not in text:
                    self.person.tell(f"Opened {app.name}'s settings on the phone.")
                    return True
                self.person.tell(f"{app.name}'s settings screen could not be opened "
                                 f"({'not exported' if 'not exported' in text else 'refused'}"
                                 "); open it by hand.")
        if not any(app.opens for app in self.apps):
            self.person.tell("This app's settings screen cannot be opened from a computer "
                             "(its settings activity is not exported); open it by hand.")
        return False

    def _samsung_provider(self) -> None:
        data, failure = self._send(UI_SAMSUNG, UI_SAMSUNG.timeout_s)
        self.capture.add(ProbeOutput(UI_SAMSUNG.name, UI_SAMSUNG.command, data, None, 0.0,
                                     failure if not data else ""))

    # -- the record -----------------------------------------------------------------------

    def _fail(self, reason: str, detail: str) -> None:
        self.readings.append((now_iso_utc(), Reading(self.ctx.package, reason=reason,
                                                     detail=detail)))

    def _kept(self) -> list[tuple[str, Reading]]:
        """Every successful reading, and the last failure (its reason is the answer)."""
        kept = [(at, r) for at, r in self.readings if not r.reason]
        if self.readings and self.readings[-1][1].reason:
            kept.append(self.readings[-1])
        return kept

    def _record_bytes(self) -> bytes:
        return render_record(self._kept(), self.ctx.package, self.ctx.sims_expected,
                             self.ctx.locale)

    def _record(self) -> FactSet:
        record = self._record_bytes()
        self.capture.add(ProbeOutput(PROBE, UI_DUMP.command, record, 0))
        facts = FactSet()
        for fact in parse_ui_mms(record.decode()):
            facts.add(fact)
        return facts


def describe(reading: Reading) -> str:
    """One line for the person: what this reading showed, or what to do."""
    if reading.reason:
        return f"Not read ({reading.reason}): {reading.detail}"
    parts = [f"{row.label}: {'ON' if row.checked else 'off'}"
             + ("" if row.enabled else " (shown disabled)") for row in reading.rows]
    return "Read: " + "; ".join(parts)
