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


_PASSWORD_OWNER = re.compile(r"^\s*mPasswordOwner=")
_END_OF_LIST = re.compile(r"^\s*(?:Removing Device Admins|Enabled Device Admins)\b")


def active_admins(lines: list[str], user: int) -> tuple[list[str] | None, list[str]] | None:
    """Admin components listed under `Enabled Device Admins (User <user>...)`, or None when
    there is no such header; the list is None when where it ends cannot be told."""
    for index, line in enumerate(lines):
        header = _ADMINS_HEADER.match(line)
        if header and int(header.group("user")) == user:
            below = lines[index + 1 :]
            indent = len(header.group("indent"))
            first = next((ln for ln in below if ln.strip()), "")
            if first and _indent(first) > indent:
                return _admins_below(below, indent), [line.strip()]
            return _admins_level(below, indent), [line.strip()]
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


def _admins_level(lines: list[str], header_indent: int) -> list[str] | None:
    """A build that prints the admins level with their header (a plain PrintWriter, or all
    flush left): indentation no longer shows where the list ends, so it is read up to
    `mPasswordOwner=` (printed right after the list on Android 6-16) or `Removing Device
    Admins`; without either, the end is ambiguous and the list is unknown."""
    components: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        if _PASSWORD_OWNER.match(line) or _END_OF_LIST.match(line):
            return components
        if _indent(line) < header_indent:
            break
        admin = _ADMIN.match(line)
        if admin:
            components.append(admin.group("component"))
    return None


_FIELD = re.compile(r"^\s*[A-Za-z]\w*=")


def _owner_package(lines: list[str], header: re.Pattern[str], user: int | None) -> str | None:
    """The `package=` of an owner section; "" when there is no such section, None when the
    section is there but its package cannot be read."""
    for index, line in enumerate(lines):
        match = header.match(line)
        if not match or (user is not None and int(match.group("user")) != user):
            continue
        indent = len(match.group("indent"))
        below = [ln for ln in lines[index + 1 :] if ln.strip()]
        # Nested under the title (AOSP), or level with it (a plain PrintWriter): then the
        # section is the run of `key=value` lines (admin=, name=, package=) after the title.
        nested = bool(below) and _indent(below[0]) > indent
        for line_below in below:
            depth = _indent(line_below)
            if depth < indent or (depth == indent and (nested or not _FIELD.match(line_below))):
                break
            package = _PACKAGE.match(line_below)
            if package:
                return package.group(1)
        return None
    return ""


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
    if components is None:
        note = (f"the admin list is printed level with its header {header[0]!r} and no "
                "mPasswordOwner= line follows it: where the list ends is ambiguous")
        return [Fact("_special.device_admin", None, PROBE, tuple(header), note),
                *_owner_facts(lines)]
    return [Fact("_special.device_admin", packages_of(components), PROBE, (*header, *components)),
            *_owner_facts(lines)]


def _owner_facts(lines: list[str]) -> list[Fact]:
    return [_owner_fact("device.owner", _owner_package(lines, _DEVICE_OWNER, None),
                        "Device Owner:"),
            _owner_fact("device.profile_owner", _owner_package(lines, _PROFILE_OWNER, 0),
                        "Profile Owner (User 0)")]


def _owner_fact(name: str, package: str | None, title: str) -> Fact:
    # Owners.dump prints nothing when no owner is set, so a parsed dump without the section
    # means "none": "" (known, empty), not None (unknown).
    if package is None:
        return Fact(name, None, PROBE, (title,), f"a `{title}` section without a package= line")
    if not package:
        return Fact(name, "", PROBE, (), f"no `{title}` section: none set")
    return Fact(name, package, PROBE, (f"package={package}",))
