"""Wires the pipeline: a source's capture → facts → findings → report files.

Used the same way for a live phone and for a saved capture, so that re-evaluating a
capture gives the findings the live scan gave: the scan time is the capture's own time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from droidaudit import __version__
from droidaudit.attest import Attestation
from droidaudit.capture import Capture, write_private
from droidaudit.derive import extract_facts
from droidaudit.facts import FactSet
from droidaudit.iocs import IocSet, load_iocs
from droidaudit.report.fleet import FleetEntry, render_fleet_csv, render_fleet_html
from droidaudit.report.formats import FORMATS
from droidaudit.report.load import load_report
from droidaudit.report.model import ScanReport, severity_rank
from droidaudit.report.redact import redact_report
from droidaudit.rules.engine import evaluate
from droidaudit.rules.loader import load_rules, rules_version
from droidaudit.rules.model import Rule
from droidaudit.rules.waivers import Waiver, load_waivers
from droidaudit.sources.base import Progress, Source, no_progress
from droidaudit.sources.detect import open_offline_source


@dataclass
class ScanSettings:
    profile: str = "personal"
    formats: tuple[str, ...] = ("html", "json")
    rules_paths: tuple[Path, ...] = ()
    waivers_path: Path | None = None
    redact: bool = False
    rules: list[Rule] = field(default_factory=list)
    waivers: list[Waiver] = field(default_factory=list)
    attestations: tuple[Attestation, ...] = ()  # --attest FACT=VALUE --attested-by NAME
    iocs_path: Path | None = None  # --iocs FILE (STIX 2)
    iocs: IocSet | None = None
    use_root: bool = False  # --use-root: the person consented to su reads

    def load(self) -> ScanSettings:
        """Read rule, waiver and indicator files once (RuleError / IocError for a person)."""
        self.rules = load_rules(list(self.rules_paths) or None)
        self.waivers = load_waivers(self.waivers_path) if self.waivers_path else []
        self.iocs = load_iocs(self.iocs_path) if self.iocs_path else None
        return self


def capture_time(capture: Capture) -> datetime:
    for stamp in (capture.finished, capture.started):
        try:
            return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(UTC)
        except ValueError:
            continue
    return datetime.now(UTC)


def evaluate_capture(capture: Capture, settings: ScanSettings,
                     warnings: Sequence[str] = ()) -> ScanReport:
    scanned_at = capture_time(capture)
    facts = extract_facts(capture, scanned_at, attestations=settings.attestations,
                          iocs=settings.iocs)
    device = {
        "serial": str(facts.value("device.serial") or capture.device.get("serial", "")),
        "manufacturer": facts.value("device.manufacturer"),
        "model": facts.value("device.model"),
        "release": facts.value("os.release"),
        "sdk": facts.value("os.sdk"),
        "transport": capture.device.get("transport", ""),
    }
    findings = evaluate(settings.rules, facts, profile=settings.profile,
                        waivers=settings.waivers,
                        device={k: str(v) for k, v in device.items() if v is not None},
                        today=scanned_at.date())
    return ScanReport(
        device=device,
        scanned_at=scanned_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        origin=capture.origin,
        profile=settings.profile,
        facts=facts,
        findings=findings,
        rules_version=rules_version(settings.rules),
        tool_version=__version__,
        warnings=list(warnings) + facts_warnings(facts),
    )


def facts_warnings(facts: FactSet) -> list[str]:
    """Parser failures are worth telling the reader about (their facts are unknown)."""
    return [f"Could not parse {fact.source}: {fact.value}" for fact in facts
            if fact.name.startswith("_error.")]


def report_folder(out: Path, label: str, when: datetime) -> Path:
    """Create and return a new private folder `<label>-<UTC time>` (suffixed if taken:
    parallel scans of phones with the same serial never share one)."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", label).strip("._") or "phone"
    out.mkdir(parents=True, exist_ok=True)
    base = f"{safe}-{when.strftime('%Y%m%dT%H%M%SZ')}"
    for suffix in range(1, 1000):
        folder = out / (base if suffix == 1 else f"{base}-{suffix}")
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue
        return folder
    raise FileExistsError(f"too many reports named {base} in {out}")


def write_reports(report: ScanReport, folder: Path, formats: Sequence[str],
                  capture: Capture | None = None) -> dict[str, Path]:
    """Write the capture (live scans) and each report format; return format → path."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if capture is not None:
        capture.save(folder)
        report.capture_dir = str(folder)
    written: dict[str, Path] = {}
    for fmt in formats:
        name, render = FORMATS[fmt]
        write_private(folder / name, render(report))
        written[fmt] = folder / name
    return written


def fails_at_or_above(report: ScanReport, threshold: str) -> bool:
    if threshold == "none":
        return False
    rank = severity_rank(threshold)
    return any(severity_rank(f.severity) >= rank for f in report.failures())


@dataclass
class ScanOutcome:
    report: ScanReport
    folder: Path
    files: dict[str, Path]
    incomplete: list[str]  # probes a live scan could not read to the end


def scan_source(source: Source, settings: ScanSettings, out: Path,
                progress: Progress = no_progress, save_capture: bool = True) -> ScanOutcome:
    """Collect from a source, evaluate, write the report folder (and the capture, unless it
    is already a capture on disk)."""
    capture = source.collect(progress)
    incomplete = capture.transport_failures()
    warnings = [f"Not fully read: {line}" for line in incomplete]
    progress("Evaluating rules")
    report = evaluate_capture(capture, settings, warnings)
    if settings.redact:
        report = redact_report(report)
    label = "phone" if settings.redact and source.label == capture.device.get("serial") \
        else source.label
    folder = report_folder(out, label, capture_time(capture))
    files = write_reports(report, folder, settings.formats, capture if save_capture else None)
    return ScanOutcome(report, folder, files, incomplete)


def write_fleet(entries: Sequence[FleetEntry], out: Path) -> Path:
    """index.html and fleet.csv for one multi-phone run; returns the index path."""
    now = datetime.now(UTC)
    folder = report_folder(out, "fleet", now)
    write_private(folder / "fleet.csv", render_fleet_csv(entries, folder))
    write_private(folder / "index.html",
                  render_fleet_html(entries, folder, now.strftime("%Y-%m-%dT%H:%M:%SZ")))
    return folder / "index.html"


def report_of_path(path: Path, settings: ScanSettings) -> ScanReport:
    """A report from a report.json (or a folder holding one), else by evaluating a capture
    (a droidaudit capture, an AndroidQF acquisition or a bugreport)."""
    json_path = path / "report.json" if path.is_dir() else path
    if json_path.is_file() and json_path.suffix == ".json":
        return load_report(json_path)
    capture = open_offline_source(path).collect()
    return evaluate_capture(capture, settings.load())
