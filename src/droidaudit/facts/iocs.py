"""Indicator matching (`--iocs`): which installed packages an indicator file names.

The file is loaded by `droidaudit.sources.indicators`; this module only compares it with
the `apps` fact (or the third-party list when that is all that could be read).
"""

from __future__ import annotations

from droidaudit.facts.model import Fact, FactSet
from droidaudit.sources.indicators import IocSet


def ioc_facts(iocs: IocSet | None, facts: FactSet) -> list[Fact]:
    """`iocs.indicator_count` and `iocs.matched_apps` (installed packages an indicator names)."""
    if iocs is None:
        note = "no indicator file given (--iocs FILE)"
        return [Fact("iocs.indicator_count", None, "", (), note),
                Fact("iocs.matched_apps", None, "", (), note)]
    source = f"iocs:{iocs.source}"
    count = Fact("iocs.indicator_count", len(iocs.apps), source, (),
                 f"{len(iocs.apps)} app indicator(s) in {iocs.source}")
    installed = _installed(facts)
    if installed is None:
        return [count, Fact("iocs.matched_apps", None, source, (),
                            "the installed package list could not be read")]
    matched = sorted(p for p in installed if p in iocs.apps)
    if facts.value("apps") is None and not matched:
        return [count, Fact("iocs.matched_apps", None, source, (),
                            "only the third-party package list was readable: no match there, "
                            "system packages not checked")]
    evidence = tuple(f"{p}: named by indicator {iocs.apps[p]!r} in {iocs.source}"
                     for p in matched)
    return [count, Fact("iocs.matched_apps", matched, source, evidence,
                        "" if matched else f"no installed package is named in {iocs.source}")]


def _installed(facts: FactSet) -> set[str] | None:
    apps = facts.value("apps")
    if isinstance(apps, list):
        return {str(a.get("package")) for a in apps if isinstance(a, dict)}
    third = facts.value("_pm.third_party")
    return {str(p) for p in third} if isinstance(third, list) else None
