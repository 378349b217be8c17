"""`droidaudit history [SERIAL]` and the database options every scanning command shares
(`--db`, `--no-db`); `diff SERIAL` (in reports.py) comes here for the last two scans."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from droidaudit.cli.common import out_console, say
from droidaudit.errors import EXIT_FINDINGS, UserError

if TYPE_CHECKING:
    from droidaudit.history import History
    from droidaudit.history.store import ScanRow

F = TypeVar("F", bound=Callable[..., Any])


def db_options(function: F) -> F:
    """--db PATH (env DROIDAUDIT_DB) and --no-db, for every command that records scans."""
    function = click.option("--no-db", is_flag=True,
                            help="Do not record this scan in the history database.")(function)
    return click.option(
        "--db", type=click.Path(dir_okay=False, path_type=Path), envvar="DROIDAUDIT_DB",
        help="History database (SQLite). Default: history.sqlite3 in your data folder "
             "(~/.local/share/droidaudit on Linux); env DROIDAUDIT_DB.")(function)


def open_history(db: Path | None, no_db: bool = False) -> History | None:
    return None if no_db else history_store(db)


def history_store(db: Path | None) -> History:
    from droidaudit.history import History, default_db_path

    return History(db or default_db_path())


@click.command()
@click.argument("serial", required=False)
@click.option("--server", metavar="HOST:PORT", help="Only the phone behind this adb server.")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), envvar="DROIDAUDIT_DB",
              help="History database (default: history.sqlite3 in your data folder).")
def history(serial: str | None, server: str | None, db: Path | None) -> None:
    """List a phone's scans, oldest first; without SERIAL, each phone's latest scan.

    \b
    Examples:
      droidaudit history
      droidaudit history R58M12ABCDE
      droidaudit history 127.0.0.1:6001 --server 10.0.0.5:5037
    """
    from droidaudit.report.console import printable

    store = history_store(db)
    rows = store.scans(serial, server)
    if serial is None:
        latest = {(r.server, r.serial): r for r in rows}
        rows = sorted(latest.values(), key=lambda r: (r.server, r.serial))
    if not rows:
        say(f"No scans recorded{f' of {serial}' if serial else ''} in {store.path}.")
        return
    for row in rows:
        say(printable(_line(row)), path=True)


def _line(row: ScanRow) -> str:
    phone = " ".join(p for p in (row.manufacturer, row.model) if p) or "?"
    result = f"{row.verdict}, {row.failed} to fix" if row.complete else row.verdict
    where = row.report_folder or row.error
    return f"{row.scanned_at}  {row.serial} ({row.server})  {phone}  {result}  {where}"


def last_two(store: History, serial: str, server: str | None) -> tuple[ScanRow, ScanRow]:
    """The phone's last two complete scans; a plain error when there are not two, or when
    the serial was seen behind several adb servers and none was named."""
    rows = [r for r in store.scans(serial, server) if r.complete]
    servers = sorted({r.server for r in rows})
    if len(servers) > 1:
        raise UserError(f"{serial} was scanned behind several adb servers "
                        f"({', '.join(servers)}): choose one with --server")
    if len(rows) < 2:
        raise UserError(f"{serial} has {len(rows)} complete scan(s) in {store.path}; "
                        "diff SERIAL needs two (see `droidaudit history`)")
    return rows[-2], rows[-1]


def diff_serial(serial: str, server: str | None, db: Path | None) -> None:
    """Compare the phone's last two complete scans from the findings the database kept
    (the report folders may be gone; `diff OLD NEW` on them also compares the facts)."""
    from rich.text import Text

    from droidaudit.history.compare import changes_between
    from droidaudit.report.console import printable

    store = history_store(db)
    old, new = last_two(store, serial, server)
    say(printable(f"{serial} ({new.server}): {old.scanned_at} → {new.scanned_at}"))
    changes = changes_between(store.findings_of(old.id), store.findings_of(new.id))
    if not changes:
        say("No differences in the checks.")
    for change in changes:
        colour = "red" if change.worse else ("green" if change.after == "pass" else "yellow")
        item = f" ({change.item})" if change.item else ""
        out_console().print(Text.assemble((f"{change.before} → {change.after}", colour),
                                          printable(f" {change.rule} {change.title}{item}")))
    if any(change.worse for change in changes):
        sys.exit(EXIT_FINDINGS)


COMMANDS = (history,)
