"""getenforce → selinux.mode; which su → _root.su_paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from droidaudit.decode import decode
from droidaudit.facts import Fact
from droidaudit.parsers.system_state import parse_getenforce, parse_which_su

FIXTURES = Path(__file__).parent / "fixtures"


def _one(probe: str, name: str) -> Fact:
    text = decode((FIXTURES / probe / name).read_bytes())
    parse = parse_getenforce if probe == "getenforce" else parse_which_su
    [fact] = parse(text)
    return fact


def test_getenforce_enforcing_lower_case() -> None:
    fact = _one("getenforce", "android14_getenforce.txt")
    assert (fact.name, fact.value, fact.evidence) == ("selinux.mode", "enforcing", ("Enforcing",))


def test_getenforce_permissive() -> None:
    assert _one("getenforce", "android9-userdebug_getenforce.txt").value == "permissive"


def test_getenforce_missing_command_is_unknown() -> None:
    fact = _one("getenforce", "missing_getenforce.txt")
    assert fact.value is None
    assert "not found" in fact.note


@pytest.mark.parametrize(("text", "mode"), [("Disabled\r\n", "disabled"), ("", None),
                                            ("enforcing\n", "enforcing")])
def test_getenforce_variants(text: str, mode: str | None) -> None:
    [fact] = parse_getenforce(decode(text.encode()))
    assert fact.value == mode


def test_which_su_found() -> None:
    fact = _one("which_su", "rooted_which-found.txt")
    assert (fact.name, fact.value) == ("_root.su_paths", ["/system/xbin/su"])


def test_which_su_found_two_paths() -> None:
    assert _one("which_su", "magisk_which-found-two.txt").value == ["/sbin/su", "/system/bin/su"]


def test_which_su_not_found_is_empty_list() -> None:
    fact = _one("which_su", "android14_which-notfound.txt")
    assert fact.value == []


def test_which_su_which_missing_is_unknown() -> None:
    fact = _one("which_su", "android6_which-missing.txt")
    assert fact.value is None
    assert "did not run cleanly" in fact.note


@given(st.text(), st.sampled_from(["", "/"]))
def test_system_state_never_raises_on_any_text(tail: str, prefix: str) -> None:
    text = prefix + tail
    parse_getenforce(text)
    parse_which_su(text)


def test_linker_warnings_before_the_answer_are_not_the_answer() -> None:
    warning = "WARNING: linker: /vendor/lib/libqc-opt.so: unused DT entry: type 0x6ffffffe\n"
    [mode] = parse_getenforce(warning + "Enforcing\n")
    assert mode.value == "enforcing"
    [paths] = parse_which_su(warning + "/system/xbin/su\n")
    assert paths.value == ["/system/xbin/su"]
