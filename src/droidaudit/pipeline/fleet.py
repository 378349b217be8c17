"""Many phones at once (a lab: several USB hubs, maybe several hosts). Every phone each adb
server lists is accounted for: a ready one is scanned (at most `jobs` at a time, each in
its own thread under its own watchdog, so one phone's hang never stalls another); one in
any other state is reported with its state and what to do. The run ends with a fleet
index, fleet.json and fleet.csv naming every phone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from droidaudit.errors import DroidauditError
from droidaudit.pipeline.options import RuleSet, ScanOptions
from droidaudit.pipeline.scan import ScanOutcome, report_folder, scan_source
from droidaudit.report.fleet_index import write_fleet_files
from droidaudit.report.fleet_rows import FleetEntry
from droidaudit.report.redact import MASK
from droidaudit.report.verdict import INCOMPLETE, NOT_SCANNED, SCAN_FAILED, verdict_of
from droidaudit.sources.adb_server import DeviceEntry
from droidaudit.sources.live import Limits, LiveSource
from droidaudit.timestamps import iso_utc

# USB 2.0 hubs share one 480 Mbit/s link and a scan reads a few MB, so 8 phones at once
# keep a hub busy without starving any; host-side parsing holds the GIL, so more threads
# only queue. Labs with several hubs or hosts raise it with --jobs.
DEFAULT_JOBS = 8

_FIX_INCOMPLETE = ("Check the cable and that the phone stays unlocked, replug it, "
                   "and scan it again.")
_FIX_FAILED = "Replug the phone and scan it again; if it keeps failing, restart adb on its host."


@dataclass
class PhoneResult:
    """One phone's part of a fleet run (or of a watch)."""

    server: str
    serial: str
    state: str  # what adb listed
    listed_model: str = ""
    outcome: ScanOutcome | None = None
    error: str = ""  # why it was not scanned, or not to the end
    fix: str = ""  # what the person at the bench should do
    result: str = ""  # a verdict word (report.verdict)
    new_failures: tuple[str, ...] | None = None

    @property
    def complete(self) -> bool:
        return self.outcome is not None and not self.outcome.incomplete and not self.error

    def fleet_entry(self) -> FleetEntry:
        outcome = self.outcome
        return FleetEntry(
            server=self.server, serial=self.serial, state=self.state, result=self.result,
            report=outcome.report if outcome else None,
            report_path=_main_file(outcome) if outcome else None,
            error=self.error, fix=self.fix, listed_model=self.listed_model,
            new_failures=self.new_failures)


def _main_file(outcome: ScanOutcome) -> Path:
    """The report a person opens: HTML when written, else the first format, else the
    folder."""
    return outcome.files.get("html") or next(iter(outcome.files.values()), outcome.folder)


class FleetObserver(Protocol):
    """Told what each phone is doing (the progress table, or plain lines)."""

    def stage(self, server: str, serial: str, message: str, model: str = "") -> None: ...

    def finished(self, result: PhoneResult) -> None: ...


Recorder = Callable[[PhoneResult], PhoneResult]  # stores a result, adds new_failures


def listed_model(entry: DeviceEntry) -> str:
    """`model:Pixel_7` from `adb devices -l`, as a person writes it."""
    for part in entry.detail.split():
        if part.startswith("model:"):
            return part.removeprefix("model:").replace("_", " ")
    return ""


def not_scanned(entry: DeviceEntry) -> PhoneResult:
    return PhoneResult(str(entry.address), entry.serial, entry.state, listed_model(entry),
                       error=f"not scanned: the phone is {entry.state}",
                       fix=entry.hint or "Replug the phone.", result=NOT_SCANNED)


def scan_phone(entry: DeviceEntry, limits: Limits, options: ScanOptions, ruleset: RuleSet,
               out: Path, progress: Callable[[str], None]) -> PhoneResult:
    """Scan one ready phone; any failure is this phone's result, never an exception."""
    try:
        source = LiveSource(entry.address, entry.serial, limits, use_root=options.use_root)
        outcome = scan_source(source, options, ruleset, out, progress)
    except DroidauditError as exc:
        return failed(entry, str(exc))
    except Exception as exc:  # a bug must not take the other phones down with it
        return failed(entry, f"unexpected {type(exc).__name__}: {exc}")
    return scanned(entry, outcome)


def failed(entry: DeviceEntry, error: str) -> PhoneResult:
    return PhoneResult(str(entry.address), entry.serial, entry.state, listed_model(entry),
                       error=error, fix=_FIX_FAILED, result=SCAN_FAILED)


def scanned(entry: DeviceEntry, outcome: ScanOutcome) -> PhoneResult:
    result = PhoneResult(str(entry.address), entry.serial, entry.state, listed_model(entry),
                         outcome=outcome, result=verdict_of(outcome.report))
    if outcome.incomplete:
        result.error = (f"the phone stopped answering during the scan: "
                        f"{len(outcome.incomplete)} reading(s) missing (see the partial "
                        "report)")
        result.fix, result.result = _FIX_INCOMPLETE, INCOMPLETE
    return result


@dataclass
class FleetRun:
    results: list[PhoneResult] = field(default_factory=list)
    index: Path | None = None


def scan_fleet(entries: Sequence[DeviceEntry], limits: Limits, options: ScanOptions,
               ruleset: RuleSet, out: Path, observer: FleetObserver,
               jobs: int = DEFAULT_JOBS, recorder: Recorder | None = None) -> FleetRun:
    """Scan every ready phone, account for every other one, write the fleet files."""
    record = recorder or (lambda result: result)

    def one(entry: DeviceEntry) -> PhoneResult:
        if not entry.ready:
            result = record(not_scanned(entry))
        else:
            def stage(message: str) -> None:
                observer.stage(str(entry.address), entry.serial, message)

            stage("starting")
            result = record(scan_phone(entry, limits, options, ruleset, out, stage))
        observer.finished(result)
        return result

    ready = [e for e in entries if e.ready]
    for entry in ready:
        observer.stage(str(entry.address), entry.serial, "waiting", listed_model(entry))
    run = FleetRun([one(e) for e in entries if not e.ready])
    with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(ready)))) as pool:
        run.results += pool.map(one, ready)
    run.index = FleetIndex(out, redact=options.redact).update(run.results)
    return run


class FleetIndex:
    """The fleet files of one run, in their own folder; rewritten whole on every update.
    With --redact they are as shareable as the reports: serials masked (the console,
    which the person at the bench reads, still names each phone)."""

    def __init__(self, out: Path, label: str = "fleet", redact: bool = False) -> None:
        self.folder = report_folder(out, label, datetime.now(UTC))
        self.redact = redact

    def update(self, results: Sequence[PhoneResult]) -> Path:
        entries = [r.fleet_entry() for r in results]
        if self.redact:
            entries = [replace(e, serial=MASK, error=e.error.replace(e.serial, MASK))
                       for e in entries]
        return write_fleet_files(entries, self.folder, iso_utc(datetime.now(UTC)))
