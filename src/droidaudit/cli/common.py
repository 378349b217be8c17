"""What every command shares: the consoles, plain-words failure, options used by several
commands. Heavy imports (rich, the live stack, jinja2) happen inside the commands that use
them, so `droidaudit --version` or `rules list` cost only what they use.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, NoReturn

import click

from droidaudit.errors import EXIT_USAGE

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem
    from rich.console import Console

    from droidaudit.sources.base import Progress


@cache
def out_console() -> Console:
    from rich.console import Console

    return Console(highlight=False, markup=False, emoji=False)


@cache
def err_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, markup=False, emoji=False)


def plain(text: str) -> str:
    """`text` safe for a terminal: control characters (CSI/OSC escapes, a `\x1b[2J`, an
    OSC 52 clipboard write) shown escaped, never sent raw."""
    from droidaudit.report.console import printable

    return printable(text)


def say(text: str, style: str | None = None, path: bool = False) -> None:
    """Print plain text (never read as markup, escapes shown escaped: it may hold what a
    phone or a file said), wrapped at word boundaries; a `path` line is never broken, so
    it can be copied."""
    from rich.text import Text

    out_console().print(Text(plain(text), style=style or ""), soft_wrap=path)


def warn(text: str, style: str | None = None) -> None:
    from rich.text import Text

    err_console().print(Text(plain(text), style=style or ""))


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    from rich.text import Text

    # One unbroken line: errors often hold a path, and scripts grep them.
    err_console().print(Text.assemble(("error: ", "bold red"), plain(message)), soft_wrap=True)
    sys.exit(code)


@contextmanager
def progress_line(quiet: bool) -> Iterator[Progress]:
    console = err_console()
    if quiet or not console.is_terminal:
        yield lambda _message: None
        return
    from rich.text import Text

    with console.status("Starting") as status:
        yield lambda message: status.update(Text(plain(message)))


def profile_option() -> click.Choice[str]:
    from droidaudit.rules.model import PROFILES

    return click.Choice(PROFILES)


adb_option = click.option(
    "--adb", "adb", multiple=True, metavar="HOST:PORT",
    help="adb server to use (repeat for several hosts). Default: ADB_SERVER_SOCKET, "
         "ANDROID_ADB_SERVER_HOST/PORT, else 127.0.0.1:5037.")


def handover_options(command: Callable[..., None]) -> Callable[..., None]:
    """--client, --technician, --note: the hand-over header of a technician's report."""
    for name, text in (("--note", "A note shown in the report's header."),
                       ("--technician", "Who scanned the phone (header and sign-off)."),
                       ("--client", "Whose phone it is (header and sign-off).")):
        command = click.option(name, default="", metavar="TEXT", help=text)(command)
    return command


def complete_formats(_ctx: click.Context, _param: click.Parameter,
                     incomplete: str) -> list[CompletionItem]:
    """Shell completion for --format: the formats, after any already typed before a comma."""
    from click.shell_completion import CompletionItem

    from droidaudit.report.formats import FORMATS

    done, _, last = incomplete.rpartition(",")
    prefix = done + "," if done else ""
    return [CompletionItem(prefix + name) for name in FORMATS if name.startswith(last)]


def parse_formats(value: str) -> tuple[str, ...]:
    from droidaudit.report.formats import FORMATS

    chosen = tuple(v.strip() for v in value.split(",") if v.strip())
    unknown = [v for v in chosen if v not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(f"choose from {', '.join(FORMATS)} (comma-separated)",
                                 param_hint="--format")
    return chosen
