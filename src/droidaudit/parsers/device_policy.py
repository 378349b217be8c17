"""`dumpsys device_policy` → active device admins of user 0, device owner, profile owner.

Format (services/devicepolicy/java/com/android/server/devicepolicy/
DevicePolicyManagerService.java `dump`; DevicePolicyData.dump from Android 12):
```
Current Device Policy Manager state:
  Device Owner:                       (Owners.dump, only when one is set)
    admin=ComponentInfo{pkg/pkg.Receiver}
    name=...
    package=pkg
  Profile Owner (User 10):
    ...
    package=pkg
  Enabled Device Admins (User 0, provisioningState: 0):
    com.example/.AdminReceiver:
      uid=10123
      ...
```
Android 6 prints the header as `Enabled Device Admins (User 0):`; Android 7 added
`, provisioningState: N`. Only the component lines directly under that header (four spaces,
`pkg/cls:`) are active admins: Samsung and later releases print many other package names in
the same dump (policy caches, suspension lists, OverlayPackagesProvider) that are not admins.
This parser only reads the text.
"""

from __future__ import annotations

import re

from droidaudit.facts import Fact
from droidaudit.parsers import packages_of

PROBE = "dumpsys_device_policy"

_ADMINS_HEADER = re.compile(
    r"^(?P<indent>\s*)Enabled Device Admins \(User (?P<user>\d+)(?:, provisioningState: -?\d+)?\):")
_ADMIN = re.compile(r"^(?P<indent>\s*)(?P<component>[A-Za-z][\w.]*/[\w.$]+):\s*$")
_DEVICE_OWNER = re.compile(r"^(?P<indent>\s*)Device Owner:\s*$")
_PROFILE_OWNER = re.compile(r"^(?P<indent>\s*)Profile Owner \(User (?P<user>\d+)\):\s*$")
_PACKAGE = re.compile(r"^\s*package=(\S+)\s*$")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def active_admins(lines: list[str], user: int) -> tuple[list[str], list[str]] | None:
    """Admin components listed under `Enabled Device Admins (User <user>...)`, or None."""
    for index, line in enumerate(lines):
        header = _ADMINS_HEADER.match(line)
        if header and int(header.group("user")) == user:
            return _admins_below(lines[index + 1 :], len(header.group("indent"))), [line.strip()]
    return None


def _admins_below(lines: list[str], header_indent: int) -> list[str]:
    components: list[str] = []
    admin_indent: int | None = None
    for line in lines:
        if not line.strip():
            continue
        if _indent(line) <= header_indent:
            break  # the next section
        admin = _ADMIN.match(line)
        if admin and admin_indent in (None, len(admin.group("indent"))):
            admin_indent = len(admin.group("indent"))
            components.append(admin.group("component"))
    return components


def _owner_package(lines: list[str], header: re.Pattern[str], user: int | None) -> str | None:
    for index, line in enumerate(lines):
        match = header.match(line)
        if not match or (user is not None and int(match.group("user")) != user):
            continue
        for below in lines[index + 1 :]:
            if below.strip() and _indent(below) <= len(match.group("indent")):
                break
            package = _PACKAGE.match(below)
            if package:
                return package.group(1)
    return None


def parse_device_policy(text: str) -> list[Fact]:
    lines = text.split("\n")
    found = active_admins(lines, 0)
    if found is None:
        first = text.strip().split("\n", 1)[0].strip()
        note = (f"no `Enabled Device Admins (User 0` header: {first[:120]!r}" if first
                else "dumpsys device_policy printed nothing")
        return [Fact(name, None, PROBE, (), note)
                for name in ("_special.device_admin", "device.owner", "device.profile_owner")]
    components, header = found
    device_owner = _owner_package(lines, _DEVICE_OWNER, None)
    profile_owner = _owner_package(lines, _PROFILE_OWNER, 0)
    # Owners.dump prints nothing when no owner is set, so a parsed dump without the section
    # means "none": "" (known, empty), not None (unknown).
    return [
        Fact("_special.device_admin", packages_of(components), PROBE, (*header, *components)),
        Fact("device.owner", device_owner or "", PROBE,
             (f"package={device_owner}",) if device_owner else (),
             "" if device_owner else "no `Device Owner:` section: none set"),
        Fact("device.profile_owner", profile_owner or "", PROBE,
             (f"package={profile_owner}",) if profile_owner else (),
             "" if profile_owner else "no `Profile Owner (User 0)` section: none set"),
    ]
