"""`droidaudit scan` and `droidaudit demo`: read a phone (or a saved capture), write reports."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from droidaudit.cli.common import (
    adb_option,
    complete_formats,
    fail,
    handover_options,
    out_console,
    parse_formats,
    profile_option,
    progress_line,
    say,
    warn,
)
from droidaudit.cli.fleet import jobs_option, record_one
from droidaudit.cli.history import db_options, open_history
from droidaudit.errors import EXIT_DEVICE, EXIT_USAGE

if TYPE_CHECKING:
    from droidaudit.facts.attest import Attestation
    from droidaudit.pipeline.options import RuleSet, ScanOptions
    from droidaudit.pipeline.scan import ScanOutcome
    from droidaudit.sources.base import Source
    from droidaudit.sources.live import LiveSource

SEVERITY_CHOICES = ("info", "low", "medium", "high", "critical", "none")


@click.command()
@click.option("--serial", "-s", metavar="SERIAL", help="Which phone, when several are connected "
              "(default: ANDROID_SERIAL, else the only one).")
@click.option("--all", "scan_all", is_flag=True,
              help="Scan every phone the adb servers list, --jobs at a time; phones that are "
                   "not ready are listed with what to do. Writes a fleet index.")
@adb_option
@click.option("--capture", "capture_path", type=click.Path(exists=True, path_type=Path),
              help="Scan a saved capture instead of a phone: a droidaudit capture folder, an "
                   "AndroidQF folder or zip, or an `adb bugreport` zip.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("droidaudit-reports"), show_default=True,
              help="Where report folders are written (private: mode 0700).")
@click.option("--format", "formats", default="html,json", show_default=True,
              shell_complete=complete_formats,
              help="Report formats, comma-separated: html, json, sarif (SARIF 2.1.0), junit "
                   "(JUnit XML), csv (one row per finding).")
@click.option("--profile", type=profile_option(), default="personal", show_default=True,
              help="Which rule set: your own phone, a technician's audit, a managed phone "
                   "(STIG-like), or someone at risk of stalkerware.")
@click.option("--rules", "rules_paths", multiple=True,
              type=click.Path(exists=True, path_type=Path),
              help="Rule file or folder to use instead of the built-in rules (repeatable).")
@click.option("--waivers", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="TOML file of accepted risks ([[waiver]] rule, device, reason, expires).")
@click.option("--iocs", "iocs_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="STIX 2 indicator file (as MVT uses): installed apps it names fail a "
                   "critical check.")
@click.option("--attest", "attest", multiple=True, metavar="FACT=VALUE",
              help="Record what you saw on the phone, e.g. mms.auto_retrieve=off "
                   "(repeatable; needs --attested-by).")
@click.option("--attested-by", default="", metavar="NAME",
              help="Who made the --attest observations (shown in the report).")
@click.option("--use-root", is_flag=True,
              help="You consent to reading the SMS app's MMS settings as root when the "
                   "phone has su (the phone may ask you to allow it). Read-only.")
@click.option("--ui-probe", is_flag=True,
              help="Also read MMS auto-download from the SMS app's own settings screen, "
                   "which you open on the phone (unlocked, screen on). droidaudit reads the "
                   "screen (uiautomator dump) and never taps or changes anything; TalkBack "
                   "and other accessibility services pause a few seconds per reading; only "
                   "the switches' on/off state is kept. On a terminal it reads each time you "
                   "press Enter, and is also offered at the end of a scan when MMS is unread; "
                   "without one it reads every 2 s until found or --ui-timeout.")
@click.option("--ui-timeout", type=float, default=60.0, show_default=True, metavar="SECONDS",
              help="How long --ui-probe waits for the MMS settings screen.")
@click.option("--open", "open_screen", is_flag=True,
              help="With --ui-probe: open the app's settings screen for you (am start), only "
                   "where the app allows it (AOSP Messaging, MIUI); you tap the last step.")
@click.option("--fail-on", type=click.Choice(SEVERITY_CHOICES), default="high",
              show_default=True, help="Exit with 1 when a check of this severity or worse fails.")
@click.option("--timeout", type=float, default=600.0, show_default=True,
              help="Seconds a whole phone scan may take before it is stopped.")
@click.option("--idle-timeout", type=float, default=60.0, show_default=True,
              help="Seconds to wait for the phone's next bytes before giving up on it.")
@click.option("--redact", is_flag=True,
              help="Mask the serial, accounts (e-mails), IMEIs, MAC addresses and phone "
                   "numbers in everything written: folder name, reports and the capture.")
@click.option("--no-capture", is_flag=True,
              help="Write no capture (manifest.json, probes/) beside the report.")
@handover_options
@click.option("--quiet", "-q", is_flag=True, help="Print only the report path.")
@jobs_option
@db_options
def scan(serial: str | None, scan_all: bool, adb: tuple[str, ...], capture_path: Path | None,
         out: Path, formats: str, profile: str, rules_paths: tuple[Path, ...],
         waivers: Path | None, iocs_path: Path | None, attest: tuple[str, ...],
         attested_by: str, use_root: bool, ui_probe: bool, ui_timeout: float,
         open_screen: bool, fail_on: str, timeout: float, idle_timeout: float, redact: bool,
         no_capture: bool, client: str, technician: str, note: str, quiet: bool,
         db: Path | None, no_db: bool, jobs: int | None) -> None:
    """Scan a phone (or a saved capture) and write an HTML and JSON report.

    Each scan writes OUT/<serial>-<UTC time>/ with report.html, report.json and the raw
    capture (manifest.json, probes/), so any finding can be re-checked later.

    \b
    Examples:
      droidaudit scan
      droidaudit scan --serial R58M12ABCDE --profile technician
      droidaudit scan --all --adb 127.0.0.1:5037 --out /srv/lab-reports
      droidaudit scan --capture droidaudit-reports/R58M12ABCDE-20261124T101500Z
      droidaudit scan --capture androidqf-acquisition.zip --format json --fail-on critical
      droidaudit scan --ui-probe            # also read MMS auto-download from the screen
      droidaudit scan --ui-probe --open     # ... opening the app's settings for you
    """
    from droidaudit.pipeline.options import ScanOptions, load_ruleset

    options = ScanOptions(profile=profile, formats=parse_formats(formats),
                          rules_paths=rules_paths, waivers_path=waivers, redact=redact,
                          attestations=_attestations(attest, attested_by),
                          iocs_path=iocs_path, use_root=use_root, keep_capture=not no_capture,
                          client=client, technician=technician, note=note)
    ruleset = load_ruleset(options)
    history = open_history(db, no_db)
    if open_screen and not ui_probe:
        fail("--open opens the settings screen for --ui-probe: give both", EXIT_USAGE)
    if ui_probe and no_capture:
        fail("--ui-probe adds what it reads to the capture beside the report: not with "
             "--no-capture", EXIT_USAGE)
    if ui_probe and (capture_path is not None or scan_all):
        fail("--ui-probe reads one phone's screen with you: not with --capture or --all",
             EXIT_USAGE)
    if capture_path is not None:
        if serial or scan_all or adb:
            fail("--capture reads a saved scan: do not combine it with --serial, --all "
                 "or --adb", EXIT_USAGE)
        from droidaudit.sources.detect import open_offline_source

        # Its capture is on disk already; with --redact a redacted copy goes with the report.
        outcome = _scan_one(open_offline_source(capture_path), options, ruleset, out, quiet,
                            save_capture=redact, from_disk=True)
        record_one(history, options, None, outcome)
        _exit([outcome], fail_on)
    from droidaudit.sources.adb_server import resolve_addresses
    from droidaudit.sources.live import Limits, LiveSource
    from droidaudit.sources.select import all_devices, choose_one

    limits = Limits(idle_s=idle_timeout, scan_s=timeout)
    entries = all_devices(resolve_addresses(adb))
    if scan_all:
        from droidaudit.cli.fleet import run_fleet

        run_fleet(entries, limits, options, ruleset, out, jobs, history, quiet, fail_on)
    target = choose_one(entries, serial)
    source = LiveSource(target.address, target.serial, limits, use_root=options.use_root)
    outcome = _scan_one(source, options, ruleset, out, quiet)
    outcome = _maybe_read_screen(source, outcome, options, ruleset, quiet,
                                 _ScreenChoice(ui_probe, ui_timeout, open_screen))
    record_one(history, options, target, outcome)
    _exit([outcome], fail_on)


@dataclass(frozen=True)
class _ScreenChoice:
    """--ui-probe, --ui-timeout, --open."""

    asked: bool = False
    timeout: float = 60.0
    open: bool = False


def _exit(outcomes: list[ScanOutcome], fail_on: str) -> None:
    from droidaudit.pipeline.outcome import exit_code, incomplete_messages

    for message in incomplete_messages(outcomes):
        warn(f"error: {message}", style="bold red")
    sys.exit(exit_code(outcomes, fail_on))


def _attestations(texts: tuple[str, ...], by: str) -> tuple[Attestation, ...]:
    """--attest FACT=VALUE (repeatable) → attestations stamped with who and when."""
    from droidaudit.facts.attest import parse_attestation
    from droidaudit.timestamps import now_iso_utc

    at = now_iso_utc()
    try:
        return tuple(parse_attestation(text, by, at) for text in texts)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--attest") from exc


def _maybe_read_screen(source: LiveSource, outcome: ScanOutcome, options: ScanOptions,
                       ruleset: RuleSet, quiet: bool, screen: _ScreenChoice) -> ScanOutcome:
    """--ui-probe; or, on a terminal, the offer when MMS auto-download is still unread."""
    from droidaudit.cli import ui_probe

    if outcome.incomplete:
        return outcome
    if not screen.asked and (quiet or not ui_probe.interactive()
                             or not ui_probe.mms_unread(outcome) or not ui_probe.offer(outcome)):
        return outcome
    updated = ui_probe.screen_reading(source, outcome, options, ruleset, screen.timeout,
                                      screen.open)
    if not quiet:  # quiet: the path printed already is the same
        main_file = updated.files.get("html") or next(iter(updated.files.values()))
        say(f"Now: {updated.report.summary()['posture']}", style="bold")
        say(f"Report updated: {main_file}", path=True)
    return updated


def _scan_one(source: Source, options: ScanOptions, ruleset: RuleSet, out: Path, quiet: bool,
              save_capture: bool = True, from_disk: bool = False) -> ScanOutcome:
    from droidaudit.pipeline.scan import scan_source
    from droidaudit.report.console import print_summary

    with progress_line(quiet) as progress:
        outcome = scan_source(source, options, ruleset, out, progress, save_capture=save_capture,
                              from_disk=from_disk)
    main_file = outcome.files.get("html") or next(iter(outcome.files.values()))
    if quiet:
        say(str(main_file), path=True)
    else:
        print_summary(out_console(), outcome.report, str(main_file))
    if options.redact:
        _say_what_was_kept(outcome.capture_kept)
    return outcome


def _say_what_was_kept(capture_kept: str) -> None:
    from droidaudit.report.redact import WHAT_IS_MASKED

    kept = {"redacted": "the capture beside it is redacted the same way",
            "none": "no capture was written beside it"}
    warn(f"Redacted: {WHAT_IS_MASKED} are masked in the folder name and every report; "
         f"{kept.get(capture_kept, kept['none'])}.")


@click.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("droidaudit-reports"), show_default=True)
@click.option("--profile", type=profile_option(), default="personal", show_default=True)
@click.option("--live", is_flag=True,
              help="Scan it through the real live path: start a virtual phone that speaks "
                   "adbd's protocol and a private adb server, scan, then stop both.")
@handover_options
def demo(out: Path, profile: str, live: bool, client: str, technician: str, note: str) -> None:
    """Scan a bundled example phone (a Pixel 7 on Android 14 with a few problems) and
    print the report's path. Needs no phone.

    \b
    Examples:
      droidaudit demo && xdg-open droidaudit-reports/demo-*/report.html
      droidaudit demo --live      # through a real adb server to a virtual phone
    """
    from droidaudit.capture import Capture
    from droidaudit.pipeline.options import ScanOptions, load_ruleset
    from droidaudit.pipeline.scan import capture_time
    from droidaudit.sources.capture_dir import CaptureSource
    from droidaudit.sources.demo import demo_capture_dir

    with demo_capture_dir() as path:
        # Pinned to the demo capture's own time: `demo` and `demo --live` give one result.
        options = ScanOptions(profile=profile, as_of=capture_time(Capture.load(path)),
                              client=client, technician=technician, note=note)
        ruleset = load_ruleset(options)
        if live:
            _demo_live(path, options, ruleset, out)
        else:  # writes its capture beside the report, as a scan does
            _scan_one(CaptureSource(path), options, ruleset, out, quiet=False,
                      from_disk=True)


def _demo_live(capture: Path, options: ScanOptions, ruleset: RuleSet, out: Path) -> None:
    from droidaudit.sources.demo import serve_demo_phone
    from droidaudit.sources.live import Limits, LiveSource

    with serve_demo_phone(capture) as (address, serial):
        warn(f"Virtual phone {serial} on a private adb server {address}")
        source = LiveSource(address, serial, Limits(idle_s=30, scan_s=120))
        outcome = _scan_one(source, options, ruleset, out, quiet=False)
    if outcome.incomplete:
        sys.exit(EXIT_DEVICE)


COMMANDS = (scan, demo)
