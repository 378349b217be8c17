"""`scan --all` for a lab (every phone every adb server lists, `--jobs` at a time, with a
progress table) and recording single scans in the history database. Called from scan.py,
which only parses the options."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from droidaudit.cli.common import say, warn

if TYPE_CHECKING:
    from droidaudit.history import History
    from droidaudit.pipeline.options import RuleSet, ScanOptions
    from droidaudit.pipeline.recording import Recorder
    from droidaudit.pipeline.scan import ScanOutcome
    from droidaudit.sources.adb_server import DeviceEntry
    from droidaudit.sources.live import Limits


# The default lives in pipeline.fleet (DEFAULT_JOBS, with the reasoning); it is not
# imported here so that `--help` stays light. tests/cli checks that the two agree.
jobs_option = click.option(
    "--jobs", "-j", type=click.IntRange(min=1), metavar="N",
    help="With --all: how many phones are scanned at once (default 8: keeps a USB 2.0 hub "
         "busy without starving any phone; each phone keeps its own --timeout).")


def run_fleet(entries: list[DeviceEntry], limits: Limits, options: ScanOptions,
              ruleset: RuleSet, out: Path, jobs: int | None, history: History | None,
              quiet: bool, fail_on: str) -> None:
    """Scan every listed phone, write the fleet files, exit with the worst code."""
    from droidaudit.cli.progress import FleetProgress
    from droidaudit.pipeline.fleet import DEFAULT_JOBS, scan_fleet
    from droidaudit.pipeline.outcome import fleet_exit_code
    from droidaudit.pipeline.recording import Recorder

    if not entries:
        from droidaudit.sources.select import choose_one

        choose_one(entries, None)  # raises: no phone found, and how to connect one
    recorder = Recorder(history, options)
    with FleetProgress(quiet) as progress:
        run = scan_fleet(entries, limits, options, ruleset, out, progress,
                         jobs=jobs or DEFAULT_JOBS, recorder=recorder)
    warn_unrecorded(recorder)
    missed = [r for r in run.results if not r.complete]
    if missed:
        warn(f"could not scan {len(missed)} of {len(run.results)} phone(s) to the end: "
             "see the lines above and the index", style="bold red")
    say(f"Fleet index: {run.index}", path=True)
    sys.exit(fleet_exit_code(run.results, fail_on))


def record_one(history: History | None, options: ScanOptions, entry: DeviceEntry | None,
               outcome: ScanOutcome) -> None:
    """Record a single scan (a phone, or a saved capture when entry is None)."""
    from droidaudit.pipeline.recording import Recorder

    recorder = Recorder(history, options)
    if entry is None:  # a saved capture: never pull in the live stack (adbutils) for it
        recorder.offline_scan(outcome)
    else:
        from droidaudit.pipeline.fleet import scanned

        recorder(scanned(entry, outcome))
    warn_unrecorded(recorder)


def warn_unrecorded(recorder: Recorder) -> None:
    if recorder.problem:
        warn(f"warning: not recorded in the history: {recorder.problem}", style="yellow")
