"""The facts stage: a capture becomes named, typed facts (`derive.extract_facts`).

`droidaudit.facts` itself exposes only the vocabulary (`model`): the contract parsers write
and rules read. The stage's work (derive, apps, sensitive groups, attestations, indicator
matching, the release table) lives in its modules and is imported from them.
"""

from droidaudit.facts.model import (
    FACT_NAMES,
    FACT_SPECS,
    SPECS_BY_NAME,
    Fact,
    FactSet,
    FactSpec,
    FactValue,
)

__all__ = ["FACT_NAMES", "FACT_SPECS", "SPECS_BY_NAME", "Fact", "FactSet", "FactSpec",
           "FactValue"]
