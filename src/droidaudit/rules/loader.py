"""Read rule files (`rules/*.toml`, DESIGN §5) into typed `Rule` objects, with file:line errors.

Rules are data read with stdlib `tomllib`; nothing in them is evaluated as code. A file that
the engine could misread (unknown key, unknown op, bad severity or profile, a `$param` that is
not defined, a duplicate id) is refused with `RuleError("file:line: message")`: a typo must
never silently turn a check off. Softer problems (unknown fact names, missing rationale) are
left to `droidaudit.rules.lint`, which reuses `parse_file` to see every problem at once.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from droidaudit import __version__
from droidaudit.datafiles import builtin_rules_dir
from droidaudit.errors import UserError
from droidaudit.rules.model import (
    KINDS,
    LIST_VALUE_OPS,
    NO_VALUE_OPS,
    OPS,
    ORDER_OPS,
    PROFILES,
    SEVERITIES,
    WHEN_APPLIES_UNKNOWN,
    WHEN_UNKNOWN,
    AllOf,
    AnyOf,
    Condition,
    Leaf,
    Not,
    Rule,
)

TEXT_KEYS = ("title", "area", "severity", "rationale", "remediation", "when_unknown", "manual",
             "each", "falsepositives", "kind", "when_applies_unknown", "item_key",
             "manual_app_fact")
CONDITION_KEYS = ("applies", "check", "where", "unknown_when")
RULE_KEYS = frozenset((*TEXT_KEYS, *CONDITION_KEYS, "id", "profiles", "references",
                       "remediation_oem", "params", "manual_by_app"))
LEAF_KEYS = frozenset(("fact", "field", "op", "value", "value_fact"))
ID_PATTERN = re.compile(r"^[A-Z][A-Z0-9]*-[A-Z0-9][A-Z0-9-]*$")
PARAM_PATTERN = re.compile(r"^\$([A-Za-z_][A-Za-z0-9_]*)$")
RELATIVE_DATE_KEY = "days_before_scan"


class RuleError(UserError):
    """A rule (or waiver) file the tool refuses to use; str() is `file:line: message`."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")
        self.file, self.line, self.message = file, line, message


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


class _Bad(Exception):
    """A problem inside one key of a rule (raised while parsing conditions)."""


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
            assert item.rule is not None  # no fatal problem → every rule parsed
            rule = item.rule
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
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        parsed.problems.append(Problem(name, 0, f"cannot read rule file: {exc}"))
        return parsed
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, message = _toml_error_position(str(exc))
        parsed.problems.append(Problem(name, line, f"not valid TOML: {message}"))
        return parsed
    except RecursionError:
        parsed.problems.append(Problem(name, 1, "TOML nested too deeply"))
        return parsed
    for key in data:
        if key != "rule":
            parsed.problems.append(Problem(name, _top_key_line(text, key),
                                           f"unknown top-level key {key!r} (expected [[rule]])"))
    raw_rules = data.get("rule", [])
    if not isinstance(raw_rules, list):
        parsed.problems.append(Problem(name, 1, "`rule` must be an array of tables ([[rule]])"))
        return parsed
    blocks = _rule_key_lines(text)
    for index, raw in enumerate(raw_rules):
        lines = blocks[index] if index < len(blocks) else {}
        parsed.rules.append(_parse_rule(raw, name, lines))
    return parsed


def _toml_error_position(message: str) -> tuple[int, str]:
    match = re.search(r"\s*\(at line (\d+), column \d+\)", message)
    if match is None:
        return 1, message
    return int(match.group(1)), message[: match.start()] + message[match.end():]


def _top_key_line(text: str, key: str) -> int:
    pattern = re.compile(rf"^\s*(\[+\s*)?{re.escape(key)}\b")
    for number, line in enumerate(text.splitlines(), 1):
        if pattern.match(line):
            return number
    return 1


_HEADER = re.compile(r"^\s*\[\[\s*rule\s*\]\]")
_SUBTABLE = re.compile(r"^\s*\[\s*rule\.([A-Za-z0-9_.\-]+)\s*\]")
_OTHER_TABLE = re.compile(r"^\s*\[")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")


def _rule_key_lines(text: str) -> list[dict[str, int]]:
    """Where each `[[rule]]` starts and where its keys are (tomllib keeps no positions).

    Keys of sub-tables are recorded as `params`, `params.enterprise`, `check.any`...; lines
    inside multi-line strings are skipped so a rationale cannot fake a header.
    """
    blocks: list[dict[str, int]] = []
    current: dict[str, int] | None = None
    prefix = ""
    in_string = False
    for number, line in enumerate(text.splitlines(), 1):
        quotes = line.count('"""') + line.count("'''")
        if in_string:
            in_string = quotes % 2 == 0
            continue
        if quotes % 2 == 1:
            in_string = True
        if _HEADER.match(line):
            current, prefix = {"__rule__": number}, ""
            blocks.append(current)
        elif (sub := _SUBTABLE.match(line)) and current is not None:
            prefix = sub.group(1)
            for depth in range(1, prefix.count(".") + 2):
                current.setdefault(".".join(prefix.split(".")[:depth]), number)
            prefix += "."
        elif _OTHER_TABLE.match(line):
            current, prefix = None, ""
        elif (key := _KEY.match(line)) and current is not None:
            current.setdefault(prefix + key.group(1), number)
    return blocks


# -- one rule ------------------------------------------------------------------------------

def _parse_rule(raw: Any, file: str, lines: dict[str, int]) -> ParsedRule:
    start = lines.get("__rule__", 1)
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
        except _Bad as exc:
            bad(key, f"{key}: {exc}")
    if "where" in raw and "each" not in raw:
        bad("where", "`where` only makes sense with `each`")
    if any(p.fatal for p in parsed.problems) or conditions["check"] is None:
        return parsed
    parsed.rule = _build_rule(raw, file, start, conditions, params, profile_params)
    return parsed


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
    references = raw.get("references", [])
    if not isinstance(references, list) or not all(isinstance(r, str) for r in references):
        bad("references", "references must be a list of strings")
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


def _build_rule(raw: dict[str, Any], file: str, line: int,
                conditions: dict[str, Condition | None], params: dict[str, Any],
                profile_params: dict[str, dict[str, Any]]) -> Rule:
    check = conditions["check"]
    assert check is not None
    return Rule(
        id=raw["id"], title=raw["title"], area=raw["area"], severity=raw["severity"],
        profiles=tuple(raw.get("profiles", PROFILES)),
        applies=conditions["applies"], check=check,
        rationale=raw.get("rationale", ""), remediation=raw.get("remediation", ""),
        remediation_oem=dict(raw.get("remediation_oem", {})),
        references=tuple(raw.get("references", ())),
        when_unknown=raw.get("when_unknown", "unknown"), manual=raw.get("manual", ""),
        each=raw.get("each"), where=conditions["where"],
        falsepositives=raw.get("falsepositives", ""), source_file=file, line=line,
        kind=raw.get("kind", "check"),
        when_applies_unknown=raw.get("when_applies_unknown", "unknown"),
        item_key=raw.get("item_key", "package"),
        params=params, profile_params=profile_params,
        unknown_when=conditions["unknown_when"],
        manual_by_app=dict(raw.get("manual_by_app", {})),
        manual_app_fact=raw.get("manual_app_fact", "mms.default_sms_app"),
    )


# -- conditions ----------------------------------------------------------------------------

def parse_condition(raw: Any, *, in_item: bool, params: dict[str, Any]) -> Condition:
    """A TOML table → a condition tree. Raises _Bad with a message naming what is wrong."""
    if not isinstance(raw, dict):
        raise _Bad(f"a condition must be a table, not {raw!r}")
    combinators = [k for k in ("all", "any", "not") if k in raw]
    if combinators:
        if len(raw) != 1:
            raise _Bad(f"{combinators[0]!r} must be alone in its table, found {sorted(raw)}")
        return _parse_combinator(combinators[0], raw[combinators[0]], in_item, params)
    return _parse_leaf(raw, in_item, params)


def _parse_combinator(name: str, body: Any, in_item: bool,
                      params: dict[str, Any]) -> Condition:
    if name == "not":
        return Not(parse_condition(body, in_item=in_item, params=params))
    if not isinstance(body, list) or not body:
        raise _Bad(f"{name!r} needs a non-empty list of conditions")
    parts = tuple(parse_condition(p, in_item=in_item, params=params) for p in body)
    return AllOf(parts) if name == "all" else AnyOf(parts)


def _parse_leaf(raw: dict[str, Any], in_item: bool, params: dict[str, Any]) -> Leaf:
    unknown = sorted(set(raw) - LEAF_KEYS)
    if unknown:
        raise _Bad(f"unknown condition key(s) {', '.join(unknown)} "
                   "(use fact/field, op, value or value_fact; or all/any/not)")
    if ("fact" in raw) == ("field" in raw):
        raise _Bad("a condition needs exactly one of `fact` or `field`")
    if "field" in raw and not in_item:
        raise _Bad("`field` refers to an item and is only allowed in `each` rules")
    subject = raw.get("fact", raw.get("field"))
    if not isinstance(subject, str) or not subject:
        raise _Bad("`fact`/`field` must be a non-empty string")
    op = raw.get("op")
    if op not in OPS:
        raise _Bad(f"unknown op {op!r} (known: {', '.join(OPS)})")
    has_value, has_fact = "value" in raw, "value_fact" in raw
    if op in NO_VALUE_OPS:
        if has_value or has_fact:
            raise _Bad(f"op {op!r} takes no value")
    elif has_value == has_fact:
        raise _Bad(f"op {op!r} needs exactly one of `value` or `value_fact`")
    value_fact = raw.get("value_fact")
    if has_fact and (not isinstance(value_fact, str) or not value_fact):
        raise _Bad("`value_fact` must be a fact name")
    if has_value:
        _check_value(op, raw["value"], params)
    return Leaf(subject, op, raw.get("value"), "field" in raw, value_fact)


def _check_value(op: str, value: Any, params: dict[str, Any]) -> None:
    if isinstance(value, dict):
        _check_relative_date(op, value, params)
        return
    if isinstance(value, str) and (ref := PARAM_PATTERN.match(value)):
        if ref.group(1) not in params:
            raise _Bad(f"{value} is not defined under [rule.params]")
        value = params[ref.group(1)]
    if op in LIST_VALUE_OPS and not isinstance(value, list):
        raise _Bad(f"op {op!r} needs a list value, not {value!r}")
    if op in ORDER_OPS and (isinstance(value, bool) or not isinstance(value, int | float | str)):
        raise _Bad(f"op {op!r} needs a number or a date string, not {value!r}")
    if op == "matches":
        if not isinstance(value, str):
            raise _Bad(f"op 'matches' needs a regular expression string, not {value!r}")
        try:
            re.compile(value)
        except re.error as exc:
            raise _Bad(f"bad regular expression {value!r}: {exc}") from exc


def _check_relative_date(op: str, value: dict[str, Any], params: dict[str, Any]) -> None:
    """`value = { days_before_scan = 120 }`: the date that many days before the scan."""
    if op not in ORDER_OPS or set(value) != {RELATIVE_DATE_KEY}:
        raise _Bad(f"a table value must be {{ {RELATIVE_DATE_KEY} = N }} with lt/lte/gt/gte")
    days = value[RELATIVE_DATE_KEY]
    if isinstance(days, str) and (ref := PARAM_PATTERN.match(days)):
        if ref.group(1) not in params:
            raise _Bad(f"{days} is not defined under [rule.params]")
        days = params[ref.group(1)]
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise _Bad(f"{RELATIVE_DATE_KEY} must be a whole number of days, not {days!r}")


# -- for people ----------------------------------------------------------------------------

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
        if condition.op in NO_VALUE_OPS:
            return f"{subject} {condition.op}"
        value = condition.value_fact if condition.value_fact else repr(condition.value)
        return f"{subject} {condition.op} {value}"
    if isinstance(condition, Not):
        return f"not ({describe(condition.part)})"
    joiner = " and " if isinstance(condition, AllOf) else " or "
    return "(" + joiner.join(describe(p) for p in condition.parts) + ")"
