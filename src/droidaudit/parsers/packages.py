"""`pm list packages`, `pm list users` and `cmd appops query-op` → package readings.

Readings for the `apps` derivation (droidaudit.apps): `_pm.packages`, `_pm.third_party`,
`_users`, `_special.install_unknown_apps`, `_special.overlay`, `_special.usage_access`,
plus the public `users.count`.

Formats:
- `pm list packages -f -i -U` (PackageManagerShellCommand.runListPackages, Android 8+;
  Android 6/7 have no `-U`, so the probe falls back to `-f -i` after an
  `Error: Unknown option: -U` line): `package:PATH=NAME  installer=X uid:N`. PATH can hold
  `=` itself (`/data/app/~~AbC==/...`), so NAME is what follows the LAST `=` before the
  installer field. The installer of a preloaded app prints as the literal `null`.
- `pm list users` (UserManagerServiceShellCommand.runList; PackageManagerShellCommand
  before Android 13): `Users:` then `\tUserInfo{ID:NAME:HEXFLAGS}` and ` running`.
  Work profiles and Samsung Secure Folder (user 150) are users too.
- `cmd appops query-op OP allow` (AppOpsService.Shell, Android 8+): one package per line
  for every package whose mode for OP is exactly `allow` (all users, so a name can
  repeat); `No operations.` when no package has any entry for OP. Apps left at the
  default mode are not listed. Android 7 answers `Unknown command: query-op`.

Never guesses: output that is not in these shapes makes the reading unknown with the
offending line as evidence, never an empty list that would read as "none". Each of these
commands ends every line with `\n` (println): output whose last line has none was cut
mid-line, and its last name may be a stump (`org.mozil`) that hides the real package, so
a cut list is unknown as a whole.
"""

from __future__ import annotations

import re

from droidaudit.facts import Fact
from droidaudit.package_names import PACKAGE_NAME as _PACKAGE_NAME
from droidaudit.parsers import is_linker_warning

PACKAGES_PROBE = "packages"
THIRD_PARTY_PROBE = "packages_third_party"
USERS_PROBE = "users"

# Probe → reading, for the three `cmd appops query-op` probes.
APPOPS_READINGS: dict[str, str] = {
    "appops_install_unknown": "_special.install_unknown_apps",
    "appops_overlay": "_special.overlay",
    "appops_usage_stats": "_special.usage_access",
}

# A Java package name: dot-separated identifiers. `android` (the framework) is the one
# real package without a dot; requiring a dot otherwise keeps stray words such as
# `Error` from passing for package names.
# `package:BODY[ versionCode:N][ installer=X][ uid:N]`: the optional fields are peeled off
# the right end one whitespace-separated token at a time (linear), never by a lazy
# `\S.*?` followed by optional `\s+` groups (that backtracks for seconds on a 40 KB line).
_PM_TAIL = (("uid", re.compile(r"uid:([\d,]+)")),
            ("installer", re.compile(r"installer=(\S*)")),
            ("versionCode", re.compile(r"versionCode:(\d+)")))
_USER_LINE = re.compile(r"^UserInfo\{(?P<id>-?\d+):(?P<name>.*):(?P<flags>[0-9a-fA-F]+)\}")
# `name` is greedy then backs off to the last `:HEX}`: one backtrack pass, linear.
_NO_OPERATIONS = "No operations."


def is_package_name(name: str) -> bool:
    return name == "android" or bool(_PACKAGE_NAME.match(name))


def _lines(text: str) -> list[str]:
    """Non-blank lines; bionic linker warnings (Android 5-7, stderr) are not the answer."""
    return [line.strip() for line in text.split("\n")
            if line.strip() and not is_linker_warning(line)]


def cut_mid_line(text: str) -> str:
    """The stump of a last line that has no line end (the output was cut), or ''."""
    if not text.strip() or text.endswith("\n"):
        return ""
    return text.rsplit("\n", 1)[-1].strip() or "(blank)"


def _cut_note(stump: str) -> str:
    return f"output cut mid-line (last line {stump[:80]!r} has no line end): list incomplete"


# -- pm list packages -f -i -U ----------------------------------------------------------


def _split_pm_line(line: str) -> tuple[str, dict[str, str]] | None:
    """`package:...` → (body, {uid, installer, versionCode} found at its end)."""
    body = line.removeprefix("package:").rstrip()
    if not body or body[0].isspace():
        return None
    fields: dict[str, str] = {}
    for key, pattern in _PM_TAIL:
        parts = body.rsplit(None, 1)
        if len(parts) == 2 and (match := pattern.fullmatch(parts[1])):
            fields[key] = match.group(1)
            body = parts[0].rstrip()
    return body, fields


def _parse_pm_line(line: str) -> dict[str, object] | None:
    split = _split_pm_line(line)
    if split is None:
        return None
    body, fields = split
    path, sep, name = body.rpartition("=")
    if not sep:
        path, name = "", body
    if not is_package_name(name):
        return None
    installer = fields.get("installer")
    uid = fields.get("uid")
    return {
        "package": name,
        "path": path or None,
        "installer": None if installer in (None, "", "null") else installer,
        # Several users can print `uid:10123,1010123`; the first is the app's uid.
        "uid": int(uid.split(",")[0]) if uid else None,
    }


def parse_packages(text: str) -> list[Fact]:
    stump = cut_mid_line(text)
    if stump:
        return [Fact("_pm.packages", None, PACKAGES_PROBE, (stump,), _cut_note(stump))]
    packages: list[dict[str, object]] = []
    seen: set[str] = set()
    odd: list[str] = []
    for line in _lines(text):
        entry = _parse_pm_line(line) if line.startswith("package:") else None
        if entry is None:
            odd.append(line)  # e.g. `Error: Unknown option: -U` before the fallback
            continue
        if entry["package"] not in seen:
            seen.add(str(entry["package"]))
            packages.append(entry)
    if not packages:
        first = odd[0] if odd else "(empty output)"
        return [Fact("_pm.packages", None, PACKAGES_PROBE, tuple(odd[:3]),
                     f"no package lines in pm list packages output: {first}")]
    note = f"{len(odd)} line(s) not in package:PATH=NAME form skipped" if odd else ""
    return [Fact("_pm.packages", packages, PACKAGES_PROBE, tuple(odd[:3]), note)]


# -- pm list packages -3 ------------------------------------------------------------------


def parse_packages_third_party(text: str) -> list[Fact]:
    stump = cut_mid_line(text)
    if stump:
        return [Fact("_pm.third_party", None, THIRD_PARTY_PROBE, (stump,), _cut_note(stump))]
    names: set[str] = set()
    for line in _lines(text):
        name = line.removeprefix("package:") if line.startswith("package:") else ""
        if not is_package_name(name):
            # A phone with no third-party app prints nothing; anything else is an error.
            return [Fact("_pm.third_party", None, THIRD_PARTY_PROBE, (line,),
                         f"unexpected line in pm list packages -3 output: {line!r}")]
        names.add(name)
    note = "" if names else "no third-party package listed"
    return [Fact("_pm.third_party", sorted(names), THIRD_PARTY_PROBE, (), note)]


# -- pm list users ------------------------------------------------------------------------


def parse_users(text: str) -> list[Fact]:
    lines = _lines(text)
    users: list[dict[str, object]] = []
    evidence: list[str] = []
    for line in lines:
        match = _USER_LINE.match(line)
        if match is None:
            continue
        users.append({"id": int(match.group("id")), "name": match.group("name"),
                      "flags": int(match.group("flags"), 16)})
        evidence.append(line)
    if "Users:" not in lines or not users:
        first = lines[0] if lines else "(empty output)"
        note = f"no Users:/UserInfo lines in pm list users output: {first}"
        return [Fact("users.count", None, USERS_PROBE, tuple(lines[:2]), note),
                Fact("_users", None, USERS_PROBE, tuple(lines[:2]), note)]
    return [Fact("users.count", len(users), USERS_PROBE, tuple(evidence)),
            Fact("_users", users, USERS_PROBE, tuple(evidence))]


# -- cmd appops query-op OP allow -----------------------------------------------------------


def _parse_query_op(probe: str, text: str) -> list[Fact]:
    reading = APPOPS_READINGS[probe]
    stump = cut_mid_line(text)
    if stump:
        return [Fact(reading, None, probe, (stump,), _cut_note(stump))]
    lines = _lines(text)
    if lines == [_NO_OPERATIONS]:
        return [Fact(reading, [], probe, (_NO_OPERATIONS,), "no package has this app op set")]
    names: set[str] = set()
    for line in lines:
        if not is_package_name(line):
            return [Fact(reading, None, probe, (line,),
                         f"cmd appops query-op answered {line!r} (needs Android 8+)")]
        names.add(line)
    note = "" if names else "no package has this app op set to allow"
    found = sorted(names)
    return [Fact(reading, found, probe, tuple(found), note)]


def parse_appops_install_unknown(text: str) -> list[Fact]:
    return _parse_query_op("appops_install_unknown", text)


def parse_appops_overlay(text: str) -> list[Fact]:
    return _parse_query_op("appops_overlay", text)


def parse_appops_usage_stats(text: str) -> list[Fact]:
    return _parse_query_op("appops_usage_stats", text)
