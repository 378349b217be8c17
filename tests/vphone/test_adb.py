"""The virtual phone behind REAL adb servers (the one in adbutils' wheel, 36.x, and
Debian's 29.0.6), driven through adbutils exactly as the scanner drives a phone.
Each test runs once per adb binary found; a missing binary is a visible skip."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import adbutils
import pytest

from droidaudit.sources.adb_server import AdbAddress
from droidaudit.sources.live import LiveSource
from tests.adbrig import AdbRig

Attach = Callable[..., str]


@pytest.fixture()
def attach(adb_rig: AdbRig) -> Iterator[Attach]:
    """adb_rig.add_phone, with the phones removed again after the test."""
    serials: list[str] = []

    def add(capture: Path, faults: tuple[str, ...] = (), **options: object) -> str:
        serial = adb_rig.add_phone(capture, faults=faults, **options)  # type: ignore[arg-type]
        serials.append(serial)
        return serial

    yield add
    for serial in serials:
        adb_rig.remove_phone(serial)


def test_adb_devices_lists_the_phone(adb_rig: AdbRig, attach: Attach, mini_capture: Path) -> None:
    serial = attach(mini_capture)
    listing = adb_rig.adb("devices", "-l").stdout
    line = next(row for row in listing.splitlines() if row.startswith(serial))
    assert line.split()[1] == "device"
    assert "product:panther model:Pixel_7 device:panther" in line
    assert adb_rig.states()[serial] == "device"


def test_unauthorized_phone(adb_rig: AdbRig, attach: Attach, mini_capture: Path) -> None:
    serial = attach(mini_capture, ("unauthorized",), wait_for="unauthorized")
    assert f"{serial}\tunauthorized" in adb_rig.adb("devices").stdout
    with pytest.raises(adbutils.AdbError, match="unauthorized"):
        adb_rig.device(serial).shell("getprop")
    assert adb_rig.phone(serial).command_log == []


def test_shell_legacy_and_v2(adb_rig: AdbRig, attach: Attach, mini_capture: Path) -> None:
    serial = attach(mini_capture)
    device = adb_rig.device(serial)
    assert device.shell("getprop ro.product.model") == "Pixel 7"
    assert "shell_v2" in device.get_features().split(",")
    result = device.shell2("echo out; echo err >&2; exit 3", v2=True)
    assert (result.returncode, result.stdout, result.stderr) == (3, "out\n", "err\n")
    assert "shell,v2:echo out; echo err >&2; exit 3" in adb_rig.phone(serial).services
    assert device.shell2("which su", v2=True).returncode == 1


def test_missing_command(adb_rig: AdbRig, attach: Attach, mini_capture: Path) -> None:
    device = adb_rig.device(attach(mini_capture))
    result = device.shell2("magisk --version", v2=True)
    assert result.returncode == 127
    assert result.stderr == "/system/bin/sh: magisk: inaccessible or not found\n"


def test_write_refused_and_flagged(adb_rig: AdbRig, attach: Attach, mini_capture: Path) -> None:
    serial = attach(mini_capture)
    device = adb_rig.device(serial)
    result = device.shell2("settings put global adb_enabled 0", v2=True)
    assert result.returncode != 0 and "read-only" in result.stderr
    legacy = device.shell("pm grant com.example.flashlight android.permission.READ_SMS")
    assert "read-only" in legacy
    assert adb_rig.phone(serial).write_attempts == [
        "settings put global adb_enabled 0",
        "pm grant com.example.flashlight android.permission.READ_SMS"]


def test_5mb_stream_is_byte_exact(adb_rig: AdbRig, attach: Attach, big_capture: Path,
                                  record_property: Callable[[str, object], None]) -> None:
    expected = (big_capture / "probes" / "dumpsys_package.txt").read_bytes()
    device = adb_rig.device(attach(big_capture))
    started = time.monotonic()
    connection = device.shell("dumpsys package packages", stream=True)
    chunks = []
    while chunk := connection.conn.recv(1 << 20):
        chunks.append(chunk)
    connection.close()
    seconds = time.monotonic() - started
    record_property("stream_5mb_seconds", round(seconds, 3))
    assert b"".join(chunks) == expected
    v2 = device.shell2("dumpsys package packages", v2=True, encoding=None)
    assert (v2.returncode, v2.stdout) == (0, expected)


def test_drop_after_closes_mid_output(adb_rig: AdbRig, attach: Attach, big_capture: Path) -> None:
    serial = attach(big_capture, ("drop-after:100000",))
    expected = (big_capture / "probes" / "dumpsys_package.txt").read_bytes()
    connection = adb_rig.device(serial).shell("dumpsys package packages", stream=True)
    connection.conn.settimeout(10)
    chunks = []
    started = time.monotonic()
    while chunk := connection.conn.recv(1 << 20):  # ends with EOF, not a timeout
        chunks.append(chunk)
    detected = time.monotonic() - started
    got = b"".join(chunks)
    assert got == expected[:100_000]
    assert detected < 5
    # The server sees the transport go and reconnects by itself (250 ms later).
    adb_rig.wait_for_state(serial, "device", timeout=5)
    assert adb_rig.phone(serial).connections >= 2


def test_hang_open_blocks_until_the_clients_timeout(adb_rig: AdbRig, attach: Attach,
                                                    mini_capture: Path) -> None:
    hung = attach(mini_capture, ("hang-open",))
    healthy = attach(mini_capture)
    connection = adb_rig.device(hung).open_transport(timeout=1)
    started = time.monotonic()
    connection.send_command("shell:getprop ro.product.model")
    with pytest.raises((adbutils.AdbTimeout, socket.timeout, TimeoutError)):
        connection.check_okay()
    assert 0.9 < time.monotonic() - started < 3
    connection.close()
    # one phone hanging stalls no other phone on the same server
    assert adb_rig.device(healthy).shell("getprop ro.product.model") == "Pixel 7"
    assert adb_rig.phone(hung).command_log == ["getprop ro.product.model"]


def test_hang_never_comes_online(adb_rig: AdbRig, attach: Attach, mini_capture: Path) -> None:
    started = time.monotonic()
    serial = attach(mini_capture, ("hang",), wait_for=None, timeout=1)
    assert time.monotonic() - started < 3  # connect gave up at the client's timeout
    assert adb_rig.phone(serial).connections == 1  # the server did reach the phone
    time.sleep(0.3)
    assert adb_rig.states().get(serial) != "device"
    with pytest.raises(adbutils.AdbError):
        adb_rig.device(serial).shell("getprop", timeout=1)


def test_latency_per_packet(adb_rig: AdbRig, attach: Attach, mini_capture: Path) -> None:
    device = adb_rig.device(attach(mini_capture, ("latency:50",)))
    started = time.monotonic()
    assert device.shell("getprop ro.product.model") == "Pixel 7"
    assert time.monotonic() - started >= 0.15  # OKAY, WRTE, CLSE: 50 ms each


def test_several_phones_at_once(adb_rig: AdbRig, attach: Attach, mini_capture: Path,
                                rooted_capture: Path) -> None:
    serials = [attach(mini_capture), attach(rooted_capture), attach(mini_capture)]
    answers: dict[str, str] = {}

    def ask(serial: str) -> None:
        answers[serial] = adb_rig.device(serial).shell("which su; getprop ro.product.name")

    threads = [threading.Thread(target=ask, args=(serial,)) for serial in serials]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert answers == {serials[0]: "panther", serials[1]: "/system/xbin/su\npanther",
                       serials[2]: "panther"}


def test_live_scan_of_a_virtual_phone_sends_no_write(adb_rig: AdbRig, attach: Attach,
                                                     mini_capture: Path) -> None:
    """The scanner's live source end to end: recorded bytes back, nothing written."""
    serial = attach(mini_capture)
    capture = LiveSource(AdbAddress(adb_rig.host, adb_rig.port), serial).collect()
    phone = adb_rig.phone(serial)
    assert capture.probes["getprop"].data == (mini_capture / "probes" / "getprop.txt").read_bytes()
    assert capture.probes["which_su"].exit_code == 1
    assert capture.probes["settings_secure"].usable
    assert phone.write_attempts == []
    assert len(phone.command_log) >= 1


def test_unauthorized_phone_comes_online_when_the_person_allows(
        adb_rig: AdbRig, attach: Attach, mini_capture: Path) -> None:
    serial = attach(mini_capture, ("unauthorized",), wait_for="unauthorized")
    adb_rig.wait_for_state(serial, "unauthorized")
    adb_rig.phone(serial).authorize()
    adb_rig.wait_for_state(serial, "device", timeout=5)
    assert adb_rig.device(serial).shell("getprop ro.product.model") == "Pixel 7"
