"""The capture on disk: byte-exact round trip, private modes, bad input as plain errors."""

import json
import stat
from pathlib import Path

import pytest

from droidaudit.capture import Capture, CaptureError, ProbeOutput


def test_capture_round_trips_byte_for_byte(tmp_path: Path) -> None:
    raw = b"\xff\xfe[\x00a\x00]\x00\r\n\x00"
    capture = Capture(device={"serial": "X"}, started="2026-01-01T00:00:00Z")
    capture.add(ProbeOutput("getprop", "getprop", raw, 0, 0.5))
    capture.add(ProbeOutput("dumpsys_backup", "dumpsys backup", b"par", None, 1.0, "output cut off"))
    capture.save(tmp_path / "c")
    loaded = Capture.load(tmp_path / "c")
    assert loaded.probes["getprop"].data == raw
    assert loaded.probes["dumpsys_backup"].error == "output cut off"
    assert loaded.text("dumpsys_backup") is None
    assert "cut off" in loaded.why_missing("dumpsys_backup")


def test_capture_files_are_private(tmp_path: Path) -> None:
    capture = Capture()
    capture.add(ProbeOutput("getprop", "getprop", b"x", 0))
    capture.save(tmp_path / "c")
    assert stat.S_IMODE((tmp_path / "c").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "c" / "probes" / "getprop.txt").stat().st_mode) == 0o600


def test_command_not_found_is_not_an_answer() -> None:
    output = ProbeOutput("sms_role", "cmd role ...", b"sh: cmd: not found", 127)
    assert not output.usable
    assert "not available" in output.problem


def test_not_a_capture_is_a_plain_error(tmp_path: Path) -> None:
    with pytest.raises(CaptureError, match=r"manifest\.json"):
        Capture.load(tmp_path)


def test_path_traversal_in_manifest_is_refused(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text(json.dumps(
        {"format": "droidaudit-capture/1", "probes": {"../../etc/passwd": {}}}))
    with pytest.raises(CaptureError, match="bad probe"):
        Capture.load(tmp_path)
