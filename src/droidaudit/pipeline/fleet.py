"""Many phones at once (a lab: several USB hubs, maybe several hosts): each phone is
scanned in its own thread, so one phone's hang or fault never stalls another, and the
run ends with a fleet index linking every phone's report."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from droidaudit.capture import write_private
from droidaudit.pipeline.options import RuleSet, ScanOptions
from droidaudit.pipeline.scan import ScanOutcome, report_folder, scan_source
from droidaudit.report.fleet_index import FleetEntry, render_fleet_csv, render_fleet_html
from droidaudit.sources.adb_server import DeviceEntry
from droidaudit.sources.live import Limits, LiveSource
from droidaudit.timestamps import iso_utc

MAX_PARALLEL = 16


@dataclass
class FleetRun:
    outcomes: dict[str, ScanOutcome] = field(default_factory=dict)  # label → outcome
    failures: dict[str, str] = field(default_factory=dict)  # label → why the scan failed
    index: Path | None = None


def phone_label(entry: DeviceEntry, several_servers: bool) -> str:
    return f"{entry.serial} ({entry.address})" if several_servers else entry.serial


def scan_fleet(targets: Sequence[DeviceEntry], limits: Limits, options: ScanOptions,
               ruleset: RuleSet, out: Path,
               on_done: Callable[[str, ScanOutcome | None, str], None]) -> FleetRun:
    """Scan every target in parallel; call `on_done(label, outcome, error)` as each ends."""
    several_servers = len({str(entry.address) for entry in targets}) > 1
    run = FleetRun()

    def one(entry: DeviceEntry) -> None:
        label = phone_label(entry, several_servers)
        try:
            source = LiveSource(entry.address, entry.serial, limits, use_root=options.use_root)
            outcome = scan_source(source, options, ruleset, out)
        except Exception as exc:  # one phone's failure is its own, never the run's
            run.failures[label] = str(exc) or type(exc).__name__
            on_done(label, None, run.failures[label])
            return
        run.outcomes[label] = outcome
        on_done(label, outcome, "")

    with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL, len(targets))) as pool:
        list(pool.map(one, targets))
    entries = [FleetEntry(label, outcome.report, outcome.files.get("html"))
               for label, outcome in run.outcomes.items()]
    entries += [FleetEntry(label, None, None, error) for label, error in run.failures.items()]
    if options.redact:  # the index names phones by number, never by serial
        entries = [FleetEntry(f"phone {n}", e.report, e.report_path,
                              "scan failed" if e.error else "")
                   for n, e in enumerate(sorted(entries, key=lambda e: e.label), start=1)]
    run.index = write_fleet(sorted(entries, key=lambda e: e.label), out)
    return run


def write_fleet(entries: Sequence[FleetEntry], out: Path) -> Path:
    """index.html and fleet.csv for one multi-phone run; returns the index path."""
    now = datetime.now(UTC)
    folder = report_folder(out, "fleet", now)
    write_private(folder / "fleet.csv", render_fleet_csv(entries, folder))
    write_private(folder / "index.html",
                  render_fleet_html(entries, folder, iso_utc(now)))
    return folder / "index.html"
