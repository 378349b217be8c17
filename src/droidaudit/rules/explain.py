"""Rules for people: `droidaudit rules explain`, a condition as one line, and the rules'
version digest (two reports with the same digest were judged by the same rules).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from droidaudit import __version__
from droidaudit.rules.model import AllOf, Condition, Leaf, Not, Rule
from droidaudit.rules.ops import OPS


def rules_version(rules: Sequence[Rule]) -> str:
    """Tool version plus a digest of the rules' content: two reports with the same value were
    judged by the same rules."""
    blob = json.dumps([_rule_content(r) for r in sorted(rules, key=lambda r: r.id)],
                      sort_keys=True, default=str)
    return f"{__version__}+{hashlib.sha256(blob.encode()).hexdigest()[:12]}"


def _rule_content(rule: Rule) -> dict[str, Any]:
    content = asdict(rule)
    content.pop("source_file")
    content.pop("line")
    return content


def explain_rule(rule: Rule) -> str:
    """Everything about one rule as plain text (for `droidaudit rules explain`)."""
    parts = [f"{rule.id}  {rule.title}",
             f"area {rule.area} · severity {rule.severity} · profiles {', '.join(rule.profiles)}",
             f"defined in {rule.source_file}:{rule.line}", ""]
    if rule.applies is not None:
        parts.append(f"Applies when: {describe(rule.applies)}")
    if rule.each:
        where = f" where {describe(rule.where)}" if rule.where is not None else ""
        parts.append(f"For each item of {rule.each}{where}:")
    parts.append(f"Passes when: {describe(rule.check)}")
    if rule.fail_title:
        parts.append(f"When it fails: {rule.fail_title}")
    for band in rule.severity_bands:
        parts.append(f"Severity {band.severity} when: {describe(band.when)}")
    if rule.replaces:
        parts.append(f"Replaces (merged into this rule): {', '.join(rule.replaces)}")
    if rule.unknown_when is not None:
        parts.append(f"Unknown instead of pass when: {describe(rule.unknown_when)}")
    if rule.params:
        parts.append("Parameters: " + ", ".join(f"{k} = {v!r}" for k, v in rule.params.items()))
        for profile, values in rule.profile_params.items():
            parts.append(f"  for {profile}: "
                         + ", ".join(f"{k} = {v!r}" for k, v in values.items()))
    parts.append(f"If a fact is unknown: {rule.when_unknown}")
    for title, text in (("Why it matters", rule.rationale), ("What to do", rule.remediation),
                        ("How to check by hand", rule.manual),
                        ("Known false positives", rule.falsepositives)):
        if text:
            parts += ["", f"{title}:", text.strip()]
    for app, text in rule.manual_by_app.items():
        parts += ["", f"By hand when {rule.manual_app_fact} is {app}:", text.strip()]
    for oem, text in rule.remediation_oem.items():
        parts += ["", f"On {oem}:", text.strip()]
    if rule.references:
        parts += ["", "References:"] + [f"  - {ref}" for ref in rule.references]
    return "\n".join(parts)


def describe(condition: Condition | None) -> str:
    """A condition as one readable line, e.g. `os.sdk gte 23 and not (...)`."""
    if condition is None:
        return "always"
    if isinstance(condition, Leaf):
        subject = f"item.{condition.subject}" if condition.from_item else condition.subject
        if OPS[condition.op].kind == "none":
            return f"{subject} {condition.op}"
        value = condition.value_fact if condition.value_fact else repr(condition.value)
        return f"{subject} {condition.op} {value}"
    if isinstance(condition, Not):
        return f"not ({describe(condition.part)})"
    joiner = " and " if isinstance(condition, AllOf) else " or "
    return "(" + joiner.join(describe(p) for p in condition.parts) + ")"
