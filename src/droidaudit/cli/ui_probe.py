"""`scan --ui-probe` at the terminal: run the screen reading after a live scan, then
re-evaluate the same capture and rewrite the report folder (sources.ui_probe does the work).

Text from the phone reaches the terminal only through report.console.printable.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from droidaudit.cli.common import err_console

if TYPE_CHECKING:
    from droidaudit.pipeline.options import RuleSet, ScanOptions
    from droidaudit.pipeline.scan import ScanOutcome
    from droidaudit.sources.live import LiveSource


class TerminalPerson:
    """Tells on stderr, even with --quiet (the consent and the path are never silent);
    waits for Enter on stdin (q, n or end of input: stop)."""

    def tell(self, text: str) -> None:
        from droidaudit.report.console import printable

        err_console().print(printable(text))

    def wait(self, prompt: str) -> bool:
        err_console().print(prompt)
        line = sys.stdin.readline()
        return bool(line) and line.strip().lower() not in ("q", "quit", "n", "no")

    def ask_yes(self, prompt: str) -> bool:
        """Default no: only y or yes says yes."""
        err_console().print(prompt)
        return sys.stdin.readline().strip().lower() in ("y", "yes")


def interactive() -> bool:
    return sys.stdin.isatty() and err_console().is_terminal


def mms_unread(outcome: ScanOutcome) -> bool:
    """Worth offering: the SMS app is known and the MMS switch was not read."""
    facts = outcome.report.facts
    return facts.value("mms.auto_retrieve") is None and \
        isinstance(facts.value("mms.default_sms_app"), str)


def offer(outcome: ScanOutcome) -> bool:
    """At the end of a terminal scan: ask whether to read the MMS switch from the screen."""
    person = TerminalPerson()
    person.tell("\nMMS auto-download could not be read over adb. droidaudit can read it from "
                "your SMS app's own settings screen while you show it (nothing is tapped or "
                "changed; see `droidaudit scan --help`, --ui-probe).")
    return person.ask_yes("Read it from the screen now? [y/N]")


def screen_reading(source: LiveSource, outcome: ScanOutcome, options: ScanOptions,
                   ruleset: RuleSet, timeout: float, open_screen: bool) -> ScanOutcome:
    """Read the screen, add the record to the capture, rewrite the reports."""
    from droidaudit.capture import Capture
    from droidaudit.pipeline.scan import ScanOutcome, evaluate_capture, write_reports
    from droidaudit.report.redact import redact_report
    from droidaudit.sources.ui_probe import UiProbe, UiProbeSettings

    capture = Capture.load(outcome.folder)
    settings = UiProbeSettings(timeout_s=timeout, open=open_screen,
                               interactive=interactive())
    person = TerminalPerson()
    facts = UiProbe(source, capture, settings, person).run()
    warnings = [f"Not fully read: {line}" for line in capture.transport_failures()]
    report = evaluate_capture(capture, options, ruleset, warnings)
    if options.redact:
        report = redact_report(report)
    files = write_reports(report, outcome.folder, options.formats, capture)
    for name in ("mms.auto_retrieve", "mms.auto_retrieve_roaming"):
        fact = facts.get(name)
        value = "unknown" if fact is None or fact.value is None else \
            ("ON" if fact.value else "off")
        note = f" ({fact.note})" if fact is not None and fact.value is None and fact.note else ""
        person.tell(f"{name}: {value}{note}")
    return ScanOutcome(report, outcome.folder, files, outcome.incomplete)
