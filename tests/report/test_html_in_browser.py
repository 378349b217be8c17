"""report.html opened in a real browser (headless Chromium): it renders, the posture is
the first thing on the page, and nothing is fetched from the network."""

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from droidaudit.cli import main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
                          capture_output=True, text=True, timeout=120)


def test_demo_report_renders_in_chromium(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["demo", "--out", str(tmp_path / "out")])
    html = next((tmp_path / "out").glob("*/report.html"))
    dom = chromium(tmp_path, "--dump-dom", html.as_uri()).stdout
    body = dom[dom.index("<body"):]
    assert result.exit_code == 0
    assert "At risk" in body[:4000]  # the posture comes first
    assert "Fix these" in body and "Check these by hand" in body
    shot = tmp_path / "report.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1000,1400", html.as_uri())
    assert shot.is_file() and shot.stat().st_size > 10_000


def test_fleet_index_sort_script_runs_under_its_csp(tmp_path: Path) -> None:
    from droidaudit.pipeline.fleet import FleetIndex, PhoneResult

    index = FleetIndex(tmp_path).update([
        PhoneResult("h:5037", "A", "unauthorized", error="e", result="not scanned"),
        PhoneResult("h:5037", "B", "offline", error="e", result="not scanned")])
    dom = chromium(tmp_path, "--dump-dom", index.as_uri()).stdout
    # The script turns headings into sort buttons: it ran, so the CSP hash matched.
    assert dom.count("<button") == 12 and "A</small>" in dom and "B</small>" in dom
