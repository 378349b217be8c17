"""Wires the pipeline: a source's capture → facts → findings → report files.

Used the same way for a live phone and for a saved capture, so that re-evaluating a
capture gives the findings the live scan gave: the scan time is the capture's own time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from droidaudit import __version__
from droidaudit.capture import Capture, write_private
from droidaudit.facts import FactSet
from droidaudit.facts.derive import extract_facts
from droidaudit.pipeline.options import RuleSet, ScanOptions, load_ruleset
from droidaudit.report.formats import FORMATS
from droidaudit.report.load import load_report
from droidaudit.report.model import ScanReport, severity_rank
from droidaudit.report.redact import redact_capture, redact_report, report_masker
from droidaudit.rules.engine import evaluate
from droidaudit.rules.loader import rules_version
from droidaudit.sources.base import Progress, Source, no_progress
from droidaudit.sources.detect import open_offline_source
from droidaudit.timestamps import folder_utc, iso_utc


def capture_time(capture: Capture) -> datetime:
    for stamp in (capture.finished, capture.started):
        try:
            return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(UTC)
        except ValueError:
            continue
    return datetime.now(UTC)


def evaluate_capture(capture: Capture, options: ScanOptions, ruleset: RuleSet,
                     warnings: Sequence[str] = (), from_disk: bool = False) -> ScanReport:
    """Facts and findings of a capture. `from_disk`: read back from a saved capture, so
    the report names that as its source even when the capture was recorded live."""
    scanned_at = options.as_of or capture_time(capture)
    facts = extract_facts(capture, scanned_at, attestations=options.attestations,
                          iocs=ruleset.iocs)
    device = {
        "serial": str(facts.value("device.serial") or capture.device.get("serial", "")),
        "manufacturer": facts.value("device.manufacturer"),
        "model": facts.value("device.model"),
        "release": facts.value("os.release"),
        "sdk": facts.value("os.sdk"),
        "transport": capture.device.get("transport", ""),
    }
    findings = evaluate(ruleset.rules, facts, profile=options.profile,
                        waivers=ruleset.waivers,
                        device={k: str(v) for k, v in device.items() if v is not None},
                        today=scanned_at.date())
    return ScanReport(
        device=device,
        scanned_at=iso_utc(scanned_at),
        origin="capture" if from_disk and capture.origin == "live" else capture.origin,
        profile=options.profile,
        facts=facts,
        findings=findings,
        rules_version=rules_version(ruleset.rules),
        tool_version=__version__,
        warnings=list(warnings) + facts_warnings(facts),
        incomplete=capture.transport_failures(),
        handover=options.handover(),
        started_at=_started_at(capture, scanned_at),
    )


def _started_at(capture: Capture, scanned_at: datetime) -> str:
    """When reading began, kept as far before `scanned_at` as the capture took (so a scan
    evaluated as of another time still shows how long it took); '' when unknown."""
    try:
        started = datetime.fromisoformat(capture.started.replace("Z", "+00:00"))
    except ValueError:
        return ""
    return iso_utc(scanned_at - (capture_time(capture) - started))


def facts_warnings(facts: FactSet) -> list[str]:
    """Parser failures are worth telling the reader about (their facts are unknown)."""
    return [f"Could not parse {fact.source}: {fact.value}" for fact in facts
            if fact.name.startswith("_error.")]


def report_folder(out: Path, label: str, when: datetime) -> Path:
    """Create and return a new private folder `<label>-<UTC time>` (suffixed if taken:
    parallel scans of phones with the same serial never share one)."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", label).strip("._") or "phone"
    out.mkdir(parents=True, exist_ok=True)
    base = f"{safe}-{folder_utc(when)}"
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
    capture_kept: str = "none"  # what capture is beside the report: raw, redacted or none


def scan_source(source: Source, options: ScanOptions, ruleset: RuleSet, out: Path,
                progress: Progress = no_progress, save_capture: bool = True,
                from_disk: bool = False) -> ScanOutcome:
    """Collect from a source, evaluate, write the report folder (and the capture, unless it
    is already a capture on disk or --no-capture). With --redact everything written is
    masked: the folder name, every format, and the capture beside them."""
    capture = source.collect(progress)
    progress("Evaluating rules")
    report = evaluate_capture(capture, options, ruleset, from_disk=from_disk)
    kept = capture if save_capture and options.keep_capture else None
    if options.redact:
        masker = report_masker(report)
        report = redact_report(report)
        kept = redact_capture(kept, masker) if kept is not None else None
    # A source's label is often the serial (or a folder named after it): never in a name.
    label = "phone" if options.redact else source.label
    folder = report_folder(out, label, capture_time(capture))
    files = write_reports(report, folder, options.formats, kept)
    how = "none" if kept is None else ("redacted" if options.redact else "raw")
    return ScanOutcome(report, folder, files, report.incomplete, how)


def report_of_path(path: Path, options: ScanOptions) -> ScanReport:
    """A report from a report.json (or a folder holding one), else by evaluating a capture
    (a droidaudit capture, an AndroidQF acquisition or a bugreport)."""
    json_path = path / "report.json" if path.is_dir() else path
    if json_path.is_file() and json_path.suffix == ".json":
        return load_report(json_path)
    capture = open_offline_source(path).collect()
    return evaluate_capture(capture, options, load_ruleset(options), from_disk=True)
