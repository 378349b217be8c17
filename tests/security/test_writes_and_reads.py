"""Items 5, 6, 7, 9: no write through a planted link, no read through one, private folders
whatever the umask, and every offline file read with a cap."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from droidaudit.capture import Capture, CaptureError, write_private
from droidaudit.sources.archive import read_file_capped
from droidaudit.sources.base import SourceError
from tests.security.conftest import DEMO, only_folder, run


def test_report_never_writes_through_a_symlink_planted_in_a_received_folder(
        tmp_path: Path) -> None:
    run("scan", "--capture", str(DEMO), "--out", str(tmp_path / "out"), "-q")
    received = tmp_path / "received"
    shutil.copytree(only_folder(tmp_path / "out"), received, symlinks=True)
    (received / ".droidaudit-folder").unlink()
    secret = tmp_path / "authorized_keys"
    secret.write_text("ssh-ed25519 AAAA mine\n")
    (received / "report.html").unlink()
    (received / "report.html").symlink_to(secret)
    code, output = run("report", str(received / "report.json"))
    assert code == 2 and "--out" in output  # a folder droidaudit did not create: refused
    assert secret.read_text() == "ssh-ed25519 AAAA mine\n"


def test_a_planted_link_in_our_own_folder_is_replaced_never_followed(tmp_path: Path) -> None:
    run("scan", "--capture", str(DEMO), "--out", str(tmp_path / "out"), "-q")
    folder = only_folder(tmp_path / "out")
    secret = tmp_path / "authorized_keys"
    secret.write_text("mine\n")
    (folder / "report.html").unlink()
    (folder / "report.html").symlink_to(secret)
    code, _ = run("report", str(folder / "report.json"))
    assert code == 0
    assert secret.read_text() == "mine\n"
    assert not (folder / "report.html").is_symlink()
    assert stat.S_IMODE((folder / "report.html").stat().st_mode) == 0o600


def test_write_private_leaves_no_temp_file_and_is_0600(tmp_path: Path) -> None:
    target = tmp_path / "x.json"
    write_private(target, b"{}")
    assert target.read_bytes() == b"{}" and [p.name for p in tmp_path.iterdir()] == ["x.json"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.parametrize("what", ["probe", "probes_dir", "manifest"])
def test_a_capture_with_symlinked_parts_is_refused(tmp_path: Path, what: str) -> None:
    secret = tmp_path / "git-credentials"
    secret.write_text("https://user:TOKEN@example.com\n")
    capture = tmp_path / "cap"
    shutil.copytree(DEMO, capture)
    if what == "probe":
        (capture / "probes" / "getenforce.txt").unlink()
        (capture / "probes" / "getenforce.txt").symlink_to(secret)
    elif what == "probes_dir":
        shutil.move(capture / "probes", tmp_path / "elsewhere")
        (capture / "probes").symlink_to(tmp_path / "elsewhere")
    else:
        shutil.move(capture / "manifest.json", tmp_path / "manifest.json")
        (capture / "manifest.json").symlink_to(tmp_path / "manifest.json")
    with pytest.raises(CaptureError):
        Capture.load(capture)
    code, output = run("scan", "--capture", str(capture), "--out", str(tmp_path / "out"))
    assert code == 2 and "TOKEN" not in output


def test_out_folder_and_created_parents_are_0700_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        code, _ = run("scan", "--capture", str(DEMO), "--out", str(tmp_path / "a" / "b"), "-q")
    finally:
        os.umask(old)
    assert code == 1
    for folder in (tmp_path / "a", tmp_path / "a" / "b", only_folder(tmp_path / "a" / "b")):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_offline_reads_are_capped_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:  # sparse: no disk space used
        handle.truncate(64 * 1024 + 1)
    with pytest.raises(SourceError, match="limit"):
        read_file_capped(big, 64 * 1024)


def test_a_capture_probe_file_over_the_cap_is_refused(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import droidaudit.capture as capture_module

    monkeypatch.setattr(capture_module, "PROBE_MAX_BYTES", 1024)
    capture = tmp_path / "cap"
    shutil.copytree(DEMO, capture)
    with pytest.raises(CaptureError, match="larger than"):
        Capture.load(capture)


def test_a_missing_probe_file_says_the_capture_lacks_it(tmp_path: Path) -> None:
    capture = tmp_path / "cap"
    shutil.copytree(DEMO, capture)
    (capture / "probes" / "dumpsys_trust.txt").unlink()
    code, output = run("scan", "--capture", str(capture), "--out", str(tmp_path / "o"), "-q")
    assert code == 3 and "stopped answering" not in output
    assert "missing from the capture folder" in output
    manifest = json.loads((capture / "manifest.json").read_text())
    assert "dumpsys_trust" in manifest["probes"]
