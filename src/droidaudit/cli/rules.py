"""`droidaudit rules list|lint|explain`: the rule files, checked and explained."""

from __future__ import annotations

from pathlib import Path

import click

from droidaudit.cli.common import fail, say
from droidaudit.errors import EXIT_USAGE


@click.group()
def rules() -> None:
    """List, check and explain the rules."""


@rules.command("list")
@click.option("--rules", "rules_paths", multiple=True, type=click.Path(exists=True,
              path_type=Path), help="Rule files or folders (default: built-in).")
def rules_list(rules_paths: tuple[Path, ...]) -> None:
    """Show every loaded rule: id, severity, area, title (and its profiles when it is not
    in all of them), wrapped to the terminal's width.

    \b
    Example:
      droidaudit rules list
    """
    import shutil

    from droidaudit.report.console import wrap
    from droidaudit.rules.loader import load_rules
    from droidaudit.rules.model import PROFILES

    loaded = load_rules(list(rules_paths) or None)
    width = min(shutil.get_terminal_size((80, 24)).columns, 100)
    say(f"{'id':<11}{'severity':<9}{'area':<12}title")
    for rule in sorted(loaded, key=lambda r: r.id):
        only = "" if set(PROFILES) <= set(rule.profiles) else \
            f" [{', '.join(rule.profiles)}]"
        lines = wrap(rule.title + only, width, indent=32)
        say(f"{rule.id:<11}{rule.severity:<9}{rule.area:<12}{lines[0]}")
        for line in lines[1:]:
            say(line)
    say(f"{len(loaded)} rules")


@rules.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def rules_lint(paths: tuple[Path, ...]) -> None:
    """Check rule files: unknown keys, facts and ops, duplicate ids, missing text. With no
    paths, the built-in rules and the MMS screen label table (rules/data/mms_ui_labels.toml:
    no label may be both an auto and a roaming label of one app and locale).

    \b
    Example:
      droidaudit rules lint            # the built-in rules
      droidaudit rules lint my-rules/
    """
    from droidaudit.rules.lint import lint_rules

    problems: list[object] = list(lint_rules(list(paths) or None))
    if not paths:
        from droidaudit.ui_labels import LabelTableError, load_table

        try:
            load_table()
        except LabelTableError as exc:
            problems.append(exc)
    for problem in problems:
        say(str(problem))
    if problems:
        fail(f"{len(problems)} problem(s) in the rules", EXIT_USAGE)
    say("rules OK")


def _complete_rule_ids(_ctx: click.Context, _param: click.Parameter,
                       incomplete: str) -> list[str]:
    """Shell completion for `rules explain`: the built-in rule ids."""
    from droidaudit.rules.loader import load_rules

    return [r.id for r in load_rules(None) if r.id.lower().startswith(incomplete.lower())]


@rules.command("explain")
@click.argument("rule_id", shell_complete=_complete_rule_ids)
def rules_explain(rule_id: str) -> None:
    """Everything about one rule: what it checks, why, how to fix, references.

    \b
    Example:
      droidaudit rules explain PATCH-001
    """
    from droidaudit.rules.loader import explain_rule, load_rules

    match = [r for r in load_rules(None) if r.id.lower() == rule_id.lower()]
    if not match:
        fail(f"no rule {rule_id}; `droidaudit rules list` shows them all", EXIT_USAGE)
    say(explain_rule(match[0]))


COMMANDS = (rules,)
