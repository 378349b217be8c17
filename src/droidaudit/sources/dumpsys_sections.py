"""Split a full `dumpsys` (AndroidQF dumpsys.txt, a bugreport's DUMPSYS part) into
per-service outputs, so each reaches the same parser as the live `dumpsys <service>`.

Format (frameworks/native/cmds/dumpsys/dumpsys.cpp): a line of dashes, then
`DUMP OF SERVICE [CRITICAL |HIGH |NORMAL ]<name>:`, the service's output, and (Android 8+)
`--------- 0.012s was the duration of dumpsys <name>, ending at: …`.
"""

from __future__ import annotations

import re
from collections import Counter

from droidaudit.capture import ProbeOutput

_HEADER = re.compile(rb"^DUMP OF SERVICE (CRITICAL |HIGH |NORMAL )?([\w.@/-]+):\r?$", re.M)
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


class Sections(dict[str, bytes]):
    """service name → its output bytes, and `conflicts`: service name → why its output
    cannot be trusted."""

    conflicts: dict[str, str]

    def __init__(self) -> None:
        super().__init__()
        self.conflicts = {}


def split_services(dump: bytes) -> Sections:
    """Each service's output. A service whose header appears twice is a conflict, never
    first- or last-wins: a value inside one section (an app's versionName in `package`)
    can hold `\nDUMP OF SERVICE trust:\n` and forge a section. Both that service and every
    section a copy of its header cut short are unknown (which copy is real cannot be told).

    A bugreport dumps each priority class in its own pass, so a service registered for two
    (`activity`: CRITICAL and NORMAL) is printed twice under different prefixes: for the
    services we do not read, only a repeat within one class is a conflict. A service we
    read is one conflict on any repeat (a forger can pick another prefix)."""
    headers = list(_HEADER.finditer(dump))
    names = [m.group(2).decode("ascii", "replace") for m in headers]
    keys = [name if name in SERVICE_PROBES else f"{m.group(1) or b''!r}{name}"
            for m, name in zip(headers, names, strict=True)]
    sections = Sections()
    for index, match in enumerate(headers):
        end = headers[index + 1].start() if index + 1 < len(headers) else len(dump)
        body = dump[match.end():end].lstrip(b"\r\n")
        duration = _DURATION.search(body)
        if duration:
            body = body[:duration.start()]
        body = _RULE.sub(b"\n", body)
        sections.setdefault(names[index], body)
    seen = Counter(keys)
    for index, name in enumerate(names):
        if seen[keys[index]] < 2:
            continue
        sections.conflicts[name] = (f"`DUMP OF SERVICE {name}:` appears {seen[keys[index]]} times: "
                                    "a value holding line breaks can forge a section, so "
                                    "neither copy is trusted")
        if index > 0 and names[index - 1] not in sections.conflicts:
            sections.conflicts[names[index - 1]] = (
                f"cut short by a `DUMP OF SERVICE {name}:` line that appears "
                f"{seen[keys[index]]} times (possibly forged inside this section)")
    return sections


def service_outputs(sections: Sections, where: str) -> list[ProbeOutput]:
    """Probe outputs for the services we read; a conflicted one has no bytes and an error."""
    outputs: list[ProbeOutput] = []
    for service, probe in SERVICE_PROBES.items():
        command = f"dumpsys {service} ({where})"
        if service in sections.conflicts:
            outputs.append(ProbeOutput(probe, command, b"", 0,
                                       error=f"tampered: {sections.conflicts[service]}"))
        elif service in sections:
            outputs.append(ProbeOutput(probe, command, sections[service], 0))
    return outputs
