"""`cmd role get-role-holders android.app.role.SMS` → the default SMS app.

Format (packages/modules/Permission .../role/RoleShellCommand / RoleManagerShellCommand,
Android 10+): one package name per line; nothing when no app holds the role. Before
Android 10 there is no role service (`cmd: Can't find service: role`), and a phone without
`cmd` prints a shell error (`/system/bin/sh: cmd: not found`): no fact then, so the
`settings secure sms_default_application` fallback (derive.py) decides. This parser only
reads the text.
"""

from __future__ import annotations

import re

from droidaudit.facts import Fact
from droidaudit.parsers.system_state import looks_like_shell_error

PROBE = "sms_role"
_PACKAGE = re.compile(r"^[A-Za-z][\w]*(\.[A-Za-z0-9_]+)+$")


def parse_sms_role(text: str) -> list[Fact]:
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if looks_like_shell_error(text) or not all(_PACKAGE.match(line) for line in lines):
        return []  # the command did not run: say nothing, the fallback reads settings
    if not lines:
        return [Fact("mms.default_sms_app", None, PROBE, (), "no package holds the SMS role")]
    note = "" if len(lines) == 1 else f"{len(lines)} holders listed; the first is used"
    return [Fact("mms.default_sms_app", lines[0], PROBE, tuple(lines), note)]
