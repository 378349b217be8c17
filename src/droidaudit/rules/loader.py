"""Read rule files (`rules/*.toml`, DESIGN §5) into typed `Rule` objects, with file:line errors.

Rules are data read with stdlib `tomllib`; nothing in them is evaluated as code. A file that
the engine could misread (unknown key, unknown op, bad severity or profile, a `$param` that is
not defined, a duplicate id) is refused with `RuleError("file:line: message")`: a typo must
never silently turn a check off. Softer problems (unknown fact names, missing rationale) are
left to `droidaudit.rules.lint`, which reuses `parse_file` to see every problem at once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from droidaudit.datafiles import builtin_rules_dir
from droidaudit.rules.conditions import ConditionError, parse_condition
from droidaudit.rules.explain import explain_rule, rules_version
from droidaudit.rules.model import (
    KINDS,
    PROFILES,
    SEVERITIES,
    WHEN_APPLIES_UNKNOWN,
    WHEN_UNKNOWN,
    Condition,
    Rule,
    SeverityBand,
)
from droidaudit.rules.toml_lines import START, RuleError, read_toml, table_key_lines, top_key_line

# Re-exported: the CLI and scan import them from here.
__all__ = ["RuleError", "explain_rule", "load_rules", "parse_file", "rule_files",
           "rules_version"]

TEXT_KEYS = ("title", "area", "severity", "rationale", "remediation", "when_unknown", "manual",
             "each", "falsepositives", "kind", "when_applies_unknown", "item_key",
             "manual_app_fact", "fail_title")
CONDITION_KEYS = ("applies", "check", "where", "unknown_when")
RULE_KEYS = frozenset((*TEXT_KEYS, *CONDITION_KEYS, "id", "profiles", "references",
                       "remediation_oem", "params", "manual_by_app", "severity_bands",
                       "replaces"))
BAND_KEYS = frozenset(("when", "severity"))
ID_PATTERN = re.compile(r"^[A-Z][A-Z0-9]*-[A-Z0-9][A-Z0-9-]*$")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str
    fatal: bool = True  # the loader refuses the file; otherwise only lint reports it


@dataclass
class ParsedRule:
    """One `[[rule]]` table: its raw data, where its keys are, and the rule if it is valid."""

    raw: dict[str, Any]
    line: int
    key_lines: dict[str, int]
    rule: Rule | None = None
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


@dataclass
class ParsedFile:
    path: Path
    rules: list[ParsedRule] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # file-level problems

    def all_problems(self) -> list[Problem]:
        found = list(self.problems)
        for parsed in self.rules:
            found.extend(parsed.problems)
        return found


# -- files ---------------------------------------------------------------------------------

def rule_files(paths: Sequence[Path] | None) -> list[Path]:
    """Expand folders to their `*.toml` files (sorted), leaving out the releases table."""
    chosen = [builtin_rules_dir()] if paths is None else [Path(p) for p in paths]
    files: list[Path] = []
    for path in chosen:
        if path.is_dir():
            files.extend(p for p in sorted(path.glob("*.toml")))
        else:
            files.append(path)
    return files


def load_rules(paths: Sequence[Path] | None = None) -> list[Rule]:
    """Load rules from files or folders (None → built-in); raise RuleError on a bad one."""
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path in rule_files(paths):
        parsed = parse_file(path)
        fatal = [p for p in parsed.all_problems() if p.fatal]
        if fatal:
            first = min(fatal, key=lambda p: p.line)
            raise RuleError(first.file, first.line, first.message)
        for item in parsed.rules:
            rule = item.rule
            if rule is None:  # cannot happen: no fatal problem means every rule parsed
                raise RuleError(str(path), item.line, "rule could not be parsed")
            if rule.id in seen:
                raise RuleError(str(path), rule.line,
                                f"duplicate rule id {rule.id} (first in {seen[rule.id]})")
            seen[rule.id] = f"{rule.source_file}:{rule.line}"
            rules.append(rule)
    return rules


def parse_file(path: Path) -> ParsedFile:
    """Parse one rule file, collecting every problem instead of stopping at the first."""
    parsed = ParsedFile(path)
    name = str(path)
    try:
        text, data = read_toml(path, "rule file")
    except RuleError as exc:
        parsed.problems.append(Problem(name, exc.line, exc.message))
        return parsed
    except RecursionError:
        parsed.problems.append(Problem(name, 1, "TOML nested too deeply"))
        return parsed
    for key in data:
        if key != "rule":
            parsed.problems.append(Problem(name, top_key_line(text, key),
                                           f"unknown top-level key {key!r} (expected [[rule]])"))
    raw_rules = data.get("rule", [])
    if not isinstance(raw_rules, list):
        parsed.problems.append(Problem(name, 1, "`rule` must be an array of tables ([[rule]])"))
        return parsed
    blocks = table_key_lines(text, "rule")
    for index, raw in enumerate(raw_rules):
        lines = blocks[index] if index < len(blocks) else {}
        parsed.rules.append(_parse_rule(raw, name, lines))
    return parsed


# -- one rule ------------------------------------------------------------------------------

def _parse_rule(raw: Any, file: str, lines: dict[str, int]) -> ParsedRule:
    start = lines.get(START, 1)
    if not isinstance(raw, dict):
        parsed = ParsedRule({}, start, lines)
        parsed.problems.append(Problem(file, start, "a [[rule]] entry must be a table"))
        return parsed
    parsed = ParsedRule(raw, start, lines)

    def bad(key: str, message: str, fatal: bool = True) -> None:
        rule_id = raw.get("id", "?")
        parsed.problems.append(Problem(file, parsed.line_of(key), f"{rule_id}: {message}", fatal))

    for key in raw:
        if key not in RULE_KEYS:
            bad(key, f"unknown key {key!r}")
    _check_required(raw, bad)
    _check_types(raw, bad)
    params, profile_params = _parse_params(raw.get("params", {}), bad)
    conditions: dict[str, Condition | None] = {}
    for key in CONDITION_KEYS:
        if key not in raw:
            conditions[key] = None
            continue
        in_item = key != "applies" and "each" in raw
        try:
            conditions[key] = parse_condition(raw[key], in_item=in_item, params=params)
        except ConditionError as exc:
            bad(key, f"{key}: {exc}")
    if "where" in raw and "each" not in raw:
        bad("where", "`where` only makes sense with `each`")
    bands = _parse_bands(raw.get("severity_bands", []), "each" in raw, params, bad)
    if any(p.fatal for p in parsed.problems) or conditions["check"] is None:
        return parsed
    parsed.rule = _build_rule(raw, file, start, conditions, (params, profile_params), bands)
    return parsed


def _parse_bands(raw: Any, in_item: bool, params: dict[str, Any],
                 bad: Any) -> tuple[SeverityBand, ...]:
    """`severity_bands = [{ when = {...}, severity = "critical" }, ...]`, first match wins."""
    shape = 'severity_bands must be a list of { when = {...}, severity = "..." } tables'
    if not isinstance(raw, list):
        bad("severity_bands", shape)
        return ()
    bands: list[SeverityBand] = []
    for band in raw:
        if not isinstance(band, dict) or set(band) != BAND_KEYS:
            bad("severity_bands", shape)
            continue
        if band["severity"] not in SEVERITIES:
            bad("severity_bands", f"severity_bands: severity {band['severity']!r} is not one "
                                  f"of {', '.join(SEVERITIES)}")
            continue
        try:
            when = parse_condition(band["when"], in_item=in_item, params=params)
        except ConditionError as exc:
            bad("severity_bands", f"severity_bands: {exc}")
            continue
        bands.append(SeverityBand(when, band["severity"]))
    return tuple(bands)


def _check_required(raw: dict[str, Any], bad: Any) -> None:
    for key in ("id", "title", "area", "severity", "check"):
        if key not in raw:
            bad(key, f"missing required key {key!r}")
    rule_id = raw.get("id")
    if isinstance(rule_id, str) and not ID_PATTERN.match(rule_id):
        bad("id", f"id {rule_id!r} should look like AREA-001 (capitals, digits, dashes)")


def _check_types(raw: dict[str, Any], bad: Any) -> None:
    for key in ("id", *TEXT_KEYS):
        if key in raw and not isinstance(raw[key], str):
            bad(key, f"{key} must be a string")
    choices = {"severity": SEVERITIES, "when_unknown": WHEN_UNKNOWN, "kind": KINDS,
               "when_applies_unknown": WHEN_APPLIES_UNKNOWN}
    for key, allowed in choices.items():
        value = raw.get(key)
        if isinstance(value, str) and value not in allowed:
            bad(key, f"{key} {value!r} is not one of {', '.join(allowed)}")
    profiles = raw.get("profiles", list(PROFILES))
    if not isinstance(profiles, list) or not profiles or not all(
            isinstance(p, str) for p in profiles):
        bad("profiles", "profiles must be a non-empty list of strings")
    else:
        for profile in profiles:
            if profile not in PROFILES:
                bad("profiles", f"unknown profile {profile!r} (known: {', '.join(PROFILES)})")
    for key in ("references", "replaces"):
        listed = raw.get(key, [])
        if not isinstance(listed, list) or not all(isinstance(r, str) for r in listed):
            bad(key, f"{key} must be a list of strings")
    oem = raw.get("remediation_oem", {})
    if not isinstance(oem, dict) or not all(isinstance(v, str) for v in oem.values()):
        bad("remediation_oem", "remediation_oem must be a table of strings")
    by_app = raw.get("manual_by_app", {})
    if not isinstance(by_app, dict) or not all(isinstance(v, str) for v in by_app.values()):
        bad("manual_by_app", "manual_by_app must be a table of strings keyed by package")


def _parse_params(raw: Any, bad: Any) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """`[rule.params]`: plain keys are defaults, a sub-table named after a profile overrides."""
    if not isinstance(raw, dict):
        bad("params", "params must be a table")
        return {}, {}
    defaults = {k: v for k, v in raw.items() if not isinstance(v, dict)}
    overrides: dict[str, dict[str, Any]] = {}
    for profile, table in raw.items():
        if not isinstance(table, dict):
            continue
        if profile not in PROFILES:
            bad(f"params.{profile}", f"params.{profile}: {profile!r} is not a profile")
            continue
        for name in table:
            if name not in defaults:
                bad(f"params.{profile}", f"params.{profile}.{name} overrides no default "
                    f"(add {name} under [rule.params])")
        overrides[profile] = dict(table)
    return defaults, overrides


# Plain string keys copied as written; when absent, the Rule's own default applies (one
# place for each default).
_COPIED_TEXT = ("rationale", "remediation", "when_unknown", "manual", "each", "falsepositives",
                "kind", "when_applies_unknown", "item_key", "manual_app_fact", "fail_title")


def _build_rule(raw: dict[str, Any], file: str, line: int,
                conditions: dict[str, Condition | None],
                all_params: tuple[dict[str, Any], dict[str, dict[str, Any]]],
                bands: tuple[SeverityBand, ...]) -> Rule:
    params, profile_params = all_params
    check = conditions["check"]
    if check is None:
        raise ValueError("a rule without a check is never built")  # parse_rule returns first
    return Rule(
        id=raw["id"], title=raw["title"], area=raw["area"], severity=raw["severity"],
        profiles=tuple(raw.get("profiles", PROFILES)),
        applies=conditions["applies"], check=check,
        remediation_oem=dict(raw.get("remediation_oem", {})),
        references=tuple(raw.get("references", ())),
        replaces=tuple(raw.get("replaces", ())),
        where=conditions["where"], source_file=file, line=line,
        params=params, profile_params=profile_params, severity_bands=bands,
        unknown_when=conditions["unknown_when"],
        manual_by_app=dict(raw.get("manual_by_app", {})),
        **{key: raw[key] for key in _COPIED_TEXT if key in raw},
    )
