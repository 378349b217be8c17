"""Choosing which phone(s) to scan from what the adb servers see, with plain-words errors."""

from __future__ import annotations

import os
from collections.abc import Sequence

from droidaudit.sources.adb_server import AdbAddress, DeviceEntry, list_devices
from droidaudit.sources.base import DeviceSourceError, SourceError


class DeviceChoiceError(DeviceSourceError):
    pass


class AmbiguousDevice(SourceError):
    """A usage question (exit 2): the person must say which phone."""


def all_devices(addresses: Sequence[AdbAddress]) -> list[DeviceEntry]:
    entries: list[DeviceEntry] = []
    for address in addresses:
        entries.extend(list_devices(address))
    return entries


def describe(entry: DeviceEntry) -> str:
    text = f"{entry.serial} ({entry.state})"
    return f"{text}: {entry.hint}" if entry.state != "device" and entry.hint else text


def choose_one(entries: Sequence[DeviceEntry], serial: str | None) -> DeviceEntry:
    serial = serial or os.environ.get("ANDROID_SERIAL") or None
    if serial:
        match = [e for e in entries if e.serial == serial]
        if not match:
            seen = ", ".join(describe(e) for e in entries) or "none"
            raise DeviceChoiceError(f"No phone with serial {serial} is connected. Seen: {seen}.")
        if len(match) > 1:  # a phone is server + serial: two hosts may both have one
            servers = ", ".join(str(e.address) for e in match)
            raise AmbiguousDevice(f"A phone with serial {serial} is behind several adb "
                                  f"servers ({servers}); choose one with --adb HOST:PORT.")
        return _ready(match[0])
    ready = [e for e in entries if e.ready]
    if len(ready) == 1:
        return ready[0]
    if len(ready) > 1:
        listing = "\n".join(f"  {describe(e)}" for e in ready)
        raise AmbiguousDevice(f"Several phones are connected; choose one with --serial "
                              f"(or scan them all with --all):\n{listing}")
    if entries:
        raise DeviceChoiceError("No phone is ready to scan:\n" +
                                "\n".join(f"  {describe(e)}" for e in entries))
    raise DeviceChoiceError("No phone found. Plug it in with a data cable, turn on USB "
                            "debugging (Settings › About phone: tap 'Build number' 7 times, "
                            "then Settings › System › Developer options › USB debugging), and "
                            "accept the prompt on the phone.")


def _ready(entry: DeviceEntry) -> DeviceEntry:
    if not entry.ready:
        raise DeviceChoiceError(f"Phone {describe(entry)}")
    return entry
