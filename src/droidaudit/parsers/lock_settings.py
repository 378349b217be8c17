"""`dumpsys lock_settings` → the lock-screen credential type and whether it is secure.

Formats (services/core/java/com/android/server/locksettings/LockSettingsService.java `dump`):
- Android 6 – 8.0: LockSettingsService has no dump(); the output is empty.
- Android 8.1 – 10: `SP Enabled = true`, then `    User 0` / `        SP Handle = <hex>` /
  `        SID = <hex>`. The credential type is not printed: the facts stay unknown.
- Android 11 – 14: `User State:` / `  User 0` / `    Quality: 131072` (the stored
  DevicePolicyManager PASSWORD_QUALITY_*, decimal) / `    CredentialType: Pin` (None, Pattern,
  Pin, Password: LockSettingsService.credentialTypeToString).
- Android 15+ and Samsung: `CredentialType: PIN` (LockPatternUtils.credentialTypeToString:
  NONE, PATTERN, PIN, PASSWORD, PASSWORD_OR_PIN; Samsung adds SMARTCARDNUMERIC), and
  `IsLockScreenDisabled: true|false` after a NONE, which tells "no lock screen" from "swipe".

This parser only reads the text. It never guesses a credential the text does not show:
no CredentialType and no usable Quality → unknown with a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from droidaudit.facts import Fact
from droidaudit.parsers.conflicts import KeyedValues

PROBE = "dumpsys_lock_settings"

# `User 0` alone on a line (Android 8.1+). `User 0 [/data/...]:` in the Storage section and
# `userId=0, ...` in StrongAuth do not match.
_USER_LINE = re.compile(r"^(\s*)User (\d+)\s*$")
_KEY = re.compile(r"[A-Za-z][\w .-]*")  # `LSKF-based SP protector ID` has a hyphen

# CredentialType words → (credential, secure). None credential = secure but type unknown.
_CREDENTIAL_TYPES: dict[str, tuple[str | None, bool]] = {
    "pin": ("pin", True),
    "pattern": ("pattern", True),
    "password": ("password", True),
    "password_or_pin": (None, True),  # Android 15: a PIN or a password, not said which
    "smartcardnumeric": (None, True),  # Samsung: smart-card PIN
}

# DevicePolicyManager.PASSWORD_QUALITY_* (core/java/android/app/admin/DevicePolicyManager.java).
_QUALITIES: dict[int, tuple[str | None, bool | None]] = {
    0x0: (None, False),  # UNSPECIFIED: no PIN, pattern or password stored
    0x8000: (None, True),  # BIOMETRIC_WEAK (legacy face unlock with a backup credential)
    0x10000: ("pattern", True),  # SOMETHING: the pattern screen stores this
    0x20000: ("pin", True),  # NUMERIC
    0x30000: ("pin", True),  # NUMERIC_COMPLEX
    0x40000: ("password", True),  # ALPHABETIC
    0x50000: ("password", True),  # ALPHANUMERIC
    0x60000: ("password", True),  # COMPLEX
    0x80000: (None, True),  # MANAGED: set by an admin, type not said
}


@dataclass
class UserBlock:
    """One user's `Key: value` lines; a key given two values (in one block, or in two
    blocks of the same user) is a conflict and has no value (conflicts.py)."""

    user: int
    values: KeyedValues = field(default_factory=KeyedValues)

    @property
    def lines(self) -> dict[str, str]:  # key → raw line, for evidence
        return self.values.lines


def _key_value(line: str) -> tuple[str, str] | None:
    """`  CredentialType: PIN` / `Quality = 0x20000` → (key, value); split, not a regex with
    nested optional spaces (those backtrack for seconds on a 40 KB line)."""
    cut = min((i for i in (line.find(":"), line.find("=")) if i >= 0), default=-1)
    if cut < 0:
        return None
    key = line[:cut].strip()
    if not _KEY.fullmatch(key) or not line[:cut].lstrip()[:1].isalpha():
        return None
    return key, line[cut + 1:].strip()


@dataclass(frozen=True)
class Reading:
    credential: str | None
    secure: bool | None
    evidence: tuple[str, ...]
    note: str


def parse_user_blocks(text: str) -> list[UserBlock]:
    """Every `User N` block of the user-state section, with its `Key: value` lines.

    Keyed on the `User N` headers and on `Key: value` shape, not on columns: a build with
    a plain PrintWriter prints the block's lines at the header's own indent (or all flush
    left). A block ends at the next `User N`, at a line less indented than its header, or
    at a line level with the header that is not a `Key: value` of the block (a section
    title such as `Keys in namespace:`, or any line once the block's lines sat deeper)."""
    blocks: dict[int, UserBlock] = {}
    current: UserBlock | None = None
    user_indent = 0
    nested = False  # the block's lines sit deeper than its header
    for line in text.split("\n"):
        match = _USER_LINE.match(line)
        if match:
            user_indent, nested = len(match.group(1)), False
            user = int(match.group(2))
            current = blocks.setdefault(user, UserBlock(user))
            continue
        if current is None or not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        kv = _key_value(line)
        level = indent == user_indent and not nested and kv is not None and kv[1] != ""
        if indent < user_indent or (indent == user_indent and not level):
            current = None  # a new section (`Keys in namespace:`, `Storage:`) ends the block
            continue
        nested = nested or indent > user_indent
        if kv:
            current.values.put(kv[0].lower(), kv[1], line.strip())
    return list(blocks.values())


def _parse_quality(raw: str) -> int | None:
    try:
        return int(raw, 16) if raw.lower().startswith("0x") else int(raw)
    except ValueError:
        return None


def _from_credential_type(block: UserBlock) -> Reading:
    raw = block.values["credentialtype"]
    evidence = [block.lines["credentialtype"]]
    word = raw.strip().lower()
    if word == "none":
        return _no_credential(block, evidence)
    if word in _CREDENTIAL_TYPES:
        credential, secure = _CREDENTIAL_TYPES[word]
        note = "" if credential else f"CredentialType {raw} does not say which kind"
        return Reading(credential, secure, tuple(evidence), note)
    return Reading(None, None, tuple(evidence), f"unrecognised CredentialType {raw!r}")


def _no_credential(block: UserBlock, evidence: list[str]) -> Reading:
    """No PIN, pattern or password. `IsLockScreenDisabled` (Android 15+) tells none from swipe."""
    disabled = (block.values.get("islockscreendisabled") or "").lower()
    if disabled in ("true", "false"):
        evidence.append(block.lines["islockscreendisabled"])
        return Reading("none" if disabled == "true" else "swipe", False, tuple(evidence), "")
    return Reading(None, False, tuple(evidence),
                   "no credential; whether a swipe screen is shown is not in this dump")


def _from_quality(block: UserBlock) -> Reading:
    raw = block.values["quality"]
    evidence = (block.lines["quality"],)
    quality = _parse_quality(raw)
    if quality is None or quality not in _QUALITIES:
        return Reading(None, None, evidence, f"unrecognised Quality {raw!r}")
    credential, secure = _QUALITIES[quality]
    if quality == 0:
        return _no_credential(block, list(evidence))
    note = "" if credential else f"Quality {raw} does not say which kind of credential"
    return Reading(credential, secure, evidence, note)


def read_block(block: UserBlock) -> Reading:
    for key in ("credentialtype", "quality", "islockscreendisabled"):
        if key in block.values.conflicts:
            return Reading(None, None, tuple(block.values.conflicts[key][:3]),
                           block.values.conflict_note(key, f"User {block.user}"))
    if "credentialtype" in block.values:
        return _from_credential_type(block)
    if "quality" in block.values:
        return _from_quality(block)
    evidence = tuple(block.lines[k] for k in ("sp handle",) if k in block.lines)
    return Reading(None, None, evidence,
                   "this release's dump (Android 8.1-10) does not show the credential type")


def _why_no_blocks(text: str) -> str:
    stripped = text.strip()
    if not stripped:
        return "dumpsys lock_settings printed nothing (Android 6-8.0 have no dump for it)"
    first = stripped.split("\n", 1)[0].strip()
    return f"no user block in dumpsys lock_settings: {first[:120]!r}"


def parse_lock_settings(text: str) -> list[Fact]:
    blocks = parse_user_blocks(text)
    if not blocks:
        note = _why_no_blocks(text)
        return [Fact("lock.credential", None, PROBE, (), note),
                Fact("lock.secure", None, PROBE, (), note),
                Fact("lock.users", None, PROBE, (), note)]
    readings = {block.user: read_block(block) for block in blocks}
    users = [{"user": user, "credential": r.credential, "secure": r.secure}
             for user, r in readings.items()]
    all_evidence = tuple(f"User {user}: {line}" for user, r in readings.items()
                         for line in r.evidence) or tuple(f"User {user}:" for user in readings)
    facts = [Fact("lock.users", users, PROBE, all_evidence)]
    owner = readings.get(0)
    if owner is None:
        note = "no block for user 0 in dumpsys lock_settings"
        return [*facts, Fact("lock.credential", None, PROBE, (), note),
                Fact("lock.secure", None, PROBE, (), note)]
    evidence = ("User 0", *owner.evidence)
    return [*facts,
            Fact("lock.credential", owner.credential, PROBE, evidence, owner.note),
            Fact("lock.secure", owner.secure, PROBE, evidence,
                 "" if owner.secure is not None else owner.note)]
