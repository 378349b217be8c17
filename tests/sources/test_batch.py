"""The batch protocol: framing, exit codes, truncation, and the allow-list guard."""

import subprocess

import pytest

from droidaudit.probes import PROBES_BY_NAME, Probe
from droidaudit.sources.batch import build_script, split_frames

TOKEN = "0a1b2c3d4e5f"


def frame(name: str, body: bytes, code: int, eol: bytes = b"\n") -> bytes:
    return (b"@@B|" + TOKEN.encode() + b"|" + name.encode() + eol + body + eol +
            b"@@E|" + TOKEN.encode() + b"|" + name.encode() + b"|" + str(code).encode() + eol)


def test_frames_are_split_byte_exact_with_exit_codes() -> None:
    stream = frame("getprop", b"[a]: [b]\n", 0) + frame("which_su", b"", 1)
    frames = split_frames(stream, TOKEN)
    assert frames["getprop"].data == b"[a]: [b]\n"
    assert frames["getprop"].exit_code == 0
    assert frames["which_su"].data == b""
    assert frames["which_su"].exit_code == 1
    assert all(f.complete for f in frames.values())


def test_output_without_trailing_newline_is_kept_exact() -> None:
    frames = split_frames(frame("sms_role", b"com.example.sms", 0), TOKEN)
    assert frames["sms_role"].data == b"com.example.sms"


def test_old_pty_crlf_markers_are_understood() -> None:
    frames = split_frames(frame("getenforce", b"Enforcing", 0, eol=b"\r\n"), TOKEN)
    assert frames["getenforce"].data == b"Enforcing"
    assert frames["getenforce"].exit_code == 0


def test_missing_end_marker_means_incomplete_not_an_answer() -> None:
    stream = frame("getprop", b"x", 0) + b"@@B|" + TOKEN.encode() + b"|settings_secure\nlock_screen"
    frames = split_frames(stream, TOKEN)
    assert frames["getprop"].complete
    assert not frames["settings_secure"].complete
    assert frames["settings_secure"].exit_code is None


def test_a_marker_with_another_token_is_just_output() -> None:
    body = b"@@E|ffffffffffff|getprop|0\n"
    assert split_frames(frame("getprop", body, 0), TOKEN)["getprop"].data == body


def test_script_refuses_a_probe_outside_the_allow_list() -> None:
    with pytest.raises(ValueError, match="allow-list"):
        build_script([Probe("getprop", "settings put global adb_enabled 0", "x")], TOKEN)


def test_script_runs_in_a_posix_shell_and_frames_every_probe() -> None:
    # The real script, run by /bin/sh with stand-ins for two commands.
    probes = [PROBES_BY_NAME["getenforce"], PROBES_BY_NAME["which_su"]]
    script = build_script(probes, TOKEN)
    prelude = "getenforce(){ echo Enforcing; }; which(){ return 1; }; export -f getenforce which 2>/dev/null;"
    result = subprocess.run(["bash", "-c", prelude + script], capture_output=True, timeout=30)
    frames = split_frames(result.stdout, TOKEN)
    assert set(frames) == {"getenforce", "which_su"}
    assert all(f.complete for f in frames.values())
