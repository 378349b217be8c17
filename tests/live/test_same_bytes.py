"""Speed work keeps every byte (issue 15): each corpus profile (and its alternate captures),
the demo phone and the live-test phones, served by a virtual phone and scanned through the
real adb server with the concurrent shells and buffered frames, give a capture whose
bytes are the profile's own, and the facts and findings its offline evaluation gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from droidaudit.capture import Capture
from droidaudit.pipeline.options import ScanOptions, load_ruleset
from droidaudit.pipeline.scan import evaluate_capture
from droidaudit.probes import PROBES_BY_NAME
from droidaudit.report.json_report import report_dict
from droidaudit.sources.adb_server import AdbAddress
from droidaudit.sources.live import Limits, LiveSource
from droidaudit.vphone.rig import AdbRig
from tests.corpus import alternates, capture_from_profile, corpus_profiles

ROOT = Path(__file__).parents[2]
FIXTURES = [ROOT / "fixtures" / "demo-pixel7-a14", Path(__file__).parent / "data" /
            "android6-nexus5x"]


def _captures() -> list[tuple[str, Capture]]:
    found = [(path.name, Capture.load(path)) for path in FIXTURES]
    for profile in corpus_profiles():
        found.append((profile.name, capture_from_profile(profile)))
        found += [(f"{profile.name}+{alt}", capture_from_profile(profile, alt))
                  for alt in alternates(profile)]
    return found


CAPTURES = _captures()


@pytest.mark.parametrize(("name", "expected"), CAPTURES, ids=[n for n, _ in CAPTURES])
def test_live_scan_keeps_every_byte_facts_and_findings(name: str, expected: Capture,
                                                       adb_rig: AdbRig, tmp_path: Path) -> None:
    served = tmp_path / "phone"
    for probe, output in expected.probes.items():  # the phone answers the real commands
        output.command = PROBES_BY_NAME[probe].command
    expected.save(served)
    serial = adb_rig.add_phone(served)
    # Android < 7 answers through a PTY, which turns every `\n` into `\r\n` on the way.
    pty = adb_rig.phone(serial).legacy
    try:
        live = LiveSource(AdbAddress(adb_rig.host, adb_rig.port), serial,
                          Limits(idle_s=20, scan_s=120)).collect()
    finally:
        adb_rig.remove_phone(serial)
    for probe, output in expected.probes.items():
        sent = output.data.replace(b"\n", b"\r\n") if pty else output.data
        assert live.probes[probe].data == sent, probe
        assert live.probes[probe].error == "", probe
    options = ScanOptions()
    ruleset = load_ruleset(options)
    live.probes = {p: o for p, o in live.probes.items() if p in expected.probes}
    for capture in (live, expected):
        capture.started = capture.finished = "2026-11-24T00:00:00Z"
        capture.device = {"serial": name}
        capture.origin = "live"
    got = report_dict(evaluate_capture(live, options, ruleset))
    want = report_dict(evaluate_capture(expected, options, ruleset))
    for key in ("facts", "fact_sources", "findings"):
        assert got[key] == want[key], key
