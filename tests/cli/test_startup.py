"""Start-up costs only what a command uses: `--version` imports neither rich, jinja2 nor the
live stack, and evaluating a saved capture never imports adbutils (it pulls in requests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo-pixel7-a14"


def imported(*args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "droidaudit", *args],
                          capture_output=True, text=True, check=False)
    names = set()
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and line.startswith("import time:"):
            names.add(parts[2].strip().split(".")[0])
    return names


def test_version_imports_only_python_and_click() -> None:
    assert imported("--version").isdisjoint({"rich", "jinja2", "adbutils", "requests"})


def test_scanning_a_capture_never_imports_the_live_stack(tmp_path: Path) -> None:
    names = imported("scan", "--capture", str(DEMO), "--out", str(tmp_path), "-q", "--no-db")
    assert "jinja2" in names  # it did render the report
    assert names.isdisjoint({"adbutils", "requests"})
