"""Finding and talking to adb servers: addresses, start-up, and the device list.

adbutils starts `adb start-server` on the DEFAULT port by itself whenever it cannot
connect; we always check the address ourselves first so that never happens behind the
user's back (and never on port 5037 when a test or lab named another server).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from dataclasses import dataclass

import adbutils

from droidaudit.sources.base import DeviceSourceError, SourceError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5037
_LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


class AdbUnavailable(DeviceSourceError):
    """No adb server could be reached or started."""


@dataclass(frozen=True)
class AdbAddress:
    host: str
    port: int

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def is_local(self) -> bool:
        return self.host in _LOCAL_HOSTS


def parse_address(text: str) -> AdbAddress:
    """`host:port`, `:port`, `port`, `host` or `tcp:host:port` → AdbAddress."""
    value = text.strip().removeprefix("tcp:")
    host, sep, port_text = value.rpartition(":")
    if not sep:
        host, port_text = (value, str(DEFAULT_PORT)) if not value.isdigit() else ("", value)
    host = host.strip("[]") or DEFAULT_HOST
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise SourceError(f"'{text}' is not an adb server address; "
                          "use HOST:PORT, e.g. 127.0.0.1:5037")
    return AdbAddress(host, int(port_text))


def addresses_from_environment(env: dict[str, str] | None = None) -> AdbAddress:
    """The address adb itself would use: ADB_SERVER_SOCKET, else ANDROID_ADB_SERVER_ADDRESS /
    ANDROID_ADB_SERVER_HOST and ANDROID_ADB_SERVER_PORT, else 127.0.0.1:5037."""
    env = dict(os.environ) if env is None else env
    if env.get("ADB_SERVER_SOCKET"):
        return parse_address(env["ADB_SERVER_SOCKET"])
    host = (env.get("ANDROID_ADB_SERVER_ADDRESS") or env.get("ANDROID_ADB_SERVER_HOST")
            or DEFAULT_HOST)
    port = env.get("ANDROID_ADB_SERVER_PORT", str(DEFAULT_PORT))
    return parse_address(f"{host}:{port}")


def resolve_addresses(given: tuple[str, ...] | list[str]) -> list[AdbAddress]:
    if given:
        return [parse_address(text) for text in given]
    return [addresses_from_environment()]


def server_is_up(address: AdbAddress, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((address.host, address.port), timeout=timeout):
            return True
    except OSError:
        return False


def adb_binary() -> str | None:
    """The adb on PATH, else the one adbutils' wheel ships (ADBUTILS_ADB_PATH overrides)."""
    try:
        return str(adbutils.adb_path())
    except Exception:
        return shutil.which("adb")


def ensure_server(address: AdbAddress) -> None:
    """Make sure an adb server answers at `address`, starting a local one if needed."""
    if server_is_up(address):
        return
    if not address.is_local:
        raise AdbUnavailable(
            f"No adb server answers at {address}. Start one there with "
            f"'adb -a -P {address.port} server nodaemon', or check the address.")
    binary = adb_binary()
    if binary is None:
        raise AdbUnavailable("No adb program found. Install Android platform-tools, or "
                             "reinstall droidaudit (its adbutils dependency ships one).")
    try:
        subprocess.run([binary, "-P", str(address.port), "start-server"], timeout=30,
                       check=False, capture_output=True)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise AdbUnavailable(f"Could not start the adb server ({binary}): {exc}") from exc
    if not server_is_up(address, timeout=3.0):
        raise AdbUnavailable(f"Started {binary} but no adb server answers at {address}.")


def client(address: AdbAddress, timeout: float = 30.0) -> adbutils.AdbClient:
    return adbutils.AdbClient(host=address.host, port=address.port, socket_timeout=timeout)


@dataclass(frozen=True)
class DeviceEntry:
    serial: str
    state: str  # device, unauthorized, offline, no permissions, recovery, ...
    detail: str  # the rest of the adb line (model:, transport_id:, ...)
    address: AdbAddress

    @property
    def ready(self) -> bool:
        return self.state == "device"

    @property
    def hint(self) -> str:
        return STATE_HINTS.get(self.state, "")


STATE_HINTS = {
    "device": "ready",
    "unauthorized": "Unlock the phone and accept the 'Allow USB debugging?' prompt "
                    "(tick 'Always allow from this computer').",
    "offline": "The phone is not answering: unplug and replug the cable, or turn USB "
               "debugging off and on again.",
    "no permissions": "This computer may not open the USB device: add a udev rule for "
                      "Android phones (the android-sdk-platform-tools-common package has "
                      "one) and replug, or run adb as root.",
    "recovery": "The phone is in recovery mode: boot it normally.",
    "sideload": "The phone is in sideload mode: boot it normally.",
    "bootloader": "The phone is in the bootloader: boot it normally.",
    "authorizing": "The phone is still authorising this computer: wait a second.",
    "connecting": "adb is still connecting to the phone: wait a second.",
}
_STATES = sorted(STATE_HINTS, key=len, reverse=True)


def parse_devices_l(output: str, address: AdbAddress) -> list[DeviceEntry]:
    """Parse `adb devices -l` (host:devices-l): `SERIAL  STATE  key:value ...`; the
    state can hold spaces (`no permissions (...)`)."""
    entries = []
    for line in output.splitlines():
        serial, _, rest = line.strip().partition(" ")
        if "\t" in serial:  # `adb devices` separates serial and state with a tab
            serial, _, head = serial.partition("\t")
            rest = f"{head} {rest}"
        rest = rest.strip()
        if not serial or not rest:
            continue
        state = next((s for s in _STATES if rest.startswith(s)), rest.split()[0])
        entries.append(DeviceEntry(serial, state, rest[len(state):].strip(), address))
    return entries


def list_devices(address: AdbAddress) -> list[DeviceEntry]:
    ensure_server(address)
    try:
        conn = client(address, timeout=10).make_connection(timeout=10)
        try:
            conn.send_command("host:devices-l")
            conn.check_okay()
            output = conn.read_string_block()
        finally:
            conn.conn.close()  # not conn.close(): adbutils sleeps 10 ms there (issue 15)
    except (adbutils.AdbError, OSError) as exc:
        raise AdbUnavailable(f"The adb server at {address} did not answer: {exc}") from exc
    return parse_devices_l(output, address)
