"""Shared helpers for the hostile-input suite (issue #14): every input is generated here,
from the bundled demo capture or from scratch; nothing big is stored in the repository."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from pathlib import Path

from click.testing import CliRunner

from droidaudit.capture import Capture
from droidaudit.cli import main
from droidaudit.facts import FactSet
from droidaudit.facts.derive import extract_facts
from droidaudit.rules.engine import evaluate
from droidaudit.rules.loader import load_rules
from droidaudit.rules.model import Finding

DEMO = Path(__file__).parents[2] / "fixtures" / "demo-pixel7-a14"
RULES = load_rules()


def demo() -> Capture:
    return copy.deepcopy(_DEMO)


_DEMO = Capture.load(DEMO)


def scan(capture: Capture, profile: str = "personal") -> tuple[FactSet, dict[tuple[str, str | None], Finding]]:
    scanned = datetime.fromisoformat(capture.started.replace("Z", "+00:00"))
    facts = extract_facts(capture, scanned)
    findings = evaluate(RULES, facts, profile=profile, today=scanned.date())
    return facts, {(f.rule, f.item): f for f in findings}


def forge(capture: Capture, probe: str, real: bytes, forged: bytes) -> Capture:
    assert real in capture.probes[probe].data, f"{real!r} not in {probe}"
    capture.probes[probe].data = capture.probes[probe].data.replace(real, forged, 1)
    return capture


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def only_folder(out: Path) -> Path:
    folders = [p for p in out.iterdir() if p.is_dir()]
    assert len(folders) == 1, folders
    return folders[0]


def report_json(out: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((only_folder(out) / "report.json").read_text())
