"""`dumpsys window policy` → `lock.secure` = False on releases whose lock_settings dump
does not print the credential (Android 8.1 – 10), and only in that direction.

Format (services/core/java/com/android/server/policy/PhoneWindowManager.java `dump` →
keyguard/KeyguardServiceDelegate.java `dump`, Android 8.0 – 16):
```
WINDOW MANAGER POLICY STATE (dumpsys window policy)
    ...
    KeyguardServiceDelegate
      showing=true
      inputRestricted=true
      occluded=false
      secure=true
      ...
      currentUser=0
      ...
      KeyguardStateMonitor
        mIsShowing=true
        mSimSecure=false
        ...
```
What `secure=` means (KeyguardServiceDelegate.KeyguardState): a cache of the last
`isSecure(userId)` answer, which is `LockPatternUtils.isSecure(user) || mSimSecure`
(KeyguardStateMonitor). It starts as `true` ("assume secure until we know") and goes back
to `true` whenever SystemUI's keyguard reconnects; a locked SIM also makes it `true`.
So `secure=true` proves nothing about a PIN, pattern or password and is never read as one
(that would be a false pass). `secure=false` is an answer SystemUI gave: no credential
and no locked SIM (or no keyguard at all), for the current user; it is read as
`lock.secure` = False when that user is 0. lock_settings, where readable, comes first.
This parser only reads the text.
"""

from __future__ import annotations

import re

from droidaudit.facts import Fact

PROBE = "dumpsys_window_policy"

_DELEGATE = re.compile(r"^(?P<indent>\s*)KeyguardServiceDelegate\s*$")
_KEY_VALUE = re.compile(r"^\s*(?P<key>[A-Za-z]+)=(?P<value>\S*)\s*$")


def delegate_values(text: str) -> tuple[dict[str, str], dict[str, str]] | None:
    """`key=value` lines of the KeyguardServiceDelegate block (and its KeyguardStateMonitor),
    with the raw line of each, or None when the block is absent.

    The block ends at a line less indented than its title, or level with it once its lines
    sat deeper; a build that prints the lines level with the title (or all flush left) ends
    it at the first line that is not one `key=value` (`Looper state:`, `mSafeMode=... ...`)."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        header = _DELEGATE.match(line)
        if header is None:
            continue
        indent = len(header.group("indent"))
        values: dict[str, str] = {}
        raw: dict[str, str] = {}
        nested = False
        for below in lines[index + 1:]:
            if not below.strip():
                continue
            depth = len(below) - len(below.lstrip())
            match = _KEY_VALUE.match(below)
            if depth < indent or (depth == indent and (nested or match is None)):
                break
            nested = nested or depth > indent
            if match:
                values.setdefault(match.group("key"), match.group("value").lower())
                raw.setdefault(match.group("key"), below.strip())
        return values, raw
    return None


def _unknown(note: str, evidence: tuple[str, ...] = ()) -> list[Fact]:
    return [Fact("lock.secure", None, PROBE, evidence, note)]


def parse_window_policy(text: str) -> list[Fact]:
    found = delegate_values(text)
    if found is None:
        first = text.strip().split("\n", 1)[0].strip()
        return _unknown(f"no KeyguardServiceDelegate block in dumpsys window policy: "
                        f"{first[:120]!r}" if first else "dumpsys window policy printed nothing")
    values, raw = found
    secure, user = values.get("secure"), values.get("currentUser")
    evidence = tuple(raw[k] for k in ("secure", "currentUser") if k in raw)
    if secure != "false":
        return _unknown("KeyguardServiceDelegate secure=" + (secure or "(missing)")
                        + ": true is also the default and covers a locked SIM, so it does not "
                        "show a lock-screen credential", evidence)
    if user != "0":
        return _unknown(f"KeyguardServiceDelegate answered for user {user}, not user 0",
                        evidence)
    return [Fact("lock.secure", False, PROBE, evidence,
                 "keyguard reported no credential for user 0 (KeyguardServiceDelegate "
                 "secure=false; a cached answer, read only when lock_settings cannot say)")]
