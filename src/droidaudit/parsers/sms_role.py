"""`cmd role get-role-holders android.app.role.SMS` → the default SMS app.

Format (packages/modules/Permission .../role/RoleShellCommand / RoleManagerShellCommand,
Android 10+): one package name per line; nothing when no app holds the role. Before
Android 10 there is no role service (`cmd: Can't find service: role`), and a phone without
`cmd` prints a shell error (`/system/bin/sh: cmd: not found`): no fact then, so the
fallbacks (`dumpsys role`, then `settings secure sms_default_application`) decide. This
parser only reads the text.
"""

from __future__ import annotations

from droidaudit.facts import Fact, FactSet
from droidaudit.package_names import is_package_name
from droidaudit.parsers import without_linker_warnings
from droidaudit.parsers.system_state import looks_like_shell_error

PROBE = "sms_role"


def parse_sms_role(text: str) -> list[Fact]:
    text = without_linker_warnings(text)
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if looks_like_shell_error(text) or not all(is_package_name(line) for line in lines):
        return []  # the command did not run: say nothing, the fallback reads settings
    if not lines:
        return [Fact("mms.default_sms_app", None, PROBE, (), "no package holds the SMS role")]
    note = "" if len(lines) == 1 else f"{len(lines)} holders listed; the first is used"
    return [Fact("mms.default_sms_app", lines[0], PROBE, tuple(lines), note)]


def resolve_default_sms_app(facts: FactSet) -> None:
    """The one fallback order for the default SMS app, used by the facts stage and by the
    live root follow-up alike: the SMS role holder (`cmd role`), else the role service's
    dump (`dumpsys role`: when `cmd role` is missing or fails, and in bugreports), else
    `settings secure sms_default_application` (Android 4.4-9 have no role service). The
    fact's source names the probe that answered."""
    dumped = facts.get("_role.sms_holders")
    if dumped is not None and isinstance(dumped.value, list):
        holders = [str(h) for h in dumped.value]
        if holders:
            note = "" if len(holders) == 1 else f"{len(holders)} holders listed; the first is used"
            facts.add(Fact("mms.default_sms_app", holders[0], dumped.source, dumped.evidence,
                           "; ".join(n for n in ("from dumpsys role", note) if n)))
        else:
            facts.add(Fact("mms.default_sms_app", None, dumped.source, dumped.evidence,
                           dumped.note))
    fallback = facts.get("_settings.sms_default_application")
    if fallback is not None and fallback.known:
        facts.add(Fact("mms.default_sms_app", fallback.value, fallback.source,
                       fallback.evidence))
