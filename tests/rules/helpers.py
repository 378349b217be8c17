"""Small builders for rule tests: a FactSet from plain values, a rule from TOML text."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path
from typing import Any

from droidaudit.facts import FACT_SPECS, Fact, FactSet
from droidaudit.rules.engine import evaluate
from droidaudit.rules.loader import load_rules
from droidaudit.rules.model import Finding, Rule

TODAY = date(2024, 7, 1)


def facts(**values: Any) -> FactSet:
    """Facts from keyword args; use `__` for dots (os__sdk=34). None → unknown with a note."""
    fs = FactSet()
    for key, value in values.items():
        name = key.replace("__", ".")
        if value is None:
            fs.add(Fact(name, None, "test", (), f"{name} unreadable in test"))
        else:
            fs.add(Fact(name, value, "test", (f"raw line for {name}",)))
    return fs


def empty_factset() -> FactSet:
    """Every vocabulary fact present and unknown, as derive._fill_unknowns leaves them."""
    fs = FactSet()
    for spec in FACT_SPECS:
        fs.unknown(spec.name, "", f"not read (from {spec.sources})")
    return fs


def rule_file(tmp_path: Path, body: str, name: str = "test.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def rules_from(tmp_path: Path, body: str) -> list[Rule]:
    return load_rules([rule_file(tmp_path, body)])


def run(tmp_path: Path, body: str, fs: FactSet, **kwargs: Any) -> list[Finding]:
    kwargs.setdefault("today", TODAY)
    return evaluate(rules_from(tmp_path, body), fs, **kwargs)


def one_check(check: str, *, extra: str = "") -> str:
    """A minimal rule around a check written as inline TOML."""
    return f'''
    [[rule]]
    id = "TEST-001"
    title = "t"
    area = "patch"
    severity = "high"
    check = {check}
    rationale = "r"
    remediation = "m"
    references = ["x"]
    {extra}
    '''
