"""What a person asked for (frozen options) and the rule set loaded from it, apart.

Loading reads rule, waiver and indicator files; it happens once per set of paths
(`load_ruleset` is cached), so `diff` or a fleet of phones never reads them twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from droidaudit.facts.attest import Attestation
from droidaudit.rules.loader import load_rules
from droidaudit.rules.model import Rule
from droidaudit.rules.waivers import Waiver, load_waivers
from droidaudit.sources.indicators import IocSet, load_iocs


@dataclass(frozen=True)
class ScanOptions:
    profile: str = "personal"
    formats: tuple[str, ...] = ("html", "json")
    rules_paths: tuple[Path, ...] = ()
    waivers_path: Path | None = None
    iocs_path: Path | None = None  # --iocs FILE (STIX 2)
    attestations: tuple[Attestation, ...] = ()  # --attest FACT=VALUE --attested-by NAME
    redact: bool = False  # mask identifiers in everything written (redact.py)
    keep_capture: bool = True  # --no-capture: write no capture beside the report
    use_root: bool = False  # --use-root: the person consented to su reads
    # Evaluate as of this time instead of the capture's own (the demo pins its date so that
    # `demo` and `demo --live` give the same findings).
    as_of: datetime | None = None
    # The hand-over header (--client, --technician, --note): who the report is for and by.
    client: str = ""
    technician: str = ""
    note: str = ""

    def handover(self) -> dict[str, str]:
        named = {"client": self.client, "technician": self.technician, "note": self.note}
        return {key: value for key, value in named.items() if value}


@dataclass(frozen=True)
class RuleSet:
    """Rules, waivers and indicators read from the files the options name."""

    rules: tuple[Rule, ...]
    waivers: tuple[Waiver, ...] = ()
    iocs: IocSet | None = None


def load_ruleset(options: ScanOptions) -> RuleSet:
    """Read the files (RuleError / IocError for a person); cached per set of paths."""
    return _load(options.rules_paths, options.waivers_path, options.iocs_path)


@cache
def _load(rules_paths: tuple[Path, ...], waivers_path: Path | None,
          iocs_path: Path | None) -> RuleSet:
    return RuleSet(rules=tuple(load_rules(list(rules_paths) or None)),
                   waivers=tuple(load_waivers(waivers_path)) if waivers_path else (),
                   iocs=load_iocs(iocs_path) if iocs_path else None)
