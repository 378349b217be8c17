"""adb server addresses and `adb devices -l` states."""

import pytest

from droidaudit.sources.adb_server import (
    AdbAddress,
    addresses_from_environment,
    parse_address,
    parse_devices_l,
)
from droidaudit.sources.base import SourceError
from droidaudit.sources.select import AmbiguousDevice, DeviceChoiceError, choose_one

HERE = AdbAddress("127.0.0.1", 5037)
DEVICES_L = """\
R58M12ABCDE            device usb:1-1 product:beyond1ltexx model:SM_G973F device:beyond1 transport_id:3
0123456789ABCDEF       unauthorized usb:1-2 transport_id:4
ZY22ABCD               no permissions (missing udev rules? user is in the plugdev group); see [http://developer.android.com/tools/device.html] usb:1-3
emulator-5554          offline transport_id:6
"""


def test_devices_l_states_including_no_permissions() -> None:
    entries = parse_devices_l(DEVICES_L, HERE)
    states = {e.serial: e.state for e in entries}
    assert states == {"R58M12ABCDE": "device", "0123456789ABCDEF": "unauthorized",
                      "ZY22ABCD": "no permissions", "emulator-5554": "offline"}
    hints = {e.serial: e.hint for e in entries}
    assert "Allow USB debugging" in hints["0123456789ABCDEF"]
    assert "udev" in hints["ZY22ABCD"]
    assert "replug" in hints["emulator-5554"]


def test_plain_devices_output_with_tabs() -> None:
    entries = parse_devices_l("abc\tdevice\nxyz\tunauthorized\n", HERE)
    assert [(e.serial, e.state) for e in entries] == [("abc", "device"), ("xyz", "unauthorized")]


@pytest.mark.parametrize(("text", "expected"), [
    ("10.0.0.5:5038", AdbAddress("10.0.0.5", 5038)),
    ("tcp:host:7000", AdbAddress("host", 7000)),
    (":6000", AdbAddress("127.0.0.1", 6000)),
    ("6000", AdbAddress("127.0.0.1", 6000)),
    ("labhost", AdbAddress("labhost", 5037)),
])
def test_parse_address(text: str, expected: AdbAddress) -> None:
    assert parse_address(text) == expected


def test_bad_address_is_a_plain_error() -> None:
    with pytest.raises(SourceError, match="HOST:PORT"):
        parse_address("host:notaport")


def test_environment_follows_adb_then_adbutils_variables() -> None:
    assert addresses_from_environment({"ADB_SERVER_SOCKET": "tcp:1.2.3.4:9"}) == AdbAddress("1.2.3.4", 9)
    env = {"ANDROID_ADB_SERVER_HOST": "h", "ANDROID_ADB_SERVER_PORT": "7"}
    assert addresses_from_environment(env) == AdbAddress("h", 7)
    assert addresses_from_environment({}) == HERE


def test_choose_one_needs_serial_when_several(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANDROID_SERIAL", raising=False)
    two = parse_devices_l("a\tdevice\nb\tdevice\n", HERE)
    with pytest.raises(AmbiguousDevice, match="--serial"):
        choose_one(two, None)
    assert choose_one(two, "b").serial == "b"


def test_choose_one_explains_an_unauthorized_phone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANDROID_SERIAL", raising=False)
    with pytest.raises(DeviceChoiceError, match="Allow USB debugging"):
        choose_one(parse_devices_l("a\tunauthorized\n", HERE), None)
    with pytest.raises(DeviceChoiceError, match="No phone found"):
        choose_one([], None)


def test_same_serial_behind_two_servers_needs_adb_to_choose(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANDROID_SERIAL", raising=False)
    there = AdbAddress("10.0.0.6", 5037)
    both = parse_devices_l("emulator-5554\tdevice\n", HERE) + \
        parse_devices_l("emulator-5554\tdevice\n", there)
    with pytest.raises(AmbiguousDevice, match="--adb"):
        choose_one(both, "emulator-5554")
