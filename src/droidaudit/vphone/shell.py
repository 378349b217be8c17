"""The virtual phone's userland: a shell whose PATH holds only shims, and the read-only
policy that refuses any command that would change the phone.

Commands run for real (`/bin/sh -c CMD` semantics, argv[0] `/system/bin/sh` as adbd
gives it) with PATH set to one private directory of links: the Android commands answer
from the capture (vphone.answers), and a handful of host utilities stand in for toybox
(`timeout`, `printf`, `cat`, ...). It must never let a write command succeed, and never
put the host's own tools (ls, rm, ...) on the phone's PATH.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from droidaudit.probes import is_read_only
from droidaudit.vphone.answers import (
    ANDROID_COMMANDS,
    CALLS_FILE,
    ENV_CAPTURE,
    ENV_SHIMS,
    ENV_STATE,
    TABLE_FILE,
    WRITES_FILE,
    answer_table,
    is_rooted,
    write_table,
)
from droidaudit.vphone.screens import UI_ACTIONS_FILE, is_ui_action

ANDROID_SH = "/system/bin/sh"
# Host stand-ins for toybox commands the scanner's batch script (and a person poking at
# the phone) may use. No ls/find/rm: they would show or touch the host, not the phone.
HOST_UTILITIES = ("timeout", "printf", "echo", "cat", "sleep", "head", "tail", "grep",
                  "sed", "tr", "wc", "cut", "sort", "uniq", "true", "false", "env", "date")
# Android's mksh R57 prints this for a missing command, with exit status 127.
NOT_FOUND = "{argv0}: {name}: inaccessible or not found"
# bash stands in for mksh when the host's mksh words errors differently (Debian's R59
# prefixes them with "E: "): this handler prints the phone's exact message.
_BASH_NOT_FOUND = ('() { builtin printf "%s: %s: inaccessible or not found\\n" "$0" "$1" >&2;'
                   ' return 127; }')
# fd duplication and /dev/null are not writes to the phone; probes.is_read_only treats
# every other `>` as one.
_HARMLESS_REDIRECT = re.compile(r"\d*>&\s*\d+|\d*>>?\s*/dev/null")


def refusal(command: str) -> str:
    """Why the phone refuses a command ('' when it is read-only, or a UI action a person
    could do by hand: open a screen, go home; those are logged apart)."""
    if is_ui_action(command) or is_read_only(_HARMLESS_REDIRECT.sub(" ", command)):
        return ""
    return "refused: this virtual phone is read-only and the command would change it"


@dataclass(frozen=True)
class ShellSpec:
    path: str
    env: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return os.path.basename(self.path)


def choose_shell(preferred: str | None = None) -> ShellSpec:
    """mksh (Android's shell) when it words a missing command as the phone does, else bash
    with a not-found handler; `preferred` names one outright ("mksh", "bash", "dash")."""
    bash = ShellSpec(shutil.which("bash") or "/bin/bash",
                     {"BASH_FUNC_command_not_found_handle%%": _BASH_NOT_FOUND})
    candidates = {"bash": bash}
    for name in ("mksh", "dash"):
        found = shutil.which(name)
        if found:
            candidates[name] = ShellSpec(found)
    if preferred:
        if preferred not in candidates:
            raise ValueError(f"shell {preferred!r} is not installed")
        return candidates[preferred]
    mksh = candidates.get("mksh")
    return mksh if mksh and _words_not_found_like_android(mksh) else bash


def _words_not_found_like_android(shell: ShellSpec) -> bool:
    try:
        result = subprocess.run([ANDROID_SH, "-c", "vphone_missing_cmd"], executable=shell.path,
                                env={"PATH": "/nonexistent"}, capture_output=True, timeout=5,
                                check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    expected = NOT_FOUND.format(argv0=ANDROID_SH, name="vphone_missing_cmd") + "\n"
    return result.returncode == 127 and result.stderr.decode(errors="replace") == expected


class Sandbox:
    """A private shim directory and state directory for one virtual phone."""

    def __init__(self, capture_dir: Path, shell: ShellSpec | None = None) -> None:
        self.capture_dir = capture_dir.resolve()
        self.shell = shell or choose_shell()
        self.root = Path(tempfile.mkdtemp(prefix="vphone-"))
        self.bin_dir = self.root / "bin"
        self.state_dir = self.root / "state"
        self.bin_dir.mkdir()
        self.state_dir.mkdir()
        self._populate()

    def _populate(self) -> None:
        write_table(answer_table(self.capture_dir), self.state_dir / TABLE_FILE)
        os.symlink(self.shell.path, self.bin_dir / "sh")
        for name in HOST_UTILITIES:
            found = shutil.which(name)
            if found:
                os.symlink(found, self.bin_dir / name)
        # A short interpreter path: a long one would overflow the kernel's #! line. The
        # launcher needs no site-packages (-IS): it imports droidaudit by path.
        python = self.root / "python"
        os.symlink(sys.executable, python)
        launcher = self.bin_dir / ".android"
        template = resources.files("droidaudit.vphone").joinpath("shims/android").read_text()
        _write_executable(launcher, template.replace("/usr/bin/env python3", f"{python} -IS", 1))
        names = list(ANDROID_COMMANDS) + (["su"] if is_rooted(self.capture_dir) else [])
        for name in names:
            os.symlink(launcher.name, self.bin_dir / name)
        shell_id = resources.files("droidaudit.vphone").joinpath("shims/id").read_text()
        _write_executable(self.bin_dir / "id", shell_id)

    def env(self) -> dict[str, str]:
        package_root = Path(__file__).resolve().parents[2]  # the dir holding droidaudit/
        return {
            "PATH": str(self.bin_dir),
            "HOME": "/",
            "SHELL": ANDROID_SH,
            "USER": "shell",
            "ANDROID_ROOT": "/system",
            "ANDROID_DATA": "/data",
            "TMPDIR": str(self.state_dir),
            ENV_CAPTURE: str(self.capture_dir),
            ENV_STATE: str(self.state_dir),
            ENV_SHIMS: str(self.bin_dir),
            "VPHONE_PYTHONPATH": str(package_root),
            **self.shell.env,
        }

    def argv(self, command: str) -> list[str]:
        """adbd runs `/system/bin/sh -c CMD`, or an interactive shell for an empty one."""
        return [ANDROID_SH, "-c", command] if command else [ANDROID_SH]

    def write_attempts(self) -> list[str]:
        return _lines(self.state_dir / WRITES_FILE)

    def ui_actions(self) -> list[str]:
        """UI actions the phone ran (`am start`, `input keyevent KEYCODE_HOME`)."""
        return _lines(self.state_dir / UI_ACTIONS_FILE)

    def calls(self) -> list[str]:
        """Every shim invocation, as `name args...` (what the phone was asked to run)."""
        return _lines(self.state_dir / CALLS_FILE)

    def cleanup(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def kill_session(session_id: int) -> None:
    """SIGKILL every process of a command's session: coreutils `timeout` moves its child
    into a process group of its own, so killpg alone would leave it running."""
    for pid in _session_members(session_id):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def _session_members(session_id: int) -> list[int]:
    members = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 3 and int(fields[3]) == session_id:  # field 6: session
            members.append(int(entry.name))
    if not members:
        members.append(session_id)
    return members


def _write_executable(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    path.chmod(0o755)


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
