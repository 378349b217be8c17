"""`dumpsys package packages` → per-package details and the Play system update date.

Readings: `_pkg.details` (package → version, target_sdk, system, allow_backup, installer,
granted runtime permissions per user, users it is installed for; plus shared_user and
path), `_pkg.user_ids` (every user id the dump shows) and the public
`os.play_system_update`.

Format: Settings.dumpPackageLPr/dumpPackagesLPr (services/core/java/com/android/server/pm/
Settings.java, called from PackageManagerService, later ComputerEngine), Android 6–16:

    Packages:
      Package [com.example] (1a2b3c):
        userId=10123                      (appId= from Android 14)
        sharedUser=SharedUserSetting{...}  (only for shared-uid packages)
        codePath=/data/app/...
        versionCode=12 minSdk=21 targetSdk=34   (no minSdk before Android 8)
        versionName=1.2
        flags=[ SYSTEM HAS_CODE ALLOW_BACKUP ]
        installerPackageName=com.android.vending (printed as `null` from Android 14)
        pkgFlags=[ ... ]
        install permissions:
          android.permission.INTERNET: granted=true
        User 0: ceDataInode=1 installed=true hidden=false ...   (`User 0:  installed=` on 6/7)
          gids=[3003]
          runtime permissions:
            android.permission.CAMERA: granted=true, flags=[ USER_SET]
    Hidden system packages:
      Package [...]                       (factory copies of updated system apps: skipped)

Runtime permissions of a package that shares a uid are not printed in its block (they
belong to the `Shared users:` section, absent from `dumpsys package packages`), so its
`granted` is None (unknown), as it is for a block with no `User N:` line (a cut dump).

Must stay linear in the size of the dump (tens of MB on a real phone): one pass over the
lines, string prefix tests only, no backtracking regexes. Never raises.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from droidaudit.decode import decode, decode_pieces, text_pieces
from droidaudit.facts import Fact
from droidaudit.parsers.conflicts import KeyedValues

PROBE = "dumpsys_package"
MODULE_METADATA = "com.google.android.modulemetadata"

_USER_HEADER = re.compile(r"User (-?\d+):")
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")


@dataclass
class _Block:
    """One `Package [name]` block, filled line by line."""

    name: str
    header: str
    version: str | None = None
    version_line: str = ""
    target_sdk: int | None = None
    flags: set[str] | None = None
    pkg_flags: set[str] | None = None
    installer: str | None = None
    shared_user: str | None = None
    path: str | None = None
    user_ids: list[int] = field(default_factory=list)
    installed_users: list[int] = field(default_factory=list)
    granted_by_user: dict[int, dict[str, None]] = field(default_factory=dict)  # ordered sets
    current_user: int | None = None
    current_installed: bool | None = None
    runtime_indent: int = -1  # indent of the open `runtime permissions:` header, or -1
    fields: KeyedValues = field(default_factory=KeyedValues)  # raw field values seen
    duplicate_user: str = ""  # a `User N:` line printed twice
    runtime_interrupted: bool = False  # a non-grant line level with `runtime permissions:`
    ambiguity: str = ""  # a layout that allows two readings of the grants

    @property
    def conflict(self) -> str:
        """Why this block contradicts itself (a forged line) or reads two ways, or ''."""
        if self.ambiguity:
            return self.ambiguity
        if self.duplicate_user:
            return (f"{self.duplicate_user} appears twice in Package [{self.name}]: a value "
                    "holding a line break can forge a line, so the block is not trusted")
        key = next(iter(self.fields.conflicts), "")
        return self.fields.conflict_note(key, f"Package [{self.name}]") if key else ""

    def details(self) -> dict[str, object]:
        flags = self.flags if self.flags is not None else self.pkg_flags
        grants_known = bool(self.user_ids) and (
            self.shared_user is None or bool(self.granted_by_user))
        by_user = {u: sorted(self.granted_by_user.get(u, [])) for u in self.installed_users}
        granted = sorted({p for perms in by_user.values() for p in perms})
        return {
            "version": self.version,
            "target_sdk": self.target_sdk,
            "system": None if flags is None else "SYSTEM" in flags,
            "allow_backup": None if flags is None else "ALLOW_BACKUP" in flags,
            "installer": self.installer,
            "granted": granted if grants_known else None,
            "granted_by_user": by_user if grants_known else None,
            "users": sorted(self.installed_users) if self.user_ids else None,
            "shared_user": self.shared_user,
            "path": self.path,
        }


def _flag_set(value: str) -> set[str]:
    return set(value.strip().strip("[]").split())


def _int_after(token: str, text: str) -> int | None:
    start = text.find(token)
    if start < 0:
        return None
    digits = text[start + len(token):].split(" ", 1)[0]
    try:
        return int(digits)
    except ValueError:
        return None


def _null(value: str) -> str | None:
    value = value.strip()
    return None if value in ("", "null") else value


_FIELDS = ("versionName=", "versionCode=", "targetSdk=", "flags=[", "pkgFlags=[",
           "installerPackageName=", "sharedUser=", "codePath=")
# The same keys up to their (only) `=`: a line starts with one of _FIELDS only when its
# text up to its first `=` is one of these (`_feed` tests this before `_read_field`).
_FIELD_KEYS = frozenset(key[:key.index("=") + 1] for key in _FIELDS)


def _read_field(block: _Block, stripped: str) -> None:
    """A `key=value` line of the package block itself. Each key is recorded: printed twice
    with different values (before and after the user lines, say) it is a conflict."""
    key = next((k for k in _FIELDS if stripped.startswith(k)), None)
    if key is None:
        return
    block.fields.put(key, stripped)
    if stripped.startswith("versionName="):
        block.version = _null(stripped[len("versionName="):])
        block.version_line = stripped
    elif stripped.startswith(("versionCode=", "targetSdk=")):
        block.target_sdk = _int_after("targetSdk=", stripped)
    elif stripped.startswith("flags=["):
        block.flags = _flag_set(stripped[len("flags="):])
    elif stripped.startswith("pkgFlags=["):
        block.pkg_flags = _flag_set(stripped[len("pkgFlags="):])
    elif stripped.startswith("installerPackageName="):
        block.installer = _null(stripped[len("installerPackageName="):])
    elif stripped.startswith("sharedUser="):
        block.shared_user = stripped[len("sharedUser="):]
    elif stripped.startswith("codePath="):
        block.path = _null(stripped[len("codePath="):])


def _read_user(block: _Block, stripped: str) -> bool:
    match = _USER_HEADER.match(stripped)
    if match is None:
        return False
    user = int(match.group(1))
    if user in block.user_ids:
        block.duplicate_user = block.duplicate_user or f"User {user}:"
    installed = "installed=true" in stripped
    block.current_user = user
    block.current_installed = installed if "installed=" in stripped else None
    block.runtime_indent = -1
    block.user_ids.append(user)
    if installed:
        block.installed_users.append(user)
    return True


def _read_permission(block: _Block, stripped: str) -> None:
    """`android.permission.X: granted=true, flags=[ ... ]` (Android 6 preview: `X, granted=`)."""
    at = stripped.find("granted=")
    if at <= 0 or block.current_user is None or block.current_installed is False:
        return  # grants of a user the app is not installed for do not count
    name = stripped[:at].rstrip(" :,")
    perms = block.granted_by_user.setdefault(block.current_user, {})
    if stripped.startswith("true", at + len("granted=")):
        perms.setdefault(name)


def _level_grant(block: _Block, indent: int, stripped: str) -> bool:
    """A grant line level with `runtime permissions:` (a writer that did not indent the
    list) still belongs to it: install permissions come before the `User N:` lines. After
    another line at that level it could be a second list's line: two readings, unknown."""
    if indent != block.runtime_indent or "granted=" not in stripped:
        return False
    if block.runtime_interrupted and not block.ambiguity:
        block.ambiguity = (f"grant lines level with `runtime permissions:` in Package "
                           f"[{block.name}] resume after another line: where the list ends "
                           "is ambiguous")
    return True


_PIECE = 1 << 18  # lines are split 256 KiB at a time, never all at once


def _feed(block: _Block, stripped: str, indent: int) -> None:
    if block.runtime_indent >= 0:
        if indent > block.runtime_indent or _level_grant(block, indent, stripped):
            _read_permission(block, stripped)
            return
        if indent == block.runtime_indent and not _USER_HEADER.match(stripped):
            block.runtime_interrupted = True  # a vendor line, or the next list (enabledComponents:)
        else:
            block.runtime_indent = -1
    if stripped == "runtime permissions:":
        block.runtime_indent, block.runtime_interrupted = indent, False
    elif (not (stripped.startswith("User ") and _read_user(block, stripped))
          and stripped[:stripped.find("=") + 1] in _FIELD_KEYS):
        # Read after the user lines too: real dumps print no package field there, so one
        # that appears is a forged line and must meet the real one as a conflict. Most
        # lines (permissions, components) are no field: one set look-up says so.
        _read_field(block, stripped)


def parse_package_blocks(text: str) -> tuple[list[_Block], bool]:
    """Package blocks of the `Packages:` section, and whether that section was seen.

    Depths are read relative to the `Packages:` title and the first `Package [` header, not
    as columns, so a dump printed inside an outer prefix, with another indent step or with
    tabs reads the same. A line no deeper than the title starts another section. Lines
    level with their `Package [` header (a flush-left dump) leave no block: where one ends
    and the next section starts cannot be told, and a partial map would hide packages."""
    return _blocks(text_pieces(text, _PIECE))


def _blocks(pieces: Iterable[str]) -> tuple[list[_Block], bool]:
    """parse_package_blocks over text given in pieces cut at line ends (a piece may keep
    its `\n`: the blank line that leaves is skipped like any other)."""
    blocks: list[_Block] = []
    seen_section = in_packages = False
    block: _Block | None = None
    section_indent = package_indent = -1
    after_header = False
    for piece in pieces:
        for line in piece.split("\n"):
            stripped = line.strip()
            if not stripped:
                continue
            indent = len(line) - len(line.lstrip())
            header = (in_packages and stripped.startswith("Package [")
                      and indent >= section_indent and package_indent in (-1, indent))
            if stripped == "Packages:" and (section_indent < 0 or indent <= section_indent):
                in_packages = seen_section = True
                section_indent, package_indent, block = indent, -1, None
            elif after_header and not header and indent <= package_indent:
                # a block's lines level with its header: no nesting to read
                return [], seen_section
            elif section_indent >= 0 and indent <= section_indent and not header:
                in_packages, block = False, None  # another section (`Hidden system packages:`)
            elif header:  # also level with `Packages:` (a writer that did not indent it)
                package_indent = indent
                name = stripped[9:stripped.find("]", 9)] if "]" in stripped else ""
                block = _Block(name.strip(), stripped) if name.strip() else None
                if block is not None:
                    blocks.append(block)
            elif block is not None:
                if indent <= package_indent:
                    block = None  # e.g. `  APEX session state:` after the last package
                else:
                    _feed(block, stripped, indent)
            after_header = header
    return blocks, seen_section


def parse_dumpsys_package(text: str) -> list[Fact]:
    blocks, seen_section = parse_package_blocks(text)
    if not seen_section:
        first = next((ln.strip() for ln in text.split("\n") if ln.strip()), "(empty output)")
        note = f"no 'Packages:' section in dumpsys package output: {first}"
        return [Fact(name, None, PROBE, (first,), note)
                for name in ("_pkg.details", "_pkg.user_ids", "os.play_system_update")]
    return _facts(blocks)


def parse_dumpsys_package_data(data: bytes) -> list[Fact]:
    """parse_dumpsys_package(decode(data)), decoding a piece at a time: the dump's text is
    never whole in memory beside its bytes (issue 15: ≤ 2 bytes of RSS per dump byte)."""
    blocks, seen_section = _blocks(decode_pieces(data))
    return _facts(blocks) if seen_section else parse_dumpsys_package(decode(data))


def _facts(blocks: list[_Block]) -> list[Fact]:
    if not blocks:
        note = "no `Package [...]` block under `Packages:` (flush left, or an empty section)"
        return [Fact(name, None, PROBE, ("Packages:",), note)
                for name in ("_pkg.details", "_pkg.user_ids", "os.play_system_update")]
    by_name: dict[str, list[_Block]] = {}
    for block in blocks:
        by_name.setdefault(block.name, []).append(block)
    details: dict[str, dict[str, object]] = {}
    conflicts: dict[str, str] = {}
    user_ids: set[int] = set()
    for name, group in by_name.items():
        why = group[0].conflict if len(group) == 1 else (
            f"Package [{name}] appears {len(group)} times in the Packages section: a value "
            "holding a line break can forge a block, so none is trusted")
        if why:
            conflicts[name] = why
            details[name] = {**dict.fromkeys(_DETAIL_KEYS), "conflict": why}
            continue
        details[name] = group[0].details()
        user_ids.update(group[0].user_ids)
    summary = (f"Packages: {len(details)} package blocks",)
    note = (f"{len(conflicts)} package block(s) contradict themselves and are read as "
            f"unknown: {next(iter(conflicts.values()))}") if conflicts else ""
    evidence = summary + tuple(conflicts.values())[:5]
    facts = [Fact("_pkg.details", details, PROBE, evidence, note),
             Fact("_pkg.user_ids", sorted(user_ids) if user_ids else None, PROBE, summary,
                  "" if user_ids else "no User N: line in any package block")]
    facts.append(_play_system_update(by_name, conflicts))
    return facts


_DETAIL_KEYS = ("version", "target_sdk", "system", "allow_backup", "installer", "granted",
                "granted_by_user", "users", "shared_user", "path")


def _play_system_update(by_name: dict[str, list[_Block]], conflicts: dict[str, str]) -> Fact:
    """Mainline train date: versionName of com.google.android.modulemetadata (GMS phones)."""
    if MODULE_METADATA in conflicts:
        return Fact("os.play_system_update", None, PROBE, (), conflicts[MODULE_METADATA])
    block = by_name[MODULE_METADATA][0] if MODULE_METADATA in by_name else None
    if block is None:
        return Fact("os.play_system_update", None, PROBE, (),
                    f"{MODULE_METADATA} is not in the Packages section "
                    "(not installed: no Google Play system updates on this phone)")
    evidence = (block.header, block.version_line) if block.version_line else (block.header,)
    match = _DATE.match(block.version or "")
    if match is None:
        return Fact("os.play_system_update", None, PROBE, evidence,
                    f"{MODULE_METADATA} versionName {block.version!r} is not a date")
    return Fact("os.play_system_update", match.group(1), PROBE, evidence)
