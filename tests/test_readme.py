"""README stays true: its fact table is the vocabulary, and it names the test command CI runs."""

from pathlib import Path

from droidaudit.facts import FACT_SPECS

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text()


def test_every_fact_is_documented_in_the_readme() -> None:
    missing = [s.name for s in FACT_SPECS if f"| `{s.name}` |" not in README]
    assert missing == [], "run: python scripts/facts_table.py"


def test_ci_runs_the_readme_test_command() -> None:
    assert "./scripts/test" in README
    assert "./scripts/test" in (ROOT / ".ci" / "run").read_text()


def test_every_fact_says_where_it_comes_from() -> None:
    section = README[README.index("### Where each fact comes from"):README.index("## Rules")]
    missing = [s.name for s in FACT_SPECS if f"`{s.name}`" not in section]
    assert missing == []


def test_every_command_is_in_the_readme() -> None:
    from droidaudit.cli import main

    for name in main.commands:
        assert f"droidaudit {name}" in README, name
