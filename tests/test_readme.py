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


def test_readme_fact_table_is_rendered_from_the_vocabulary() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("facts_table", ROOT / "scripts" / "facts_table.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.table_rows() in README, "run: python scripts/facts_table.py"


def test_fact_provenance_names_real_probes() -> None:
    from droidaudit.facts.provenance import FACT_PROBES
    from droidaudit.probes import PROBES

    known = {p.name for p in PROBES}
    unknown = {name: [p for p in probes if p not in known]
               for name, probes in FACT_PROBES.items() if set(probes) - known}
    assert unknown == {}
    assert set(FACT_PROBES) == {s.name for s in FACT_SPECS}
