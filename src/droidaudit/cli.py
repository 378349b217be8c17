"""The command line: parses arguments and maps them onto the pipeline; no logic of its own.

User mistakes and device problems end with a plain sentence and an exit code
(0 ok, 1 a failure at or above --fail-on, 2 usage or input error, 3 device or
connection error), never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

import click
from rich.console import Console

from droidaudit import __version__
from droidaudit.attest import Attestation, parse_attestation
from droidaudit.fleet import scan_fleet
from droidaudit.iocs import IocError
from droidaudit.report.console import print_summary
from droidaudit.report.diff import diff_reports
from droidaudit.report.formats import FORMATS
from droidaudit.rules.loader import RuleError
from droidaudit.rules.model import SEVERITIES
from droidaudit.scan import (
    ScanOutcome,
    ScanSettings,
    fails_at_or_above,
    report_folder,
    report_of_path,
    scan_source,
    write_reports,
)
from droidaudit.sources.adb_server import DeviceEntry, resolve_addresses
from droidaudit.sources.base import Progress, Source, SourceError
from droidaudit.sources.demo import demo_capture_dir, serve_demo_phone
from droidaudit.sources.detect import open_offline_source
from droidaudit.sources.live import Limits, LiveSource
from droidaudit.sources.select import all_devices, choose_all, choose_one

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_DEVICE = 0, 1, 2, 3
PROFILES = ("personal", "technician", "enterprise", "at-risk")

out_console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int) -> NoReturn:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    sys.exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the errors a person can act on into a message and an exit code."""
    try:
        yield
    except SourceError as exc:
        fail(str(exc), exc.exit_code)
    except (RuleError, IocError) as exc:
        fail(str(exc), EXIT_USAGE)
    except PermissionError as exc:
        fail(f"cannot write {exc.filename}: permission denied", EXIT_USAGE)


@contextmanager
def progress_line(quiet: bool) -> Iterator[Progress]:
    if quiet or not err_console.is_terminal:
        yield lambda _message: None
        return
    with err_console.status("Starting") as status:
        yield lambda message: status.update(message)


adb_option = click.option(
    "--adb", "adb", multiple=True, metavar="HOST:PORT",
    help="adb server to use (repeat for several hosts). Default: ADB_SERVER_SOCKET, "
         "ANDROID_ADB_SERVER_HOST/PORT, else 127.0.0.1:5037.")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="droidaudit")
def main() -> None:
    """Audit an Android phone's security settings over USB debugging (read-only) and
    write a hardening report a person can act on.

    \b
    Quick start:
      droidaudit demo                 try it on a bundled example phone
      droidaudit devices              is my phone visible and authorised?
      droidaudit scan                 scan the connected phone → ./droidaudit-reports/
      droidaudit scan --capture DIR   re-check a saved scan (or an AndroidQF folder/zip,
                                      or an `adb bugreport` zip) without a phone

    droidaudit never changes the phone: every command it sends comes from one
    allow-list of read-only commands (`droidaudit probes` lists them).
    """


@main.command()
@adb_option
def devices(adb: tuple[str, ...]) -> None:
    """List the phones the adb server sees and whether each is ready to scan.

    \b
    Example:
      droidaudit devices
      droidaudit devices --adb 10.0.0.5:5037 --adb 10.0.0.6:5037
    """
    with user_errors():
        entries = all_devices(resolve_addresses(adb))
    if not entries:
        out_console.print("No phone found. Plug it in and turn on USB debugging "
                          "(Settings › System › Developer options).", highlight=False)
        return
    for entry in entries:
        colour = "green" if entry.ready else "yellow"
        out_console.print(f"[{colour}]{entry.state:<14}[/] {entry.serial:<24} "
                          f"{entry.detail if entry.ready else entry.hint}", highlight=False,
                          soft_wrap=True)


def _formats(value: str) -> tuple[str, ...]:
    chosen = tuple(v.strip() for v in value.split(",") if v.strip())
    unknown = [v for v in chosen if v not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(f"choose from {', '.join(FORMATS)} (comma-separated)",
                                 param_hint="--format")
    return chosen


@main.command()
@click.option("--serial", "-s", metavar="SERIAL", help="Which phone, when several are connected "
              "(default: ANDROID_SERIAL, else the only one).")
@click.option("--all", "scan_all", is_flag=True, help="Scan every ready phone, in parallel.")
@adb_option
@click.option("--capture", "capture_path", type=click.Path(exists=True, path_type=Path),
              help="Scan a saved capture instead of a phone: a droidaudit capture folder, an "
                   "AndroidQF folder or zip, or an `adb bugreport` zip.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("droidaudit-reports"), show_default=True,
              help="Where report folders are written (private: mode 0700).")
@click.option("--format", "formats", default="html,json", show_default=True,
              help="Report formats, comma-separated: html, json, sarif (SARIF 2.1.0), junit "
                   "(JUnit XML).")
@click.option("--profile", type=click.Choice(PROFILES), default="personal", show_default=True,
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
@click.option("--fail-on", type=click.Choice((*SEVERITIES, "none")), default="high",
              show_default=True, help="Exit with 1 when a check of this severity or worse fails.")
@click.option("--timeout", type=float, default=600.0, show_default=True,
              help="Seconds a whole phone scan may take before it is stopped.")
@click.option("--idle-timeout", type=float, default=60.0, show_default=True,
              help="Seconds to wait for the phone's next bytes before giving up on it.")
@click.option("--redact", is_flag=True,
              help="Mask the serial, accounts (e-mails), IMEIs, MAC addresses and phone "
                   "numbers in the reports (the raw capture beside them is kept as read).")
@click.option("--quiet", "-q", is_flag=True, help="Print only the report path.")
def scan(serial: str | None, scan_all: bool, adb: tuple[str, ...], capture_path: Path | None,
         out: Path, formats: str, profile: str, rules_paths: tuple[Path, ...],
         waivers: Path | None, iocs_path: Path | None, attest: tuple[str, ...],
         attested_by: str, use_root: bool, fail_on: str, timeout: float,
         idle_timeout: float, redact: bool, quiet: bool) -> None:
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
    """
    settings = ScanSettings(profile=profile, formats=_formats(formats),
                            rules_paths=rules_paths, waivers_path=waivers, redact=redact,
                            attestations=_attestations(attest, attested_by),
                            iocs_path=iocs_path, use_root=use_root)
    with user_errors():
        settings.load()
        if capture_path is not None:
            if serial or scan_all or adb:
                fail("--capture reads a saved scan: do not combine it with --serial, --all "
                     "or --adb", EXIT_USAGE)
            source = open_offline_source(capture_path)
            outcome = _scan_one(source, settings, out, quiet, save_capture=False)
            sys.exit(_exit_code([outcome], fail_on))
        limits = Limits(idle_s=idle_timeout, scan_s=timeout)
        entries = all_devices(resolve_addresses(adb))
        targets = choose_all(entries) if scan_all else [choose_one(entries, serial)]
    outcomes = _scan_devices(targets, limits, settings, out, quiet)
    sys.exit(_exit_code(outcomes, fail_on))


def _attestations(texts: tuple[str, ...], by: str) -> tuple[Attestation, ...]:
    """--attest FACT=VALUE (repeatable) → attestations stamped with who and when."""
    at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        return tuple(parse_attestation(text, by, at) for text in texts)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--attest") from exc


def _scan_devices(targets: list[DeviceEntry], limits: Limits, settings: ScanSettings,
                  out: Path, quiet: bool) -> list[ScanOutcome]:
    if len(targets) == 1:
        source = LiveSource(targets[0].address, targets[0].serial, limits,
                            use_root=settings.use_root)
        with user_errors():
            return [_scan_one(source, settings, out, quiet)]

    def done(label: str, outcome: ScanOutcome | None, error: str) -> None:
        if outcome is None:
            err_console.print(f"[red]{label}:[/] {error}", highlight=False, soft_wrap=True)
        else:
            out_console.print(f"{label}: {outcome.report.summary()['posture']} "
                              f"{outcome.files.get('html', outcome.folder)}", highlight=False,
                              soft_wrap=True)

    run = scan_fleet(targets, limits, settings, out, done)
    out_console.print(f"Fleet index: [bold]{run.index}[/bold]", highlight=False, soft_wrap=True)
    if run.failures:
        sys.exit(EXIT_DEVICE)
    return list(run.outcomes.values())


def _scan_one(source: Source, settings: ScanSettings, out: Path, quiet: bool,
              save_capture: bool = True) -> ScanOutcome:
    with progress_line(quiet) as progress:
        outcome = scan_source(source, settings, out, progress, save_capture=save_capture)
    main_file = outcome.files.get("html") or next(iter(outcome.files.values()))
    if quiet:
        out_console.print(str(main_file), highlight=False, soft_wrap=True)
    else:
        print_summary(out_console, outcome.report, str(main_file))
    return outcome


def _exit_code(outcomes: list[ScanOutcome], fail_on: str) -> int:
    if any(o.incomplete for o in outcomes):
        for outcome in outcomes:
            if outcome.incomplete:
                err_console.print(
                    f"[bold red]error:[/] the phone stopped answering during the scan; "
                    f"{len(outcome.incomplete)} reading(s) are missing and are reported as "
                    f"not checked. Partial results: {outcome.folder}", highlight=False)
        return EXIT_DEVICE
    if any(fails_at_or_above(o.report, fail_on) for o in outcomes):
        return EXIT_FINDINGS
    return EXIT_OK


@main.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("droidaudit-reports"), show_default=True)
@click.option("--profile", type=click.Choice(PROFILES), default="personal", show_default=True)
@click.option("--live", is_flag=True,
              help="Scan it through the real live path: start a virtual phone that speaks "
                   "adbd's protocol and a private adb server, scan, then stop both.")
def demo(out: Path, profile: str, live: bool) -> None:
    """Scan a bundled example phone (a Pixel 7 on Android 14 with a few problems) and
    print the report's path. Needs no phone.

    \b
    Examples:
      droidaudit demo && xdg-open droidaudit-reports/demo-*/report.html
      droidaudit demo --live      # through a real adb server to a virtual phone
    """
    from droidaudit.sources.capture_dir import CaptureSource

    settings = ScanSettings(profile=profile)
    with user_errors():
        settings.load()
        with demo_capture_dir() as path:
            if live:
                _demo_live(path, settings, out)
            else:
                _scan_one(CaptureSource(path), settings, out, quiet=False, save_capture=False)


def _demo_live(capture: Path, settings: ScanSettings, out: Path) -> None:
    with serve_demo_phone(capture) as (address, serial):
        err_console.print(f"Virtual phone {serial} on a private adb server {address}",
                          highlight=False, soft_wrap=True)
        source = LiveSource(address, serial, Limits(idle_s=30, scan_s=120))
        outcome = _scan_one(source, settings, out, quiet=False)
    if outcome.incomplete:
        sys.exit(EXIT_DEVICE)


@main.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write into (default: beside a report.json, else "
                   "./droidaudit-reports/<name>-<time>/).")
@click.option("--format", "formats", default="html", show_default=True,
              help="Formats to write, comma-separated: html, json, sarif, junit.")
@click.option("--profile", type=click.Choice(PROFILES), default="personal", show_default=True,
              help="Rule profile, when PATH is a capture.")
def report(path: Path, out: Path | None, formats: str, profile: str) -> None:
    """Re-render a report from a report.json, or re-evaluate a saved capture.

    \b
    Examples:
      droidaudit report droidaudit-reports/R58M12ABCDE-20261124T101500Z/report.json
      droidaudit report droidaudit-reports/R58M12ABCDE-20261124T101500Z --format sarif,junit
    """
    chosen = _formats(formats)
    with user_errors():
        loaded = report_of_path(path, ScanSettings(profile=profile))
        json_path = path / "report.json" if path.is_dir() else path
        if out is None and json_path.is_file() and json_path.suffix == ".json":
            folder = json_path.parent
        else:
            folder = report_folder(out or Path("droidaudit-reports"), path.stem,
                                   datetime.now(UTC))
        files = write_reports(loaded, folder, chosen)
    for written in files.values():
        out_console.print(str(written), highlight=False, soft_wrap=True)


@main.command()
@click.argument("old", type=click.Path(exists=True, path_type=Path))
@click.argument("new", type=click.Path(exists=True, path_type=Path))
def diff(old: Path, new: Path) -> None:
    """Compare two scans of a phone (report.json files, report folders or captures):
    what got worse, what got better, which facts changed. Exit 1 if a check newly fails.

    \b
    Example:
      droidaudit diff reports/R58M-20260101T090000Z reports/R58M-20261124T101500Z
    """
    settings = ScanSettings()
    with user_errors():
        changes, facts = diff_reports(report_of_path(old, settings), report_of_path(new, settings))
    if not changes and not facts:
        out_console.print("No differences.", highlight=False)
        return
    for change in changes:
        colour = "red" if change.worse else ("green" if change.after == "pass" else "yellow")
        item = f" ({change.item})" if change.item else ""
        out_console.print(f"[{colour}]{change.before} → {change.after}[/] {change.rule} "
                          f"{change.title}{item}", highlight=False, soft_wrap=True)
    for name, (before, after) in facts.items():
        out_console.print(f"fact {name}: {before!r} → {after!r}", highlight=False,
                          soft_wrap=True)
    if any(change.worse for change in changes):
        sys.exit(EXIT_FINDINGS)


@main.group()
def rules() -> None:
    """List, check and explain the rules."""


@rules.command("list")
@click.option("--rules", "rules_paths", multiple=True, type=click.Path(exists=True,
              path_type=Path), help="Rule files or folders (default: built-in).")
def rules_list(rules_paths: tuple[Path, ...]) -> None:
    """Show every loaded rule: id, severity, area, profiles, title.

    \b
    Example:
      droidaudit rules list
    """
    from droidaudit.rules.loader import load_rules

    with user_errors():
        loaded = load_rules(list(rules_paths) or None)
    for rule in sorted(loaded, key=lambda r: r.id):
        out_console.print(f"{rule.id:<11} {rule.severity:<9} {rule.area:<12} "
                          f"{','.join(rule.profiles):<40} {rule.title}", highlight=False)
    out_console.print(f"{len(loaded)} rules", highlight=False)


@rules.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def rules_lint(paths: tuple[Path, ...]) -> None:
    """Check rule files: unknown keys, facts and ops, duplicate ids, missing text.

    \b
    Example:
      droidaudit rules lint            # the built-in rules
      droidaudit rules lint my-rules/
    """
    from droidaudit.rules.lint import lint_rules

    with user_errors():
        problems = lint_rules(list(paths) or None)
    for problem in problems:
        out_console.print(str(problem), highlight=False, soft_wrap=True)
    if problems:
        fail(f"{len(problems)} problem(s) in the rules", EXIT_USAGE)
    out_console.print("rules OK", highlight=False)


@rules.command("explain")
@click.argument("rule_id")
def rules_explain(rule_id: str) -> None:
    """Everything about one rule: what it checks, why, how to fix, references.

    \b
    Example:
      droidaudit rules explain PATCH-001
    """
    from droidaudit.rules.loader import explain_rule, load_rules

    with user_errors():
        loaded = load_rules(None)
    match = [r for r in loaded if r.id.lower() == rule_id.lower()]
    if not match:
        fail(f"no rule {rule_id}; `droidaudit rules list` shows them all", EXIT_USAGE)
    out_console.print(explain_rule(match[0]), highlight=False, soft_wrap=True)


@main.command()
def probes() -> None:
    """List every command droidaudit may send to a phone (all read-only).

    \b
    Example:
      droidaudit probes
    """
    from droidaudit.probes import PROBES

    for probe in PROBES:
        out_console.print(f"{probe.name:<24} {probe.command}", highlight=False, soft_wrap=True)

