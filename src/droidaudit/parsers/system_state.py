"""`getenforce` → SELinux mode; `which su` → su binaries on PATH (a root indicator).

Formats: `getenforce` (toybox/toys/android/getenforce.c) prints `Enforcing`, `Permissive`
or `Disabled`. `which su` (toybox which) prints one absolute path per match and nothing
(exit 1) when there is none. A missing command or another failure shows up as a shell
error line instead (`/system/bin/sh: which: inaccessible or not found`); then the reading
is unknown, never "no su". This parser only reads the text.
"""

from __future__ import annotations

import re

from droidaudit.facts import Fact
from droidaudit.parsers import without_linker_warnings

GETENFORCE_PROBE = "getenforce"
WHICH_SU_PROBE = "which_su"

_MODES = {"enforcing", "permissive", "disabled"}
# What mksh, toybox and `cmd` print when a command cannot run or fails.
_SHELL_ERROR = re.compile(
    r"not found|No such file|Permission denied|can't execute|Can't find service"
    r"|Unknown command|[Ee]xception|^Error|: error|Segmentation fault|Killed",
)


def looks_like_shell_error(text: str) -> bool:
    return any(_SHELL_ERROR.search(line) for line in text.split("\n") if line.strip())


def _first_line(text: str) -> str:
    return text.strip().split("\n", 1)[0].strip()


def parse_getenforce(text: str) -> list[Fact]:
    first = _first_line(without_linker_warnings(text))
    if first.lower() in _MODES:
        return [Fact("selinux.mode", first.lower(), GETENFORCE_PROBE, (first,))]
    note = (f"unexpected getenforce output: {first[:120]!r}" if first
            else "getenforce printed nothing")
    return [Fact("selinux.mode", None, GETENFORCE_PROBE, (), note)]


def parse_which_su(text: str) -> list[Fact]:
    text = without_linker_warnings(text)
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if not lines:
        return [Fact("_root.su_paths", [], WHICH_SU_PROBE, (), "which su found nothing on PATH")]
    paths = [line for line in lines if line.startswith("/") and " " not in line]
    if len(paths) != len(lines) or looks_like_shell_error(text):
        return [Fact("_root.su_paths", None, WHICH_SU_PROBE, (),
                     f"which su did not run cleanly: {lines[0][:120]!r}")]
    return [Fact("_root.su_paths", paths, WHICH_SU_PROBE, tuple(paths))]
