"""Fixtures for the virtual phone's tests. The rig fixtures live in tests/adbrig.py so
other test packages can import them the same way."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

from tests.adbrig import adb_binary, adb_rig  # noqa: F401  (fixtures)

MINI = Path(__file__).parent / "data" / "mini"
BIG_SIZE = 5 * 1024 * 1024


@pytest.fixture(scope="session")
def mini_capture() -> Path:
    """A small hand-written capture (Pixel 7, Android 14) with a manifest."""
    return MINI


@pytest.fixture(scope="session")
def big_capture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini capture plus a 5 MiB `dumpsys package packages` of every byte value
    (NULs, CR, invalid UTF-8): the stream must arrive byte for byte."""
    target = tmp_path_factory.mktemp("big") / "capture"
    shutil.copytree(MINI, target)
    data = random.Random(2024).randbytes(BIG_SIZE)
    (target / "probes" / "dumpsys_package.txt").write_bytes(data)
    return target


@pytest.fixture(scope="session")
def rooted_capture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("rooted") / "capture"
    shutil.copytree(MINI, target)
    (target / "probes" / "which_su.txt").write_text("/system/xbin/su\n")
    manifest = json.loads((target / "manifest.json").read_text())
    manifest["probes"]["which_su"]["exit_code"] = 0
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return target
