"""`droidaudit rules lint`: every problem in rule files, each with file and line.

Reports what the loader refuses (bad TOML, unknown keys or ops, bad severity or profile,
undefined `$param`) and what it accepts but a reviewer must fix: fact names outside the
vocabulary (`droidaudit.facts.FACT_NAMES`), item fields the list fact does not have, a value of
the wrong type for its fact, missing rationale / remediation / references, unknown area or an
id prefix that does not match it, `notchecked` without manual steps, and checks that could pass
on an unknown fact. It only reads files; it never evaluates a rule against a phone.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from droidaudit.facts import FACT_NAMES, SPECS_BY_NAME
from droidaudit.package_names import is_package_name
from droidaudit.rules.loader import ParsedRule, parse_file, rule_files
from droidaudit.rules.model import (
    AREA_PREFIXES,
    AREAS,
    DEFAULT_MANUAL_APP_FACT,
    EACH_KEYS,
    OEM_KEYS,
    SEVERITIES,
    SPECIAL_ACCESS,
    AllOf,
    AnyOf,
    Condition,
    Leaf,
    Not,
    Rule,
)
from droidaudit.rules.ops import OPS
from droidaudit.rules.text import placeholder_names

_TEXT_FIELDS = ("title", "fail_title", "rationale", "remediation", "manual")


@dataclass(frozen=True)
class LintProblem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def lint_rules(paths: Sequence[Path] | None = None) -> list[LintProblem]:
    """Every problem in the given rule files or folders (None → the built-in rules)."""
    problems: list[LintProblem] = []
    first_seen: dict[str, str] = {}
    replaced: list[tuple[str, str, int]] = []  # (merged id, file, line of `replaces`)
    for path in rule_files(paths):
        parsed = parse_file(path)
        problems += [LintProblem(p.file, p.line, p.message) for p in parsed.problems]
        for item in parsed.rules:
            problems += [LintProblem(p.file, p.line, p.message) for p in item.problems]
            problems += _lint_rule(item, str(path))
            rule_id = item.raw.get("id")
            if isinstance(rule_id, str):
                where = f"{path}:{item.line}"
                if rule_id in first_seen:
                    problems.append(LintProblem(str(path), item.line,
                                                f"duplicate rule id {rule_id} "
                                                f"(first at {first_seen[rule_id]})"))
                else:
                    first_seen[rule_id] = where
            if item.rule is not None:
                replaced += [(old, str(path), item.line_of("replaces"))
                             for old in item.rule.replaces]
    problems += [LintProblem(file, line, f"{old} is still defined, but a rule says it "
                                         "replaces it (merged rules must be removed)")
                 for old, file, line in replaced if old in first_seen]
    return sorted(set(problems), key=lambda p: (p.file, p.line, p.message))


def _lint_rule(parsed: ParsedRule, file: str) -> list[LintProblem]:
    raw = parsed.raw
    rule_id = raw.get("id", "?")
    found: list[LintProblem] = []

    def warn(key: str, message: str) -> None:
        found.append(LintProblem(file, parsed.line_of(key), f"{rule_id}: {message}"))

    _lint_text(raw, warn)
    _lint_area(raw, warn)
    if parsed.rule is not None:
        _lint_conditions(parsed.rule, warn)
        _lint_placeholders(parsed.rule, warn)
        _lint_bands(parsed.rule, warn)
    return found


def _lint_bands(rule: Rule, warn: Any) -> None:
    """Bands are tried in order and the first that holds wins: highest severity first, and
    each must change something."""
    ranks = [SEVERITIES.index(band.severity) for band in rule.severity_bands]
    if ranks != sorted(ranks, reverse=True):
        warn("severity_bands", "severity_bands are tried in order: list the highest first")
    if any(band.severity == rule.severity for band in rule.severity_bands):
        warn("severity_bands", f"a severity band repeats the rule's own severity "
                               f"({rule.severity}); it changes nothing")
    if rule.severity_bands and rule.informational:
        warn("severity_bands", "an informational rule does not rank by severity")


def _lint_text(raw: dict[str, Any], warn: Any) -> None:
    for key in ("rationale", "remediation"):
        if not str(raw.get(key, "")).strip():
            warn(key if key in raw else "id", f"missing {key} (say it in plain words)")
    if not raw.get("references"):
        warn("references" if "references" in raw else "id",
             "missing references (cite a benchmark section or Android documentation)")
    _lint_manual_by_app(raw, warn)
    if raw.get("when_unknown") == "notchecked" and not str(raw.get("manual", "")).strip():
        warn("when_unknown", "when_unknown = 'notchecked' needs `manual` steps for a person")
    oem = raw.get("remediation_oem", {})
    if isinstance(oem, dict):
        for key in oem:
            if key not in OEM_KEYS:
                warn("remediation_oem", f"remediation_oem key {key!r} is not one of "
                                        f"{', '.join(OEM_KEYS)}")




def _lint_manual_by_app(raw: dict[str, Any], warn: Any) -> None:
    by_app = raw.get("manual_by_app", {})
    fact = raw.get("manual_app_fact", DEFAULT_MANUAL_APP_FACT)
    if "manual_app_fact" in raw and fact not in FACT_NAMES:
        warn("manual_app_fact", f"manual_app_fact {fact!r} is not a known fact")
    if not isinstance(by_app, dict):
        return
    if by_app and not str(raw.get("manual", "")).strip():
        warn("manual_by_app", "manual_by_app needs a general `manual` for other apps")
    for package in by_app:
        if not is_package_name(package):
            warn("manual_by_app", f"manual_by_app key {package!r} is not a package name")


def _lint_area(raw: dict[str, Any], warn: Any) -> None:
    area, rule_id = raw.get("area"), raw.get("id")
    if not isinstance(area, str):
        return
    if area not in AREAS:
        warn("area", f"unknown area {area!r} (known: {', '.join(AREAS)})")
    elif isinstance(rule_id, str) and not rule_id.startswith(AREA_PREFIXES[area] + "-"):
        warn("id", f"id should start with {AREA_PREFIXES[area]}- for area {area!r}")


def _lint_conditions(rule: Rule, warn: Any) -> None:
    item_keys: tuple[str, ...] | None = None
    if rule.each is not None:
        spec = SPECS_BY_NAME.get(rule.each)
        if spec is None:
            warn("each", f"each = {rule.each!r} is not a known fact")
        elif spec.type != "list[obj]":
            warn("each", f"each = {rule.each!r} is a {spec.type}, not a list of objects")
        item_keys = EACH_KEYS.get(rule.each)
    conditions = [("applies", rule.applies), ("check", rule.check), ("where", rule.where),
                  ("unknown_when", rule.unknown_when)]
    conditions += [("severity_bands", band.when) for band in rule.severity_bands]
    for key, condition in conditions:
        if condition is None:
            continue
        for leaf, negated in _leaves(condition):
            _lint_leaf(leaf, key, item_keys, warn)
            if key == "check" and leaf.op == "exists" and negated:
                warn(key, f"`not {leaf.subject} exists` is true when the fact is unknown: "
                          "the check could pass on a fact that was never read")


def _leaves(condition: Condition, negated: bool = False) -> Iterator[tuple[Leaf, bool]]:
    if isinstance(condition, Leaf):
        yield condition, negated
    elif isinstance(condition, Not):
        yield from _leaves(condition.part, not negated)
    elif isinstance(condition, AllOf | AnyOf):
        for part in condition.parts:
            yield from _leaves(part, negated)


def _lint_leaf(leaf: Leaf, key: str, item_keys: tuple[str, ...] | None, warn: Any) -> None:
    if leaf.from_item:
        if item_keys is not None and leaf.subject not in item_keys:
            warn(key, f"field {leaf.subject!r} is not a key of the list items "
                      f"(known: {', '.join(item_keys)})")
        if leaf.subject in ("special", "special_unknown") and leaf.op in ("contains",
                                                                 "not_contains"):
            values = leaf.value if isinstance(leaf.value, list) else [leaf.value]
            for value in values:
                if value not in SPECIAL_ACCESS:
                    warn(key, f"special access {value!r} is not one of "
                              f"{', '.join(SPECIAL_ACCESS)}")
    elif leaf.subject not in FACT_NAMES:
        warn(key, f"unknown fact {leaf.subject!r}")
    else:
        _lint_value_type(leaf, key, warn)
    if leaf.value_fact is not None and leaf.value_fact not in FACT_NAMES:
        warn(key, f"unknown fact {leaf.value_fact!r} in value_fact")


def _lint_value_type(leaf: Leaf, key: str, warn: Any) -> None:
    """A bool fact compared with 1, or an int fact with "90", is a rule bug."""
    spec = SPECS_BY_NAME[leaf.subject]
    if not OPS[leaf.op].typed:
        return
    if isinstance(leaf.value, str) and leaf.value.startswith("$"):
        return  # a parameter: checked when evaluated
    values = leaf.value if isinstance(leaf.value, list) else [leaf.value]
    expected = {"bool": bool, "int": int}.get(spec.type)
    for value in values:
        if value is None:
            continue
        if expected is bool and not isinstance(value, bool):
            warn(key, f"{leaf.subject} is a bool; compare it with true/false, not {value!r}")
        elif expected is int and (isinstance(value, bool) or not isinstance(value, int | float)):
            warn(key, f"{leaf.subject} is a number; {value!r} is not")


def _lint_placeholders(rule: Rule, warn: Any) -> None:
    texts = [(k, getattr(rule, k)) for k in _TEXT_FIELDS]
    texts += [("remediation_oem", t) for t in rule.remediation_oem.values()]
    texts += [("manual_by_app", t) for t in rule.manual_by_app.values()]
    for key, text in texts:
        for name in placeholder_names(text):
            if name.startswith("$"):
                if name[1:] not in rule.params:
                    warn(key, f"placeholder {{{name}}} names no parameter")
            elif name != "item" and "." in name and name not in FACT_NAMES:
                warn(key, f"placeholder {{{name}}} names no fact")
            elif name == "item" and rule.each is None:
                warn(key, "placeholder {item} only has a value in `each` rules")
