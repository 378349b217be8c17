"""Split a full `dumpsys` (AndroidQF dumpsys.txt, a bugreport's DUMPSYS part) into
per-service outputs, so each reaches the same parser as the live `dumpsys <service>`.

Format (frameworks/native/cmds/dumpsys/dumpsys.cpp): a line of dashes, then
`DUMP OF SERVICE [CRITICAL |HIGH |NORMAL ]<name>:`, the service's output, and (Android 8+)
`--------- 0.012s was the duration of dumpsys <name>, ending at: …`.
"""

from __future__ import annotations

import re

_HEADER = re.compile(rb"^DUMP OF SERVICE (?:CRITICAL |HIGH |NORMAL )?([\w.@/-]+):\r?$", re.M)
_DURATION = re.compile(rb"^-+ [\d.]+s was the duration of dumpsys .*$", re.M)
_RULE = re.compile(rb"\r?\n-{20,}\r?\n?$")

# service name in `dumpsys` → our probe name
SERVICE_PROBES = {
    "lock_settings": "dumpsys_lock_settings",
    "trust": "dumpsys_trust",
    "backup": "dumpsys_backup",
    "device_policy": "dumpsys_device_policy",
    "package": "dumpsys_package",
    "settings": "dumpsys_settings",
    "role": "dumpsys_role",
    "accessibility": "dumpsys_accessibility",
    "window": "dumpsys_window_policy",  # the full dump holds the policy section
    "fingerprint": "dumpsys_fingerprint",
    "face": "dumpsys_face",
}


def split_services(dump: bytes) -> dict[str, bytes]:
    """service name → its output bytes (the first occurrence of each service wins)."""
    headers = list(_HEADER.finditer(dump))
    sections: dict[str, bytes] = {}
    for index, match in enumerate(headers):
        end = headers[index + 1].start() if index + 1 < len(headers) else len(dump)
        body = dump[match.end():end].lstrip(b"\r\n")
        duration = _DURATION.search(body)
        if duration:
            body = body[:duration.start()]
        body = _RULE.sub(b"\n", body)
        sections.setdefault(match.group(1).decode("ascii", "replace"), body)
    return sections
