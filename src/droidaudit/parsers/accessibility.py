"""`dumpsys accessibility` → the accessibility services enabled for each user.

An enabled accessibility service can read the screen and act for the user, so the list
must never read as "none" when it could not be read. Formats
(services/accessibility/java/com/android/server/accessibility/):
- Android 6 – 7 (AccessibilityManagerService.dump): `User state[attributes:{id=0, ...}`
  then `           services:{Service[label=TalkBack, ...]}]`: bound services by label
  only, no component names and no enabled list. Nothing to read: unknown.
- Android 8 – 10 (AccessibilityManagerService.UserState): `User state[attributes:{id=0,
  currentUser=true, ...}` then `Bound services:{...}`, `Enabled services:{{pkg/cls}, ...}`,
  `Binding services:{}]`.
- Android 11 – 16 (AccessibilityUserState.dump): `User state[` on a line of its own, then
  `     attributes:{id=0, ...}`, `     shortcut key:{...}`, `     Bound services:{...}`,
  `     Enabled services:{{pkg/cls}, {pkg2/cls2}}` (ComponentName.toShortString), ...
  Android 14 adds `qs shortcut targets:` and more attributes before the lists.
- Samsung (One UI 2, Android 10): `User state[attributes:{id=0, currentUser=true` with one
  `mIs... = ...` attribute per line, then `  enabled services: {` with one component per
  line and a closing `  }`.

The enabled list is what `enabled_accessibility_services` holds for that user; the setting
can print `null` while `accessibility_enabled=1`, and then this dump is the one source.
A list is only taken when it is closed (`}`): a cut-off dump leaves it unknown. Only reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from droidaudit.facts import Fact
from droidaudit.parsers import packages_of

PROBE = "dumpsys_accessibility"

_USER_STATE = re.compile(r"User state\[")
_USER_ID = re.compile(r"\bid=(\d+)")
_ONE_LINE = re.compile(r"^\s*Enabled services:\{(?P<body>.*)$", re.IGNORECASE)
_BLOCK_START = re.compile(r"^\s*enabled services:\s*\{\s*$", re.IGNORECASE)
_COMPONENT = re.compile(r"[A-Za-z][\w.]*/[\w.$]+")
_TOKEN_SPLIT = re.compile(r"[^\w.$/]+")


@dataclass
class UserServices:
    user: int | None
    header: str
    services: list[str] | None = None  # None: no complete enabled list for this user
    evidence: list[str] = field(default_factory=list)


def _split_users(lines: list[str]) -> list[tuple[int, int]]:
    """(start, end) line ranges, one per `User state[` block."""
    starts = [i for i, line in enumerate(lines) if _USER_STATE.search(line)]
    return [(start, starts[n + 1] if n + 1 < len(starts) else len(lines))
            for n, start in enumerate(starts)]


def _user_id(lines: list[str]) -> int | None:
    """`id=` of the block's `attributes:{...}`: on the header line, or (Android 11+) a line
    below it; searched up to the first services list, so vendor lines in between (or another
    order of the attribute lines) do not hide it."""
    for line in lines:
        match = _USER_ID.search(line)
        if match:
            return int(match.group(1))
        if "services" in line.lower():
            break
    return None


def _components(text: str) -> list[str]:
    """Component names in `text`, first-seen order, no repeats. Tokens are cut at the list's
    punctuation and each is matched whole: `findall` would rescan a 100 KB word without a
    `/` from every letter (quadratic)."""
    found: dict[str, None] = {}
    for token in _TOKEN_SPLIT.split(text):
        if token and _COMPONENT.fullmatch(token):
            found.setdefault(token)
    return list(found)


def _enabled(lines: list[str]) -> tuple[list[str] | None, list[str]]:
    """The enabled list of one user block, or None when absent or cut off."""
    for index, line in enumerate(lines):
        one = _ONE_LINE.match(line)
        if one and not _BLOCK_START.match(line):
            body = one.group("body").rstrip()
            if not body.endswith("}"):
                return None, [line.strip()]  # the line was cut before its closing brace
            return _components(body), [line.strip()]
        if _BLOCK_START.match(line):
            return _enabled_block(lines[index:])
    return None, []


def _enabled_block(lines: list[str]) -> tuple[list[str] | None, list[str]]:
    evidence = [lines[0].strip()]
    services: list[str] = []
    for line in lines[1:]:
        stripped = line.strip()
        if stripped.startswith("}"):
            return list(dict.fromkeys(services)), [*evidence, stripped]
        evidence.append(stripped)
        services.extend(_components(stripped))
    return None, evidence  # no closing brace: cut off


def parse_users(text: str) -> list[UserServices]:
    lines = text.split("\n")
    users: list[UserServices] = []
    for start, end in _split_users(lines):
        block = lines[start:end]
        services, evidence = _enabled(block)
        users.append(UserServices(_user_id(block), block[0].strip(), services, evidence))
    return users


def _unknown(note: str) -> list[Fact]:
    return [Fact("accessibility.users", None, PROBE, (), note),
            Fact("_special.accessibility", None, PROBE, (), note)]


def parse_accessibility(text: str) -> list[Fact]:
    users = parse_users(text)
    if not users:
        first = text.strip().split("\n", 1)[0].strip()
        return _unknown(f"no `User state[` block in dumpsys accessibility: {first[:120]!r}"
                        if first else "dumpsys accessibility printed nothing")
    per_user = [{"user": u.user, "services": u.services} for u in users]
    evidence = tuple(f"user {u.user}: {line}" for u in users for line in u.evidence[:4])
    unread = [u.user for u in users if u.services is None]
    note = (f"no complete `Enabled services` list for user(s) {unread} (Android 6-7 print "
            "none; a cut-off dump leaves it open)") if unread else ""
    owner = next((u for u in users if u.user == 0), None)
    if owner is None or owner.services is None:
        why = note or "no user 0 block in dumpsys accessibility"
        return [Fact("accessibility.users", per_user, PROBE, evidence, note),
                Fact("_special.accessibility", None, PROBE, evidence, why)]
    return [Fact("accessibility.users", per_user, PROBE, evidence, note),
            Fact("_special.accessibility", packages_of(owner.services), PROBE,
                 tuple(owner.evidence), "enabled services of user 0 (dumpsys accessibility)")]
