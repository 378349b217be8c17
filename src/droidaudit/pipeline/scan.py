"""Wires the pipeline: a source's capture → facts → findings → report files.

Used the same way for a live phone and for a saved capture, so that re-evaluating a
capture gives the findings the live scan gave: the scan time is the capture's own time.
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from droidaudit import __version__
from droidaudit.capture import Capture, make_private_dirs, write_private
from droidaudit.facts import FactSet
from droidaudit.facts.derive import extract_facts
from droidaudit.pipeline.options import RuleSet, ScanOptions, load_ruleset
from droidaudit.report.formats import FORMATS
from droidaudit.report.load import load_report
from droidaudit.report.model import ScanReport, severity_rank
from droidaudit.report.redact import redact_capture, redact_report, report_masker
from droidaudit.rules.engine import evaluate
from droidaudit.rules.loader import rules_version
from droidaudit.rules.model import Finding
from droidaudit.sources.base import DeviceSourceError, Progress, Source, no_progress
from droidaudit.sources.detect import open_offline_source
from droidaudit.timestamps import folder_utc, iso_utc


def capture_time(capture: Capture) -> datetime:
    for stamp in (capture.finished, capture.started):
        try:
            return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(UTC)
        except ValueError:
            continue
    return datetime.now(UTC)


def judging_time(capture: Capture) -> tuple[datetime, list[str]]:
    """When ages are judged, and a warning when the phone's own clock is the capture time.

    A bugreport's time is the phone's clock, which the phone controls: set back, it makes
    an old patch look new. Ages are judged at the later of the phone's time and the import
    time (the worse reading), and the report says both."""
    scanned_at = capture_time(capture)
    if not capture.imported:
        return scanned_at, []
    imported = datetime.fromisoformat(capture.imported.replace("Z", "+00:00")).astimezone(UTC)
    if imported.date() == scanned_at.date():
        return max(scanned_at, imported), []
    return max(scanned_at, imported), [
        f"The phone's clock said {iso_utc(scanned_at)} when it wrote this {capture.origin}; "
        f"it was imported at {iso_utc(imported)}. Ages (patch level) are judged at "
        f"{iso_utc(max(scanned_at, imported))}, the later of the two."]


def evaluate_capture(capture: Capture, options: ScanOptions, ruleset: RuleSet,
                     warnings: Sequence[str] = (), from_disk: bool = False) -> ScanReport:
    """Facts and findings of a capture. `from_disk`: read back from a saved capture, so
    the report names that as its source even when the capture was recorded live."""
    scanned_at = options.as_of or capture_time(capture)
    judged_at, clock_warnings = (scanned_at, []) if options.as_of else judging_time(capture)
    facts = extract_facts(capture, judged_at, attestations=options.attestations,
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
                        today=judged_at.date())
    return ScanReport(
        device=device,
        scanned_at=iso_utc(scanned_at),
        origin="capture" if from_disk and capture.origin == "live" else capture.origin,
        profile=options.profile,
        facts=facts,
        findings=findings,
        rules_version=rules_version(ruleset.rules),
        tool_version=__version__,
        warnings=(list(warnings) + clock_warnings + facts_warnings(facts)
                  + ruleset_warnings(ruleset, findings, options.profile)),
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


def ruleset_warnings(ruleset: RuleSet, findings: Sequence[Finding], profile: str) -> list[str]:
    """Loud notes when the rule set cannot support a clean verdict: no rule ran, or a
    waiver covers every rule (`rule = "*"`)."""
    notes: list[str] = []
    if not findings:
        notes.append(f"NOTHING WAS CHECKED: no rule applies to profile {profile!r} "
                     f"({len(ruleset.rules)} rule(s) loaded). Check --rules and --profile.")
    ids = [rule.id for rule in ruleset.rules]
    for waiver in ruleset.waivers:
        if len(ids) > 1 and all(fnmatch.fnmatchcase(i.upper(), waiver.rule.upper()) for i in ids):
            notes.append(f"WAIVER COVERS EVERY RULE: {waiver.source} (rule = {waiver.rule!r}) "
                         "waives every check it matches; a waiver should name the rules it "
                         "accepts.")
    return notes


def facts_warnings(facts: FactSet) -> list[str]:
    """Parser failures are worth telling the reader about (their facts are unknown)."""
    return [f"Could not parse {fact.source}: {fact.value}" if fact.name.startswith("_error.")
            else str(fact.value) for fact in facts
            if fact.name.startswith(("_error.", "_warning."))]


FOLDER_MARK = ".droidaudit-folder"  # written in every folder droidaudit creates


def report_folder(out: Path, label: str, when: datetime) -> Path:
    """Create and return a new private folder `<label>-<UTC time>` (suffixed if taken:
    parallel scans of phones with the same serial never share one). `out` and any parent
    created for it are 0700 too."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", label).strip("._")[:80] or "phone"
    make_private_dirs(out)
    base = f"{safe}-{folder_utc(when)}"
    for suffix in range(1, 1000):
        folder = out / (base if suffix == 1 else f"{base}-{suffix}")
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue
        os.chmod(folder, 0o700)
        write_private(folder / FOLDER_MARK, b"droidaudit created this folder\n")
        return folder
    raise FileExistsError(f"too many reports named {base} in {out}")


def created_by_droidaudit(folder: Path) -> bool:
    """Whether droidaudit may write into `folder` again: a real folder (no symlink), ours,
    private, holding the mark report_folder leaves. A folder received from elsewhere may
    hold planted links; `droidaudit report` then needs --out."""
    try:
        info = folder.lstat()
        mark = (folder / FOLDER_MARK).lstat()
    except OSError:
        return False
    return (stat.S_ISDIR(info.st_mode) and stat.S_ISREG(mark.st_mode)
            and info.st_uid == os.geteuid() and not info.st_mode & 0o077)


def write_reports(report: ScanReport, folder: Path, formats: Sequence[str],
                  capture: Capture | None = None) -> dict[str, Path]:
    """Write the capture (live scans) and each report format; return format → path."""
    make_private_dirs(folder)
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
    offline: bool = False  # read from a saved capture or an import, not from a phone now


def scan_source(source: Source, options: ScanOptions, ruleset: RuleSet, out: Path,
                progress: Progress = no_progress, save_capture: bool = True,
                from_disk: bool = False) -> ScanOutcome:
    """Collect from a source, evaluate, write the report folder (and the capture, unless it
    is already a capture on disk or --no-capture). With --redact everything written is
    masked: the folder name, every format, and the capture beside them."""
    capture = source.collect(progress)
    # live scans save their capture; the demo reads its bundled one from disk
    offline = from_disk or not save_capture or capture.origin != "live"
    if offline and not any(p.usable for p in capture.probes.values()):
        raise NothingReadError(f"nothing could be read from {source.label}: "
                               f"{_why_nothing(capture)}")
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
    return ScanOutcome(report, folder, files, report.incomplete, capture_kept=how,
                       offline=offline)


class NothingReadError(DeviceSourceError):
    """An offline input gave no readable output at all (exit 3, like a phone that never
    answered): a report of it would be all unknowns, not a scan."""


def _why_nothing(capture: Capture) -> str:
    if not capture.probes:
        return "it holds no command output droidaudit reads"
    problems = [f"{name}: {p.problem}" for name, p in sorted(capture.probes.items())]
    return "; ".join(problems[:5]) + (" …" if len(problems) > 5 else "")


def report_of_path(path: Path, options: ScanOptions) -> ScanReport:
    """A report from a report.json (or a folder holding one), else by evaluating a capture
    (a droidaudit capture, an AndroidQF acquisition or a bugreport)."""
    json_path = path / "report.json" if path.is_dir() else path
    if json_path.is_file() and json_path.suffix == ".json":
        return load_report(json_path)
    capture = open_offline_source(path).collect()
    return evaluate_capture(capture, options, load_ruleset(options), from_disk=True)
