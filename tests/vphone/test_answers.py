"""The phone's userland: recorded answers, the read-only policy, the shell's messages.
Runs commands through the sandbox directly (no adb), so failures point at the shims."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from droidaudit.probes import PROBES
from droidaudit.sources.batch import build_script, new_token, split_frames
from droidaudit.vphone.answers import answer_table
from droidaudit.vphone.shell import Sandbox, choose_shell, refusal


@pytest.fixture(scope="module")
def sandbox(mini_capture: Path) -> Iterator[Sandbox]:
    box = Sandbox(mini_capture)
    yield box
    box.cleanup()


def run(box: Sandbox, command: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(box.argv(command), executable=box.shell.path, env=box.env(),
                          capture_output=True, timeout=30, check=False, cwd="/")


def test_table_maps_manifest_commands(mini_capture: Path) -> None:
    table = answer_table(mini_capture)
    assert table["settings list secure"].file.endswith("settings_secure.txt")
    assert table["which su"].exit_code == 1
    assert "dumpsys package packages" not in table  # not captured: no answer invented


def test_recorded_output_is_byte_exact(sandbox: Sandbox, mini_capture: Path) -> None:
    result = run(sandbox, "getprop")
    assert result.stdout == (mini_capture / "probes" / "getprop.txt").read_bytes()
    assert result.returncode == 0


@pytest.mark.parametrize(("command", "stdout", "code"), [
    ("getprop ro.product.model", b"Pixel 7\n", 0),
    ("getprop no.such.prop", b"\n", 0),
    ("getprop no.such.prop fallback", b"fallback\n", 0),
    ("settings get secure backup_enabled", b"1\n", 0),
    ("settings --user 0 get secure backup_enabled", b"1\n", 0),
    ("settings get secure absent_key", b"null\n", 0),
    ("which su", b"", 1),
    ("which getprop", b"/system/bin/getprop\n", 0),
    ("dumpsys wifi", b"Can't find service: wifi\n", 0),
    ("cmd role get-role-holders android.app.role.SMS", b"com.google.android.apps.messaging\n", 0),
    ("cmd nosuchservice list", b"", 20),
    ("pm list packages -3", b"package:com.whatsapp\npackage:org.mozilla.firefox\n"
     b"package:com.example.flashlight\npackage:com.example.cleaner\n", 0),
    ("id", None, 0),
])
def test_android_commands(sandbox: Sandbox, command: str, stdout: bytes | None,
                          code: int) -> None:
    result = run(sandbox, command)
    assert result.returncode == code, result.stderr
    if stdout is not None:
        assert result.stdout == stdout
    else:
        assert result.stdout.startswith(b"uid=2000(shell)")


def test_missing_command_fails_as_on_a_phone(sandbox: Sandbox) -> None:
    result = run(sandbox, "ls /data; rm -rf /x; python3 -c 1")
    assert result.returncode == 127
    assert result.stderr.decode().splitlines() == [
        "/system/bin/sh: ls: inaccessible or not found",
        "/system/bin/sh: rm: inaccessible or not found",
        "/system/bin/sh: python3: inaccessible or not found"]


def test_su_absent_unless_rooted(sandbox: Sandbox, rooted_capture: Path) -> None:
    assert run(sandbox, "su -c id").returncode == 127
    rooted = Sandbox(rooted_capture)
    try:
        result = run(rooted, "which su; su -c id; su 0 id")
        assert result.stdout.decode().splitlines() == [
            "/system/xbin/su", "uid=0(root) gid=0(root) groups=0(root) context=u:r:su:s0",
            "uid=0(root) gid=0(root) groups=0(root) context=u:r:su:s0"]
    finally:
        rooted.cleanup()


@pytest.mark.parametrize("command", [
    "settings put global adb_enabled 0", "pm grant com.x android.permission.READ_SMS",
    "cmd lock_settings verify", "locksettings clear --old 1234", "appops set com.x 24 allow",
    "bmgr backupnow --all", "svc wifi disable", "setprop persist.x 1", "echo x > /sdcard/f",
])
def test_write_commands_are_refused_at_the_door(command: str) -> None:
    assert refusal(command)


@pytest.mark.parametrize("command", [
    "getprop", "command -v timeout >/dev/null 2>&1", "echo oops >&2", "dumpsys backup 2>/dev/null",
])
def test_read_commands_pass_the_door(command: str) -> None:
    assert refusal(command) == ""


def test_write_hidden_from_the_door_is_refused_by_the_shim(sandbox: Sandbox) -> None:
    result = run(sandbox, "s=settings; $s put global adb_enabled 0; echo rc=$?")
    assert result.stdout == b"rc=1\n"
    assert b"read-only" in result.stderr
    assert sandbox.write_attempts()[-1] == "settings put global adb_enabled 0"


def test_scanner_batch_runs_on_the_sandbox(sandbox: Sandbox, mini_capture: Path) -> None:
    """The real batch script (sources.batch) through the phone's shell: frames, exit codes."""
    token = new_token()
    small = [probe for probe in PROBES if not probe.streamed]
    writes_before = len(sandbox.write_attempts())
    result = run(sandbox, build_script(small, token))
    frames = split_frames(result.stdout, token)
    assert set(frames) == {probe.name for probe in small}
    assert all(frame.complete for frame in frames.values())
    assert frames["getprop"].data == (mini_capture / "probes" / "getprop.txt").read_bytes()
    assert frames["which_su"].exit_code == 1
    assert frames["dumpsys_trust"].data == b"Can't find service: trust\n"
    assert frames["users"].exit_code == 1  # not captured: an honest failure, no invention
    assert len(sandbox.write_attempts()) == writes_before


DEMO = Path(__file__).parents[2] / "fixtures" / "demo-pixel7-a14"


@pytest.mark.skipif(not (DEMO / "probes" / "getprop.txt").is_file(),
                    reason="the demo capture fixtures/demo-pixel7-a14 is not in this tree")
def test_a_capture_without_manifest_is_served_from_the_probe_list() -> None:
    box = Sandbox(DEMO)
    try:
        result = run(box, "getprop ro.product.model; which su; echo rc=$?; getenforce")
        assert result.stdout.decode().splitlines() == ["Pixel 7", "rc=1", "Enforcing"]
    finally:
        box.cleanup()


@pytest.mark.skipif(shutil.which("mksh") is None, reason="mksh is not installed")
def test_mksh_can_be_chosen(mini_capture: Path) -> None:
    box = Sandbox(mini_capture, choose_shell("mksh"))
    try:
        result = run(box, "getprop ro.product.model; echo $KSH_VERSION")
        assert result.stdout.decode().splitlines()[0] == "Pixel 7"
        assert "MIRBSD KSH" in result.stdout.decode()
    finally:
        box.cleanup()
