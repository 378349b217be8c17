"""What the virtual phone's Android commands print: answers replayed from a capture.

Runs inside the shim processes (`getprop`, `settings`, `dumpsys`, `cmd`, `pm`, ... are
all links to one launcher, shims/android, which replays table hits itself and calls
`main` for the rest), so it imports only the standard library and droidaudit.probes.
A command recorded in the capture prints the recorded bytes exactly and exits with the
recorded exit code; a few read commands are answered from recorded tables (`getprop
KEY`, `settings get NS KEY`); anything that would write is refused, logged, and never
"succeeds". It must never invent an answer the capture does not hold.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, NamedTuple

from droidaudit.parsers.getprop import parse_properties
from droidaudit.probes import PROBES, is_read_only
from droidaudit.vphone.screens import (
    SCRIPT,
    SCRIPTED_COMMANDS,
    UI_ACTIONS_FILE,
    Screens,
    is_ui_action,
)

ENV_CAPTURE = "VPHONE_CAPTURE"
ENV_STATE = "VPHONE_STATE"
ENV_SHIMS = "VPHONE_SHIMS"
ENV_ROOT = "VPHONE_ROOT"  # set by `su`: shims/id then answers as root
ENV_TTY = "VPHONE_TTY"  # set by the server when adbd would give the command a PTY
TABLE_FILE = "answers.tsv"
WRITES_FILE = "writes.log"
CALLS_FILE = "calls.log"
REFUSED_EXIT = 1
_UNSAFE_IN_TABLE = re.compile(r"[\t\n\r]")  # would break the table's one-line rows

# Commands that only ever change the phone: refused whatever their arguments.
ALWAYS_WRITES = frozenset({"setprop", "svc", "locksettings", "reboot"})


def command_key(words: list[str]) -> str:
    return " ".join(words)


# -- the table of recorded answers (built by the server, read by every shim) -----------

class Recorded(NamedTuple):
    exit_code: int
    file: str


def answer_table(capture_dir: Path) -> dict[str, Recorded]:
    """Command line → recorded answer, for every read-only probe the capture holds.

    Commands come from the manifest when there is one, else from droidaudit.probes; a
    fallback chain `a || b` maps each alternative to the recorded output. Only read-only
    command lines get in, so a shim may replay a table hit without checking it again.
    """
    commands = {probe.name: (probe.command, _default_exit(capture_dir, probe.name))
                for probe in PROBES}
    for name, entry in _manifest_probes(capture_dir).items():
        if entry.get("error"):  # a cut-off output must not be replayed as an answer
            commands.pop(name, None)
            continue
        code = entry.get("exit_code")
        command = str(entry.get("command") or commands.get(name, ("", 0))[0])
        commands[name] = (command, code if isinstance(code, int) else 0)
    table: dict[str, Recorded] = {}
    scripted = SCRIPTED_COMMANDS if (capture_dir / SCRIPT).is_file() else frozenset()
    for name, (command, exit_code) in commands.items():
        path = capture_dir / "probes" / f"{name}.txt"
        if not path.is_file() or not command:
            continue
        for alternative in command.split("||"):
            try:
                key = command_key(shlex.split(alternative))
            except ValueError:
                continue
            if is_read_only(key) and not _UNSAFE_IN_TABLE.search(key) \
                    and key not in scripted:
                table.setdefault(key, Recorded(exit_code, str(path)))
    return table


def write_table(table: dict[str, Recorded], path: Path) -> None:
    """One `command<TAB>exit code<TAB>file` line each: the launcher (shims/android) reads
    it with str.split and no imports, to answer recorded commands fast."""
    rows = [f"{key}\t{entry.exit_code}\t{entry.file}\n" for key, entry in sorted(table.items())]
    path.write_text("".join(rows), encoding="utf-8")


def read_table(path: Path) -> dict[str, Recorded]:
    table: dict[str, Recorded] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return table
    for row in text.splitlines():
        key, _, rest = row.partition("\t")
        code, _, file = rest.partition("\t")
        if file and code.lstrip("-").isdigit():
            table[key] = Recorded(int(code), file)
    return table


def is_rooted(capture_dir: Path) -> bool:
    """The capture saw an su binary (`which su` printed a path)."""
    path = capture_dir / "probes" / "which_su.txt"
    return path.is_file() and bool(path.read_bytes().strip())


def _manifest_probes(capture_dir: Path) -> dict[str, dict[str, Any]]:
    try:
        manifest = json.loads((capture_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    probes = manifest.get("probes") if isinstance(manifest, dict) else None
    if not isinstance(probes, dict):
        return {}
    return {str(k): v for k, v in probes.items() if isinstance(v, dict)}


def _default_exit(capture_dir: Path, name: str) -> int:
    # Without a manifest: toybox `which` exits 1 when it found nothing.
    if name == "which_su":
        return 0 if is_rooted(capture_dir) else 1
    return 0


# -- the shim entry point ---------------------------------------------------------------

class Shim:
    def __init__(self, name: str, args: list[str], env: dict[str, str]) -> None:
        self.name = name
        self.args = args
        self.capture = Path(env.get(ENV_CAPTURE, "."))
        self.state = Path(env.get(ENV_STATE, "."))
        self.shims = Path(env.get(ENV_SHIMS, "."))
        self.line = command_key([name, *args])
        self.out: IO[bytes] = sys.stdout.buffer
        self.err: IO[bytes] = sys.stderr.buffer

    def run(self) -> int:
        """The slow path: shims/android already logged the call and missed the table."""
        if is_ui_action(self.line):
            _append(self.state / UI_ACTIONS_FILE, self.line)
        elif self.name in ALWAYS_WRITES or not is_read_only(self.line):
            _append(self.state / WRITES_FILE, self.line)
            return self.fail(f"vphone: refused '{self.line}': this phone is read-only\n",
                             REFUSED_EXIT)
        recorded = read_table(self.state / TABLE_FILE).get(self.line)
        if recorded is not None:
            with open(recorded.file, "rb") as source:
                shutil.copyfileobj(source, self.out, 1 << 20)
            return recorded.exit_code
        handler = HANDLERS.get(self.name)
        return handler(self) if handler else self.no_answer()

    def print(self, text: str) -> int:
        self.out.write(text.encode())
        return 0

    def fail(self, message: str, code: int) -> int:
        self.err.write(message.encode())
        return code

    def no_answer(self) -> int:
        return self.fail(f"vphone: the capture holds no answer for '{self.line}'\n", 1)

    def probe_text(self, name: str) -> str | None:
        try:
            return (self.capture / "probes" / f"{name}.txt").read_bytes().decode(
                "utf-8", errors="replace")
        except OSError:
            return None


def _getprop(shim: Shim) -> int:
    if not 1 <= len(shim.args) <= 2:
        return shim.no_answer()
    text = shim.probe_text("getprop")
    if text is None:
        return shim.no_answer()
    default = shim.args[1] if len(shim.args) == 2 else ""
    return shim.print((parse_properties(text).get(shim.args[0]) or default) + "\n")


def _settings(shim: Shim) -> int:
    args = list(shim.args)
    if len(args) >= 2 and args[0] == "--user":
        del args[:2]
    if len(args) != 3 or args[0] != "get":
        return shim.no_answer()
    text = shim.probe_text(f"settings_{args[1]}")
    if text is None:
        return shim.no_answer()
    prefix = args[2] + "="
    for line in text.splitlines():
        if line.startswith(prefix):
            return shim.print(line[len(prefix):] + "\n")
    return shim.print("null\n")  # SettingsCmd prints "null" for an absent key


def _dumpsys(shim: Shim) -> int:
    if not shim.args or shim.args[0].startswith("-"):
        return shim.no_answer()
    screens = Screens(shim.capture, shim.state)
    scripted = {"dumpsys power": screens.power, "dumpsys window windows": screens.windows,
                "dumpsys window policy": screens.window_policy}.get(shim.line)
    if screens.active and scripted is not None:
        return shim.print(scripted())
    # frameworks/native/cmds/dumpsys/dumpsys.cpp: this message, exit status 0.
    return shim.print(f"Can't find service: {shim.args[0]}\n")


def _cmd(shim: Shim) -> int:
    if not shim.args or shim.args[0].startswith("-"):
        return shim.no_answer()
    # frameworks/native/cmds/cmd/cmd.cpp: on stderr, exit status 20.
    return shim.fail(f"cmd: Can't find service: {shim.args[0]}\n", 20)


def _which(shim: Shim) -> int:
    found = [name for name in shim.args if name and "/" not in name
             and os.access(shim.shims / name, os.X_OK)]
    for name in found:
        shim.print(f"/system/bin/{name}\n")
    return 0 if shim.args and len(found) == len(shim.args) else 1


def _su(shim: Shim) -> int:
    """Magisk-style `su -c CMD`, `su [0|root] [CMD...]`: run it in the same sandbox."""
    args = list(shim.args)
    if args[:1] in (["0"], ["root"]):
        del args[0]
    env = dict(os.environ, **{ENV_ROOT: "1"})
    shell = str(shim.shims / "sh")
    if args[:1] == ["-c"] and len(args) >= 2:
        argv = [shell, "-c", args[1]]
    elif args:
        argv = args
    else:
        argv = [shell]
    sys.stdout.flush()
    os.execvpe(argv[0], argv, env)  # noqa: S606 - the phone's shell runs argv as given


def _uiautomator(shim: Shim) -> int:
    """`uiautomator dump /dev/tty` from the scripted screens (only that form is known)."""
    screens = Screens(shim.capture, shim.state)
    if shim.args != ["dump", "/dev/tty"] or not screens.active:
        return shim.no_answer()
    return shim.print(screens.dump(tty=os.environ.get(ENV_TTY) == "1"))


def _am(shim: Shim) -> int:
    """`am start ... -n COMPONENT`: only the activities the script says are exported."""
    component = shim.args[shim.args.index("-n") + 1] if "-n" in shim.args[:-1] else ""
    if Screens(shim.capture, shim.state).start(component) is None:
        # ActivityStarter / ActivityManagerShellCommand wording, exit 255 (Android 8+)
        return shim.fail(f"Starting: Intent {{ cmp={component} }}\nSecurity exception: "
                         f"Permission Denial: starting Intent {{ cmp={component} }} from null"
                         " (pid=4242, uid=2000) not exported from uid 10123\n", 255)
    return shim.print(f"Starting: Intent {{ cmp={component} }}\nStatus: ok\n"
                      f"LaunchState: COLD\nActivity: {component}\nTotalTime: 412\n"
                      "WaitTime: 420\nComplete\n")


def _input(shim: Shim) -> int:
    return 0  # only `input keyevent KEYCODE_HOME` gets here (Shim.run refuses the rest)


def _content(shim: Shim) -> int:
    if shim.args[:2] != ["query", "--uri"] or len(shim.args) != 3 \
            or "PreferenceProvider" not in shim.args[2]:
        return shim.no_answer()
    text, code = Screens(shim.capture, shim.state).samsung_provider()
    return shim.print(text) if code == 0 else shim.fail(text, code)


HANDLERS: dict[str, Callable[[Shim], int]] = {
    "getprop": _getprop, "settings": _settings, "dumpsys": _dumpsys, "cmd": _cmd,
    "which": _which, "su": _su, "uiautomator": _uiautomator, "am": _am, "input": _input,
    "content": _content,
}
# Shims served by this module (`id` is a shell shim); `su` is linked only on a capture
# that saw su.
ANDROID_COMMANDS = ("getprop", "setprop", "settings", "dumpsys", "cmd", "pm", "bmgr",
                    "getenforce", "which", "locksettings", "appops", "am", "svc",
                    "reboot", "uiautomator", "input", "content")


def _append(path: Path, line: str) -> None:
    # One write() per line with O_APPEND: concurrent shims never interleave lines.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    except OSError:
        return
    try:
        os.write(fd, (line.replace("\n", "\\n") + "\n").encode())
    finally:
        os.close(fd)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    shim = Shim(os.path.basename(argv[0]), argv[1:], dict(os.environ))
    try:
        code = shim.run()
        shim.out.flush()
    except BrokenPipeError:  # the connection went away mid-output, as with a real phone
        code = 141
    return code
