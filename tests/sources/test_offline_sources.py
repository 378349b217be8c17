"""AndroidQF acquisitions and bugreports (folders, zips, plain text) read into captures:
detected by content, zips read safely."""

import json
import zipfile
from pathlib import Path

import pytest

from droidaudit.sources.androidqf import AndroidQFSource, utc_stamp
from droidaudit.sources.base import SourceError
from droidaudit.sources.bugreport import BugreportSource
from droidaudit.sources.capture_dir import CaptureSource
from droidaudit.sources.detect import open_offline_source
from droidaudit.sources.dumpsys_sections import split_services

DEMO = Path(__file__).parents[2] / "fixtures" / "demo-pixel7-a14"
RULE = "-" * 79


def demo(name: str) -> bytes:
    return (DEMO / "probes" / f"{name}.txt").read_bytes()


def full_dumpsys() -> bytes:
    """A full `dumpsys` in dumpsys.cpp's layout, from the demo phone's service outputs."""
    parts = []
    for service in ("lock_settings", "trust", "backup", "device_policy"):
        parts.append(f"{RULE}\nDUMP OF SERVICE {service}:\n".encode() + demo(f"dumpsys_{service}")
                     + f"--------- 0.012s was the duration of dumpsys {service}, ending at: "
                       "2024-06-20 10:30:00\n".encode())
    return b"".join(parts)


def make_androidqf(folder: Path) -> Path:
    folder.mkdir()
    (folder / "acquisition.json").write_text(json.dumps(
        {"uuid": "x", "started": "2024-06-20T11:29:58.123456789+02:00",
         "completed": "2024-06-20T11:30:00.987654321+02:00"}))
    (folder / "getprop.txt").write_bytes(demo("getprop"))
    for ns in ("global", "secure", "system"):
        (folder / f"settings_{ns}.txt").write_bytes(demo(f"settings_{ns}"))
    (folder / "selinux.txt").write_bytes(b"Enforcing\n")
    (folder / "dumpsys.txt").write_bytes(full_dumpsys())
    (folder / "packages.json").write_text(json.dumps([
        {"name": "com.example.flashlight", "files": [{"path": "/data/app/~~a==/base.apk"}],
         "installer": "com.google.android.packageinstaller", "uid": 10250,
         "disabled": False, "system": False, "third_party": True},
        {"name": "com.android.settings", "files": [{"path": "/system/priv-app/S/S.apk"}],
         "installer": "", "uid": 1000, "disabled": False, "system": True, "third_party": False},
    ]))
    return folder


def zip_folder(folder: Path, target: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for file in sorted(folder.iterdir()):
            archive.write(file, prefix + file.name)
    return target


def test_split_services_cuts_each_service_exactly() -> None:
    services = split_services(full_dumpsys())
    assert set(services) == {"lock_settings", "trust", "backup", "device_policy"}
    assert services["backup"].rstrip() == demo("dumpsys_backup").rstrip()


def test_androidqf_folder_maps_files_to_probes(tmp_path: Path) -> None:
    source = open_offline_source(make_androidqf(tmp_path / "acq"))
    assert isinstance(source, AndroidQFSource)
    capture = source.collect()
    assert capture.probes["getprop"].data == demo("getprop")
    assert capture.probes["settings_secure"].data == demo("settings_secure")
    assert capture.text("getenforce") == "Enforcing\n"
    assert "dumpsys_lock_settings" in capture.probes
    assert capture.started == "2024-06-20T09:30:00Z"
    assert capture.origin == "androidqf"


def test_androidqf_zip_with_a_top_folder_is_recognised_by_content(tmp_path: Path) -> None:
    zipped = zip_folder(make_androidqf(tmp_path / "acq"), tmp_path / "whatever.bin", "uuid-1/")
    source = open_offline_source(zipped)
    assert isinstance(source, AndroidQFSource)
    assert source.collect().probes["getprop"].data == demo("getprop")


def test_zip_member_escaping_the_archive_is_never_read(tmp_path: Path) -> None:
    folder = make_androidqf(tmp_path / "acq")
    zipped = zip_folder(folder, tmp_path / "evil.zip")
    with zipfile.ZipFile(zipped, "a") as archive:
        archive.writestr("../../getprop.txt", b"[ro.build.version.sdk]: [1]\n")
    capture = open_offline_source(zipped).collect()
    assert capture.probes["getprop"].data == demo("getprop")


def test_corrupt_zip_is_a_plain_error(tmp_path: Path) -> None:
    bad = tmp_path / "broken.zip"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    with pytest.raises(SourceError, match="not a readable zip"):
        open_offline_source(bad)


def test_unrecognised_folder_is_a_plain_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(SourceError, match="not something droidaudit can read"):
        open_offline_source(tmp_path)


def bugreport_text() -> bytes:
    return (b"========================================================\n"
            b"== dumpstate: 2024-06-20 09:30:00\n"
            b"========================================================\n\n"
            b"------ SYSTEM PROPERTIES (getprop) ------\n" + demo("getprop") +
            b"------ 0.051s was the duration of 'SYSTEM PROPERTIES' ------\n"
            b"------ DUMPSYS (/system/bin/dumpsys) ------\n" + full_dumpsys())


def test_bugreport_zip_reads_properties_and_services(tmp_path: Path) -> None:
    zipped = tmp_path / "report.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("main_entry.txt", "bugreport-panther-UQ1A.240205.004-2024-06-20.txt")
        archive.writestr("bugreport-panther-UQ1A.240205.004-2024-06-20.txt", bugreport_text())
        archive.writestr("version.txt", "2.0")
    source = open_offline_source(zipped)
    assert isinstance(source, BugreportSource)
    capture = source.collect()
    assert capture.probes["getprop"].data == demo("getprop")
    assert capture.probes["dumpsys_trust"].data.rstrip() == demo("dumpsys_trust").rstrip()
    assert capture.started == "2024-06-20T09:30:00Z"


def test_plain_text_bugreport(tmp_path: Path) -> None:
    path = tmp_path / "old-bugreport.txt"
    path.write_bytes(bugreport_text())
    assert isinstance(open_offline_source(path), BugreportSource)


def test_capture_folder_is_recognised(tmp_path: Path) -> None:
    assert isinstance(open_offline_source(DEMO), CaptureSource)


def test_utc_stamp_handles_go_nanoseconds_and_zones() -> None:
    assert utc_stamp("2024-06-20T11:30:00.987654321+02:00") == "2024-06-20T09:30:00Z"
    assert utc_stamp("2024-06-20T09:30:00Z") == "2024-06-20T09:30:00Z"
    assert utc_stamp("yesterday") == ""


# -- an AndroidQF acquisition gives the same facts as the equivalent capture ----------------


def test_androidqf_from_a_corpus_like_folder_gives_the_capture_facts(tmp_path: Path) -> None:
    """Real files (Xiaomi Pad 6 getprop and settings, a Samsung `dumpsys device_policy`) laid
    out as AndroidQF saves them, against the same bytes as a droidaudit capture."""
    from datetime import UTC, datetime

    from droidaudit.capture import Capture, ProbeOutput
    from droidaudit.decode import decode
    from droidaudit.facts.derive import extract_facts
    from tests.corpus import CORPUS

    pad = CORPUS / "xiaomi-pad6-pipa-a14"
    policy = CORPUS / "samsung-unknown-devicepolicy" / "dumpsys" / "device_policy.txt"
    if not pad.is_dir() or not policy.is_file():
        pytest.skip(f"no corpus at {CORPUS} (set DROIDAUDIT_CORPUS)")
    policy_text = decode(policy.read_bytes()).encode()
    folder = tmp_path / "acq"
    folder.mkdir()
    (folder / "acquisition.json").write_text(json.dumps({"started": "2026-11-24T00:00:00Z"}))
    capture = Capture(started="2026-11-24T00:00:00Z")
    for name in ("getprop", "settings_global", "settings_secure", "settings_system"):
        data = (pad / f"{name}.txt").read_bytes()
        (folder / f"{name}.txt").write_bytes(data)
        capture.add(ProbeOutput(name, name, data, 0))
    (folder / "dumpsys.txt").write_bytes(
        f"{RULE}\nDUMP OF SERVICE device_policy:\n".encode() + policy_text
        + b"--------- 0.020s was the duration of dumpsys device_policy, ending at: "
          b"2026-11-24 00:00:00\n")
    capture.add(ProbeOutput("dumpsys_device_policy", "dumpsys device_policy", policy_text, 0))
    scanned = datetime(2026, 11, 24, tzinfo=UTC)
    from_qf = extract_facts(open_offline_source(folder).collect(), scanned).values()
    from_capture = extract_facts(capture, scanned).values()
    differ = {k: (from_qf.get(k), from_capture.get(k))
              for k in from_qf.keys() | from_capture.keys()
              if from_qf.get(k) != from_capture.get(k)}
    assert differ == {}
    assert from_qf["_special.device_admin"] == ["com.samsung.android.kgclient", "com.focusguard"]
    assert from_qf["os.security_patch"] == "2026-01-01"
