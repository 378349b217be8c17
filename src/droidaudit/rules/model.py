"""What a rule and a finding are: the typed form of `rules/*.toml` (DESIGN §5) and of one result.

A rule is data. Its conditions are small typed trees (`Leaf`, `AllOf`, `AnyOf`, `Not`) that the
engine walks; nothing in a rule is ever executed as code. This module only defines shapes and
vocabularies; it never reads files or facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["pass", "fail", "error", "unknown", "notapplicable", "notchecked",
                 "informational", "waived"]
STATUSES: tuple[Status, ...] = ("pass", "fail", "error", "unknown", "notapplicable",
                                "notchecked", "informational", "waived")
SEVERITIES = ("info", "low", "medium", "high", "critical")
# Statuses whose severity a rule's `severity_bands` may raise: what a person must act on or
# check (a pass or a rule that does not apply has nothing to rank).
BANDED_STATUSES: tuple[Status, ...] = ("fail", "informational", "unknown", "notchecked")
PROFILES = ("personal", "technician", "enterprise", "at-risk")
AREAS = ("mms", "permissions", "patch", "lockscreen", "backup", "debug", "integrity")
AREA_PREFIXES = {"mms": "MMS", "permissions": "PERM", "patch": "PATCH", "lockscreen": "LOCK",
                 "backup": "BACKUP", "debug": "DEBUG", "integrity": "INTEG"}
OEM_KEYS = ("google", "samsung", "xiaomi")

# The operators of a condition leaf are defined once, in droidaudit.rules.ops.OPS.
WHEN_UNKNOWN = ("unknown", "notchecked")
WHEN_APPLIES_UNKNOWN = ("unknown", "notapplicable", "check")
KINDS = ("check", "informational")
DEFAULT_MANUAL_APP_FACT = "mms.default_sms_app"

# Keys of one element of the `apps` fact (see droidaudit.facts, `apps`).
APP_KEYS = ("package", "system", "installer", "version", "target_sdk", "granted", "special",
            "special_unknown", "allow_backup", "users", "sensitive_groups",
            "sensitive_group_count")
SPECIAL_ACCESS = ("accessibility", "notification_listener", "device_admin",
                  "install_unknown_apps", "overlay", "usage_access")
# Item fields for people: (label, unit) as in droidaudit.facts.FactSpec (rules/plain.py).
FIELD_WORDS: dict[str, tuple[str, str]] = {
    "package": ("Package", ""),
    "system": ("Part of the system", "yes/no"),
    "installer": ("Installer", ""),
    "version": ("Version", ""),
    "target_sdk": ("Target API level", ""),
    "granted": ("Granted permissions", ""),
    "special": ("Special access rights", ""),
    "special_unknown": ("Special access rights that could not be read", ""),
    "allow_backup": ("App data backup", "allowed/not allowed"),
    "users": ("Installed for users", ""),
    "sensitive_groups": ("Sensitive permission groups", ""),
    "sensitive_group_count": ("Number of sensitive permission groups", "groups"),
    "user": ("User", ""),
    "credential": ("Screen lock type", ""),
    "secure": ("Screen lock", "a PIN, pattern or password/none or swipe"),
}
# Item keys per list fact that `each =` may iterate over; lint checks `field =` against them.
EACH_KEYS: dict[str, tuple[str, ...]] = {
    "apps": APP_KEYS,
    "lock.users": ("user", "credential", "secure"),
}


@dataclass(frozen=True)
class Leaf:
    """One comparison: a fact (or, in `each` rules, an item field) against a value.

    `value` may be a `$param` reference, resolved per profile at evaluation time;
    `value_fact` compares against another fact's value instead of a literal.
    """

    subject: str
    op: str
    value: Any = None
    from_item: bool = False
    value_fact: str | None = None


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    part: Condition


Condition = Leaf | AllOf | AnyOf | Not


@dataclass(frozen=True)
class SeverityBand:
    """`severity_bands = [{ when = {...}, severity = "critical" }]`: one finding whose
    severity rises with the facts (e.g. patch age) instead of two rules failing at once."""

    when: Condition
    severity: str


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    area: str
    severity: str
    profiles: tuple[str, ...]
    applies: Condition | None
    check: Condition
    remediation_oem: dict[str, str]
    references: tuple[str, ...]
    rationale: str = ""
    remediation: str = ""
    when_unknown: str = "unknown"
    manual: str = ""
    each: str | None = None
    where: Condition | None = None
    falsepositives: str = ""
    source_file: str = ""
    line: int = 0
    kind: str = "check"
    when_applies_unknown: str = "unknown"
    item_key: str = "package"
    params: dict[str, Any] = field(default_factory=dict)
    profile_params: dict[str, dict[str, Any]] = field(default_factory=dict)
    # When this holds (or cannot be judged), a passing check is only `unknown`: e.g. an
    # app's special access list is incomplete, so "not holding it" cannot be confirmed.
    unknown_when: Condition | None = None
    # Manual steps per app: the text for the package named by `manual_app_fact` replaces
    # `manual` (e.g. the exact switch in the default SMS app); other apps get `manual`.
    manual_by_app: dict[str, str] = field(default_factory=dict)
    manual_app_fact: str = DEFAULT_MANUAL_APP_FACT
    # The title phrased as the problem, used when the check fails ("The security patch is
    # {os.security_patch_age_days} old"); `title` stays the goal.
    fail_title: str = ""
    # The first band whose condition holds sets the severity of a finding that is not a pass.
    severity_bands: tuple[SeverityBand, ...] = ()
    replaces: tuple[str, ...] = ()  # ids of rules merged into this one

    def params_for(self, profile: str) -> dict[str, Any]:
        """Parameter values for one profile: the defaults, then that profile's overrides."""
        merged = dict(self.params)
        merged.update(self.profile_params.get(profile, {}))
        return merged

    @property
    def informational(self) -> bool:
        return self.kind == "informational" or self.severity == "info"


@dataclass(frozen=True)
class Finding:
    rule: str
    title: str
    area: str
    severity: str
    status: Status
    detail: str = ""  # plain words: why this status
    evidence: tuple[str, ...] = ()  # raw lines from the facts used, plus "fact = value"
    facts: tuple[str, ...] = ()  # fact names consulted
    item: str | None = None  # for each= rules: the package (or element) this is about
    rationale: str = ""
    remediation: str = ""
    remediation_oem: dict[str, str] = field(default_factory=dict)
    references: tuple[str, ...] = ()
    manual: str = ""
    headline: str = ""  # fail_title on fail (a problem), else the title (the goal)
    found: str = ""  # what was found, in plain words with units (rules/plain.py)
