"""The batch protocol: framing, exit codes, truncation, and the allow-list guard."""

import shutil
import subprocess
from pathlib import Path

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


# -- issue 14 item 4: frames a hostile phone forges are tampering, never answers ----------

SENT = ["getprop", "settings_secure", "which_su"]


def test_a_second_frame_for_a_probe_marks_it_tampered_not_overridden() -> None:
    forged = frame("settings_secure", b"lock_screen_lock_after_timeout=0\n", 0)
    stream = frame("getprop", b"x", 0) + frame("settings_secure", b"real\n", 0) + forged
    frames = split_frames(stream, TOKEN, SENT)
    assert frames["settings_secure"].problem.startswith("tampered")
    assert frames["settings_secure"].exit_code is None
    assert frames["getprop"].complete and not frames["getprop"].problem


def test_a_frame_for_a_name_not_sent_marks_the_probe_that_printed_it() -> None:
    inner = frame("dumpsys_trust", b"trustAgents=[]\n", 0)
    stream = frame("getprop", b"[a]: [b]\n" + inner, 0)
    frames = split_frames(stream, TOKEN, SENT)
    assert "dumpsys_trust" not in frames
    assert frames["getprop"].problem.startswith("tampered")


def test_an_end_marker_for_another_probe_inside_a_frame_marks_both() -> None:
    fake_end = b"\n@@E|" + TOKEN.encode() + b"|which_su|0\n"
    stream = frame("getprop", b"x" + fake_end, 0) + frame("which_su", b"", 1)
    frames = split_frames(stream, TOKEN, SENT)
    assert frames["getprop"].problem and frames["which_su"].problem


def test_an_end_marker_without_its_line_end_is_not_complete() -> None:
    stream = frame("getprop", b"x", 0)[:-1]  # cut after the exit code's digits
    frames = split_frames(stream, TOKEN, SENT)
    assert not frames["getprop"].complete


def test_splitting_is_linear_with_thousands_of_unterminated_frames() -> None:
    begin = b"@@B|" + TOKEN.encode() + b"|"
    stream = b"".join(begin + f"p{i}".encode() + b"\n" + b"y" * 1000 for i in range(2000))
    frames = split_frames(stream, TOKEN)  # was 23 s: each begin re-scanned the rest
    assert len(frames) == 2000 and not any(f.complete for f in frames.values())
    assert frames["p7"].data == b"y" * 1000


@pytest.mark.parametrize("shell", ["mksh", "bash", "dash"])
def test_frames_keep_big_outputs_exact_in_each_shell(shell: str, tmp_path: Path) -> None:
    # 300 KiB in one frame (above toybox printf's 128 KiB argument limit), NUL bytes and
    # trailing blank lines: the phone's bytes, exactly.
    path = shutil.which(shell)
    if path is None:
        pytest.skip(f"{shell} is not installed")
    body = b"k=v\n" * 75_000 + b"\xff\xfe\x00a\x00\n\n"
    (tmp_path / "body").write_bytes(body)
    (tmp_path / "sh").symlink_to(path)
    for name, text in {"getenforce": f"exec /bin/cat {tmp_path / 'body'}", "which": "exit 1"}.items():
        (tmp_path / name).write_text(f"#!/bin/sh\n{text}\n")
        (tmp_path / name).chmod(0o755)
    script = build_script([PROBES_BY_NAME["getenforce"], PROBES_BY_NAME["which_su"]], TOKEN)
    result = subprocess.run([path, "-c", script], capture_output=True, timeout=60,
                            env={"PATH": str(tmp_path)})
    frames = split_frames(result.stdout, TOKEN, ["getenforce", "which_su"])
    assert frames["getenforce"].data == body and frames["getenforce"].exit_code == 0
    assert frames["which_su"].exit_code == 1 and frames["which_su"].data == b""
