"""Fleet bookkeeping without phones: a phone adb lists in any state becomes a result with
its state and fix; --redact keeps serials out of the fleet files."""

from __future__ import annotations

import json
from pathlib import Path

from droidaudit.pipeline.fleet import FleetIndex, PhoneResult, not_scanned
from droidaudit.sources.adb_server import AdbAddress, DeviceEntry

SERVER = AdbAddress("10.0.0.5", 5037)


def test_a_phone_in_any_other_state_is_not_scanned_with_its_fix() -> None:
    for state, words in (("unauthorized", "Allow USB debugging"), ("no permissions", "udev"),
                         ("recovery", "boot it normally"), ("sideload", "boot it normally"),
                         ("offline", "replug")):
        result = not_scanned(DeviceEntry("S1", state, "model:Pixel_7 usb:1-1", SERVER))
        assert result.result == "not scanned" and result.state == state
        assert words in result.fix and state in result.error
        assert result.listed_model == "Pixel 7" and result.server == "10.0.0.5:5037"
        assert not result.complete
    odd = not_scanned(DeviceEntry("S1", "host", "", SERVER))
    assert odd.fix  # a state nobody foresaw still says something to do


def test_redacted_fleet_files_hold_no_serial(tmp_path: Path) -> None:
    index = FleetIndex(tmp_path, redact=True)
    index.update([PhoneResult("10.0.0.5:5037", "R58M12ABCDE", "unauthorized",
                              error="phone R58M12ABCDE is unauthorized",
                              result="not scanned")])
    for name in ("index.html", "fleet.json", "fleet.csv"):
        assert "R58M12ABCDE" not in (index.folder / name).read_text()
    phone = json.loads((index.folder / "fleet.json").read_text())["phones"][0]
    assert phone["serial"] == "<redacted>" and phone["server"] == "10.0.0.5:5037"
