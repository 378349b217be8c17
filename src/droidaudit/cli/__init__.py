"""The command line: parses arguments and maps them onto the pipeline; no logic of its own.

One handler for every command: a `DroidauditError` (a person's input, exit 2; the phone or
the adb server, exit 3) ends with its plain message; anything unexpected ends with a one-line
message and exit 2 (`--debug` shows the traceback); Ctrl-C exits 130. Exit 1 means only
"a check failed" (DESIGN §6). Each command group lives in its own module.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from droidaudit import __version__
from droidaudit.cli.common import fail
from droidaudit.errors import EXIT_USAGE, DroidauditError

EXIT_INTERRUPTED = 130


class _Commands(click.Group):
    """A click group that turns errors into a sentence and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DroidauditError as exc:
            fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            fail("interrupted; reports already written are kept", EXIT_INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except OSError as exc:
            where = f" {exc.filename}" if exc.filename else ""
            fail(f"cannot read or write{where}: {exc.strerror or exc}", EXIT_USAGE)
        except Exception as exc:  # a bug or an input nobody foresaw: one line, not a traceback
            if ctx.params.get("debug") or ctx.obj == "debug":
                raise
            fail(f"unexpected {type(exc).__name__}: {exc} (run `droidaudit --debug ...` for "
                 "the details, and please report it)", EXIT_USAGE)


@click.group(cls=_Commands,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="droidaudit")
@click.option("--debug", is_flag=True, help="Show the traceback of an unexpected error.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Audit an Android phone's security settings over USB debugging (read-only) and
    write a hardening report a person can act on.

    \b
    Quick start:
      droidaudit demo                 try it on a bundled example phone
      droidaudit devices              is my phone visible and authorised?
      droidaudit scan                 scan the connected phone → ./droidaudit-reports/
      droidaudit scan --ui-probe      ...and read the MMS auto-download switch from
                                      your messages app's screen (asks first)
      droidaudit scan --capture DIR   re-check a saved scan (or an AndroidQF folder/zip,
                                      or an `adb bugreport` zip) without a phone

    droidaudit never changes the phone: every command it sends comes from one
    allow-list of read-only commands (`droidaudit probes` lists them).
    """
    ctx.obj = "debug" if debug else None


def _register() -> None:
    from droidaudit.cli import devices, history, reports, rules, scan, watch

    for module in (devices, scan, reports, rules, history, watch):
        for command in module.COMMANDS:
            main.add_command(command)


_register()

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
