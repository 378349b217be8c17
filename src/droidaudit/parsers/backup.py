"""`dumpsys backup` and `bmgr enabled` → whether backup is on and which transport it uses.

Formats:
- `dumpsys backup` (services/backup/java/com/android/server/backup/BackupManagerService.java
  `dumpInternal`, Android 9; UserBackupManagerService.java from Android 10, one block per
  user, lines of users other than 0 prefixed `User N:`):
  ```
  Backup Manager is enabled / provisioned / not pending init      (Android 9: provisioned,
  Auto-restore is enabled                                           10+: setup complete)
  Available transports:
    * com.google.android.gms/.backup.BackupTransportService        (`*` = current)
         destination: someone@gmail.com
      com.android.localtransport/.LocalTransport
  ```
  Android 10+ prints only `Inactive` when the calling user's backup service is not running.
- `bmgr enabled` (frameworks/base/cmds/bmgr/src/com/android/commands/bmgr/Bmgr.java):
  `Backup Manager currently enabled` or `... disabled`.

The `destination:` line holds the backup account's e-mail address: it never reaches
evidence unmasked. This parser only reads the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from droidaudit.facts import Fact

PROBE = "dumpsys_backup"
BMGR_PROBE = "bmgr_enabled"

_STATE = re.compile(r"^(?:User (?P<user>\d+):)?Backup Manager is (?P<state>enabled|disabled)\b")
_TRANSPORTS = re.compile(r"^(?:User \d+:)?Available transports:\s*$")
_CURRENT = re.compile(r"^\s{2}\* (\S+)\s*$")
_BMGR = re.compile(r"Backup Manager currently (enabled|disabled)\b")
_TOKEN = re.compile(r"\S+")
REDACTED = "<redacted>"


@dataclass
class BackupUser:
    user: int
    state_line: str
    enabled: bool
    transport: str | None = None
    transport_lines: list[str] = field(default_factory=list)


def mask_destination(line: str) -> str:
    """`destination: a@b.c` → `destination: <redacted>`: an account name is personal data."""
    head, sep, value = line.partition("destination:")
    if sep and "@" in value:
        return f"{head}{sep} {REDACTED}"
    return _TOKEN.sub(_mask_token, line)


def _mask_token(match: re.Match[str]) -> str:
    r"""A whitespace-free token holding `x@y` is masked whole. Split on `@`, not a regex like
    `[^\s@]+@[^\s@]+`, which rescans a 40 KB run from every letter (quadratic)."""
    token = match.group(0)
    if "@" not in token:
        return token
    parts = token.split("@")
    return REDACTED if any(a and b for a, b in pairwise(parts)) else token


def parse_backup_users(text: str) -> list[BackupUser]:
    users: list[BackupUser] = []
    current: BackupUser | None = None
    in_transports = False
    for line in text.split("\n"):
        state = _STATE.match(line)
        if state:
            current = BackupUser(int(state.group("user") or 0), line.strip(),
                                 state.group("state") == "enabled")
            users.append(current)
            in_transports = False
        elif current is not None and _TRANSPORTS.match(line):
            in_transports = True
        elif in_transports and current is not None:
            in_transports = _read_transport_line(current, line)
    return users


def _read_transport_line(user: BackupUser, line: str) -> bool:
    """Takes one line of the transport list; False when the list has ended."""
    if line and not line[0].isspace():
        return False
    current = _CURRENT.match(line)
    if current and user.transport is None:
        user.transport = current.group(1)
        user.transport_lines.append(line.strip())
    elif user.transport_lines and len(user.transport_lines) == 1 and "destination:" in line:
        user.transport_lines.append(mask_destination(line.strip()))
    return True


def parse_backup(text: str) -> list[Fact]:
    users = parse_backup_users(text)
    owner = next((u for u in users if u.user == 0), None)
    if owner is None:
        first = text.strip().split("\n", 1)[0].strip()
        note = (f"no `Backup Manager is` line for user 0: {first[:120]!r}" if first
                else "dumpsys backup printed nothing")
        return [Fact("backup.enabled", None, PROBE, (), note),
                Fact("backup.transport", None, PROBE, (), note)]
    enabled = Fact("backup.enabled", owner.enabled, PROBE, (owner.state_line,))
    if owner.transport is None:
        transport = Fact("backup.transport", None, PROBE, (owner.state_line,),
                         "no transport marked current (`*`) under Available transports")
    else:
        transport = Fact("backup.transport", owner.transport, PROBE,
                         tuple(owner.transport_lines))
    return [enabled, transport]


def parse_bmgr_enabled(text: str) -> list[Fact]:
    match = _BMGR.search(text)
    if match is None:
        first = text.strip().split("\n", 1)[0].strip()
        note = f"unexpected bmgr output: {first[:120]!r}" if first else "bmgr printed nothing"
        return [Fact("backup.enabled", None, BMGR_PROBE, (), note)]
    return [Fact("backup.enabled", match.group(1) == "enabled", BMGR_PROBE, (match.group(0),))]
