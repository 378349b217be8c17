"""`dumpsys role` → the SMS role holders of user 0, for when `cmd role` is missing or fails.

Format (DualDumpOutputStream text, `RoleUserState.dump` per user):
- Android 10 – 12: services/core/java/com/android/server/role/RoleManagerService.java,
  headed `ROLE MANAGER STATE (dumpsys role):`.
- Android 13 – 16: packages/modules/Permission/service/.../role/RoleService.java, headed
  `ROLE STATE (dumpsys role):`; Android 14+ adds `fallback_enabled=` to each role.
```
{
  user_states={
    user_id=0
    version=1
    packages_hash=CD19...
    roles=[
      {
        name=android.app.role.SMS
        fallback_enabled=true
        holders=com.google.android.apps.messaging
      }
```
One `holders=` line per holder; none when nobody holds the role. Keyed on the `user_id=`,
`name=` and `holders=` words and the braces, never on indentation. Bugreports and AndroidQF
dumps carry the same section (`DUMP OF SERVICE role`). This parser only reads the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from droidaudit.facts import Fact
from droidaudit.package_names import is_package_name

PROBE = "dumpsys_role"
SMS_ROLE = "android.app.role.SMS"
READING = "_role.sms_holders"


@dataclass
class _RoleEntry:
    user: int | None
    holders: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def sms_entries(text: str) -> list[_RoleEntry]:
    """Every SMS role entry, with the user whose `user_id=` came before it."""
    entries: list[_RoleEntry] = []
    user: int | None = None
    current: _RoleEntry | None = None
    for line in text.split("\n"):
        stripped = line.strip()
        key, _, value = stripped.partition("=")
        if key == "user_id":
            user, current = (int(value) if value.lstrip("-").isdigit() else None), None
        elif key == "name":
            current = _RoleEntry(user, lines=[stripped]) if value == SMS_ROLE else None
            if current is not None:
                entries.append(current)
        elif stripped.startswith("}") or stripped == "roles=[":
            current = None
        elif key == "holders" and current is not None:
            current.holders.append(value.strip())
            current.lines.append(stripped)
    return entries


def _why_not_one(owner: list[_RoleEntry], text: str) -> str:
    if owner:  # two entries for one role of one user: neither is taken over the other
        return f"{len(owner)} {SMS_ROLE} entries for user_id=0 in dumpsys role: ambiguous"
    first = text.strip().split("\n", 1)[0].strip()
    if not first:
        return "dumpsys role printed nothing"
    return f"no {SMS_ROLE} entry for user_id=0 in dumpsys role: {first[:120]!r}"


def parse_dumpsys_role(text: str) -> list[Fact]:
    owner = [e for e in sms_entries(text) if e.user == 0]
    if len(owner) != 1:
        return [Fact(READING, None, PROBE, tuple(line for e in owner for line in e.lines),
                     _why_not_one(owner, text))]
    entry = owner[0]
    odd = [h for h in entry.holders if not is_package_name(h)]
    if odd:
        return [Fact(READING, None, PROBE, tuple(entry.lines), f"holder {odd[0]!r} is not a "
                     "package name")]
    note = "" if entry.holders else "no package holds the SMS role"
    return [Fact(READING, list(entry.holders), PROBE, ("user_id=0", *entry.lines), note)]
