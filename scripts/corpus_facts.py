"""Count known and unknown vocabulary facts over the shared corpus (every profile and
alternate capture), per fact with -v: the measure of "fewer unknowns" (issue 12).

    DROIDAUDIT_CORPUS=../shared/corpus python scripts/corpus_facts.py [-v]
"""

from __future__ import annotations

import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from droidaudit.facts import FACT_SPECS
from droidaudit.facts.derive import extract_facts
from tests.corpus import alternates, capture_from_profile, corpus_profiles

SCANNED_AT = datetime(2026, 11, 24, tzinfo=UTC)  # the corpus captures' stated time


def main() -> None:
    known: Counter[str] = Counter()
    captures = 0
    for profile in corpus_profiles():
        for alternate in [None, *alternates(profile)]:
            captures += 1
            facts = extract_facts(capture_from_profile(profile, alternate), SCANNED_AT)
            known.update(s.name for s in FACT_SPECS if facts.value(s.name) is not None)
    total = captures * len(FACT_SPECS)
    print(f"{captures} captures x {len(FACT_SPECS)} facts: {sum(known.values())} known, "
          f"{total - sum(known.values())} unknown")
    if "-v" in sys.argv:
        for spec in FACT_SPECS:
            print(f"  {spec.name}: known in {known[spec.name]} of {captures}")


if __name__ == "__main__":
    main()
