"""`dumpsys trust` → enabled trust agents (Smart Lock) and whether the device is locked.

Format (services/core/java/com/android/server/trust/TrustManagerService.java `dumpUser`):
```
Trust manager state:
 User "Owner" (id=0, flags=0x13) (current): trusted=0, trustManaged=1, deviceLocked=1, ...
   Enabled agents:
    com.google.android.gms/.auth.trustagent.GoogleTrustAgent
     bound=1, connected=1, managingTrust=1, trusted=0
   Events:
```
Android 13+ prints `trustState=UNTRUSTED` instead of `trusted=0`. A user that cannot be
switched to (a work profile) prints `(managed profile)` or `: deviceLocked=1` and no agents.
Before third-party apps may run, or in safe mode, the dump is one `disabled because ...` line.

"Enabled agents" lists the agents the service actually runs: agents switched on in Settings
but idle because the user has no secure lock screen are not in it. This parser only reads
the text; the current user's block is the one marked `(current)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from droidaudit.facts import Fact

PROBE = "dumpsys_trust"

# flags are hex (`0x13`): a `[^)]*` there ran to the line end from every `"` (quadratic).
_USER_HEADER = re.compile(
    r'^\s*User "(?P<name>.*)" \(id=(?P<id>-?\d+), flags=0?x?[0-9a-fA-F]*\)(?P<rest>.*)$')
_DEVICE_LOCKED = re.compile(r"\bdeviceLocked=([01])\b")
# flattenToShortString(): `package/.Class` or `package/full.Class`.
_COMPONENT = re.compile(r"^[A-Za-z][\w.]*/[\w.$]+$")


@dataclass
class TrustUser:
    user: int
    header: str
    current: bool
    device_locked: bool | None
    agents: list[str] = field(default_factory=list)
    agents_listed: bool = False  # the `Enabled agents:` line was seen


def _header(line: str) -> TrustUser | None:
    match = _USER_HEADER.match(line)
    if not match:
        return None
    locked = _DEVICE_LOCKED.search(match.group("rest"))
    return TrustUser(
        user=int(match.group("id")),
        header=line.strip(),
        current="(current)" in match.group("rest"),
        device_locked=None if locked is None else locked.group(1) == "1",
    )


def parse_trust_users(text: str) -> list[TrustUser]:
    users: list[TrustUser] = []
    current: TrustUser | None = None
    in_agents = False
    for line in text.split("\n"):
        header = _header(line)
        if header is not None:
            current, in_agents = header, False
            users.append(current)
            continue
        stripped = line.strip()
        if current is None:
            continue
        if current.device_locked is None and stripped.startswith(": deviceLocked="):
            current.device_locked = stripped.endswith("1")  # header's println split the line
        if stripped == "Enabled agents:":
            in_agents, current.agents_listed = True, True
        elif stripped == "Events:":
            in_agents = False
        elif in_agents and _COMPONENT.match(stripped):
            current.agents.append(stripped)
    return users


def _pick_user(users: list[TrustUser]) -> TrustUser | None:
    for user in users:
        if user.current:
            return user
    return next((user for user in users if user.user == 0), None)


def _unknown(note: str) -> list[Fact]:
    return [Fact("lock.trust_agents", None, PROBE, (), note),
            Fact("lock.device_locked", None, PROBE, (), note)]


def parse_trust(text: str) -> list[Fact]:
    users = parse_trust_users(text)
    user = _pick_user(users)
    if user is None:
        first = text.strip().split("\n", 1)[0].strip()
        return _unknown(f"no current user in dumpsys trust: {first[:120]!r}" if first
                        else "dumpsys trust printed nothing")
    evidence = (user.header, *user.agents)
    if user.agents_listed:
        agents = Fact("lock.trust_agents", list(user.agents), PROBE, evidence,
                      "agents the trust service runs (none run without a secure lock screen)")
    else:
        agents = Fact("lock.trust_agents", None, PROBE, (user.header,),
                      "no `Enabled agents:` list for the current user")
    locked_note = "" if user.device_locked is not None else "no deviceLocked= in the user line"
    return [agents, Fact("lock.device_locked", user.device_locked, PROBE, (user.header,),
                         locked_note)]
