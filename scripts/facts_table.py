"""Regenerate the facts table in README.md from droidaudit.facts.FACT_SPECS (the probes
column from droidaudit.facts.provenance: the order they are tried)."""

from __future__ import annotations

import re
from pathlib import Path

from droidaudit.facts import FACT_SPECS

README = Path(__file__).resolve().parents[1] / "README.md"
MARK = "<!-- FACTS-TABLE -->"


def table_rows() -> str:
    return "\n".join(f"| `{s.name}` | {s.type} | {s.meaning} | {s.sources} | {_probes(s.probes)} |"
                     for s in FACT_SPECS)


def _probes(names: tuple[str, ...]) -> str:
    return ", ".join(f"`{name}`" for name in names) or "none (see below)"


def main() -> None:
    text = README.read_text()
    pattern = re.compile(re.escape(MARK) + r".*?(?=\n\n)", re.S)
    README.write_text(pattern.sub(lambda _m: MARK + "\n" + table_rows(), text, count=1))


if __name__ == "__main__":
    main()
