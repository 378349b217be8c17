"""`droidaudit devices` and `droidaudit probes`: what the adb servers see, and every command
droidaudit may send."""

from __future__ import annotations

import click

from droidaudit.cli.common import adb_option, say


@click.command()
@adb_option
def devices(adb: tuple[str, ...]) -> None:
    """List the phones the adb server sees and whether each is ready to scan.

    \b
    Example:
      droidaudit devices
      droidaudit devices --adb 10.0.0.5:5037 --adb 10.0.0.6:5037
    """
    from droidaudit.report.console import printable
    from droidaudit.sources.adb_server import resolve_addresses
    from droidaudit.sources.select import all_devices

    entries = all_devices(resolve_addresses(adb))
    if not entries:
        say("No phone found. Plug it in and turn on USB debugging "
            "(Settings › System › Developer options).")
        return
    from rich.text import Text

    from droidaudit.cli.common import out_console

    several = len({entry.address for entry in entries}) > 1  # a phone is server + serial
    for entry in entries:
        colour = "green" if entry.ready else "yellow"
        detail = entry.detail if entry.ready else entry.hint
        server = f" {entry.address!s:<21}" if several else ""
        # One line per phone, never broken: a table to read across, and to grep.
        out_console().print(Text.assemble((printable(f"{entry.state:<14}"), colour),
                                          printable(f"{server} {entry.serial:<24} {detail}")),
                            soft_wrap=True)


@click.command()
def probes() -> None:
    """List every command droidaudit may send to a phone (all read-only).

    \b
    Example:
      droidaudit probes
    """
    from droidaudit.probes import PROBES

    for probe in PROBES:
        say(f"{probe.name:<24} {probe.command}")


COMMANDS = (devices, probes)
