"""`droidaudit watch`: scan phones as they are plugged in, until Ctrl-C."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from droidaudit.cli.common import adb_option, parse_formats, profile_option, say
from droidaudit.cli.fleet import jobs_option, warn_unrecorded
from droidaudit.cli.history import db_options, open_history

if TYPE_CHECKING:
    from droidaudit.cli.progress import FleetProgress
    from droidaudit.pipeline.fleet import PhoneResult
    from droidaudit.pipeline.watch import Watcher

_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(_ctx: click.Context, _param: click.Parameter,
                   value: str | None) -> float | None:
    """`90`, `90s`, `10m`, `2h`, `1d` → seconds."""
    if value is None:
        return None
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", value.lower())
    if not match or float(match.group(1)) <= 0:
        raise click.BadParameter("use a number with s, m, h or d, e.g. 30m or 12h")
    return float(match.group(1)) * _UNITS[match.group(2)]


@click.command()
@adb_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("droidaudit-reports"), show_default=True,
              help="Where report folders and the session's fleet index (watch-<time>/) go.")
@click.option("--format", "formats", default="html,json", show_default=True,
              help="Report formats, comma-separated: html, json, sarif, junit.")
@click.option("--profile", type=profile_option(), default="personal", show_default=True)
@click.option("--rescan-after", "rescan_after", metavar="DURATION", callback=parse_duration,
              help="Scan a phone that stays connected again after this long (30m, 12h); "
                   "default: once per connection.")
@jobs_option
@click.option("--fail-on", type=click.Choice(("info", "low", "medium", "high", "critical",
                                              "none")), default="high", show_default=True)
@click.option("--timeout", type=float, default=600.0, show_default=True,
              help="Seconds one phone's scan may take before it is stopped.")
@click.option("--idle-timeout", type=float, default=60.0, show_default=True,
              help="Seconds to wait for a phone's next bytes before giving up on it.")
@click.option("--redact", is_flag=True, help="Mask serials and personal data in the reports "
              "and the database.")
@db_options
def watch(adb: tuple[str, ...], out: Path, formats: str, profile: str,
          rescan_after: float | None, jobs: int | None, fail_on: str, timeout: float,
          idle_timeout: float, redact: bool, db: Path | None, no_db: bool) -> None:
    """Wait for phones and scan each one when it is ready, until Ctrl-C.

    Prints one line per phone with its result and report; tells the person at the bench
    what to do when a phone is not ready (unauthorized: accept the prompt on the phone).
    Each phone is scanned once per connection. Ctrl-C stops cleanly: scans in progress
    finish (press it again to stop them now), the index is written. Exit code: as
    `scan --all`, over every phone seen.

    \b
    Examples:
      droidaudit watch
      droidaudit watch --adb 10.0.0.5:5037 --adb 10.0.0.6:5037 --out /srv/lab-reports
      droidaudit watch --rescan-after 12h
    """
    from droidaudit.cli.progress import FleetProgress
    from droidaudit.pipeline.fleet import DEFAULT_JOBS
    from droidaudit.pipeline.options import ScanOptions, load_ruleset
    from droidaudit.pipeline.outcome import fleet_exit_code
    from droidaudit.pipeline.recording import Recorder
    from droidaudit.pipeline.watch import Watcher, WatchSettings
    from droidaudit.sources.adb_server import resolve_addresses
    from droidaudit.sources.live import Limits

    options = ScanOptions(profile=profile, formats=parse_formats(formats), redact=redact)
    settings = WatchSettings(Limits(idle_s=idle_timeout, scan_s=timeout), options,
                             load_ruleset(options), out, jobs or DEFAULT_JOBS, rescan_after)
    addresses = resolve_addresses(adb)
    recorder = Recorder(open_history(db, no_db), options)
    with FleetProgress() as progress:
        watcher = Watcher(addresses, settings, progress, recorder)
        watcher.start()
        progress.notice(f"Watching {', '.join(map(str, addresses))}: plug phones in "
                        f"(index: {watcher.index.folder / 'index.html'}). Ctrl-C stops.")
        try:
            while True:
                time.sleep(0.5)
                watcher.tick()
        except KeyboardInterrupt:
            results = _stop(watcher, progress)
    warn_unrecorded(recorder)
    say(f"Fleet index: {watcher.index.folder / 'index.html'}", path=True)
    sys.exit(fleet_exit_code(results, fail_on))


def _stop(watcher: Watcher, progress: FleetProgress) -> list[PhoneResult]:
    """First Ctrl-C: let scans in progress end (each within its watchdog); a second one
    gives them up, recorded as interrupted."""
    running = len(watcher.running)
    if running:
        progress.notice(f"Stopping: finishing {running} scan(s) in progress "
                        "(Ctrl-C again to stop them now).")
    try:
        return watcher.stop(wait_s=None)
    except KeyboardInterrupt:
        return watcher.stop(wait_s=0)


COMMANDS = (watch,)
