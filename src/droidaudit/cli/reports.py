"""`droidaudit report` (re-render or re-evaluate) and `droidaudit diff` (two scans compared)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from droidaudit.cli.common import (
    complete_formats,
    out_console,
    parse_formats,
    profile_option,
    say,
)
from droidaudit.errors import EXIT_FINDINGS


@click.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write into (default: beside a report.json, else "
                   "./droidaudit-reports/<name>-<time>/).")
@click.option("--format", "formats", default="html", show_default=True,
              shell_complete=complete_formats,
              help="Formats to write, comma-separated: html, json, sarif, junit, csv.")
@click.option("--profile", type=profile_option(), default="personal", show_default=True,
              help="Rule profile, when PATH is a capture.")
def report(path: Path, out: Path | None, formats: str, profile: str) -> None:
    """Re-render a report from a report.json, or re-evaluate a saved capture.

    \b
    Examples:
      droidaudit report droidaudit-reports/R58M12ABCDE-20261124T101500Z/report.json
      droidaudit report droidaudit-reports/R58M12ABCDE-20261124T101500Z --format sarif,junit
    """
    from droidaudit.errors import UserError
    from droidaudit.pipeline.options import ScanOptions
    from droidaudit.pipeline.scan import (
        created_by_droidaudit,
        report_folder,
        report_of_path,
        write_reports,
    )

    chosen = parse_formats(formats)
    loaded = report_of_path(path, ScanOptions(profile=profile))
    json_path = path / "report.json" if path.is_dir() else path
    if out is None and json_path.is_file() and json_path.suffix == ".json":
        folder = json_path.parent
        if not created_by_droidaudit(folder):
            # A received folder may hold `report.html -> ~/.ssh/authorized_keys`.
            raise UserError(f"{folder} was not created by droidaudit for you (no "
                            ".droidaudit-folder mark, or not private to you): give --out "
                            "DIR to write the new reports elsewhere")
    else:
        folder = report_folder(out or Path("droidaudit-reports"), path.stem, datetime.now(UTC))
    for written in write_reports(loaded, folder, chosen).values():
        say(str(written), path=True)


@click.command()
@click.argument("old", metavar="OLD|SERIAL")
@click.argument("new", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--server", metavar="HOST:PORT",
              help="With SERIAL: the adb server the phone was scanned behind.")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), envvar="DROIDAUDIT_DB",
              help="With SERIAL: the history database (default: in your data folder).")
def diff(old: str, new: Path | None, server: str | None, db: Path | None) -> None:
    """Compare two scans of a phone (report.json files, report folders or captures):
    what got worse, what got better, which facts changed. Exit 1 if a check newly fails.
    With one SERIAL: its last two scans in the history database.

    \b
    Examples:
      droidaudit diff reports/R58M-20260101T090000Z reports/R58M-20261124T101500Z
      droidaudit diff R58M12ABCDE
    """
    if new is None:
        from droidaudit.cli.history import diff_serial

        diff_serial(old, server, db)
        return
    if not Path(old).exists():
        raise click.BadParameter(f"{old} does not exist", param_hint="OLD")
    _diff_paths(Path(old), new)


def _diff_paths(old: Path, new: Path) -> None:
    from rich.text import Text

    from droidaudit.pipeline.options import ScanOptions
    from droidaudit.pipeline.scan import report_of_path
    from droidaudit.report.console import printable
    from droidaudit.report.diff import diff_reports
    from droidaudit.report.model import STATE_NAMES

    options = ScanOptions()
    changes, facts = diff_reports(report_of_path(old, options), report_of_path(new, options))
    if not changes and not facts:
        say("No differences.")
        return
    for change in changes:
        colour = "red" if change.worse else ("green" if change.after == "pass" else "yellow")
        item = f" ({change.item})" if change.item else ""
        words = f"{STATE_NAMES.get(change.before, change.before)} → " \
            f"{STATE_NAMES.get(change.after, change.after)}"
        out_console().print(Text.assemble((words, colour),
                                          printable(f" {change.rule} {change.title}{item}")))
    for name, (before, after) in facts.items():
        say(printable(f"fact {name}: {before!r} → {after!r}"))
    if any(change.worse for change in changes):
        sys.exit(EXIT_FINDINGS)


COMMANDS = (report, diff)
