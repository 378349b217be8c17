"""dumpsys device_policy → _special.device_admin (user 0 active admins), owners."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from droidaudit.decode import decode
from droidaudit.facts import Fact
from droidaudit.parsers.device_policy import parse_device_policy

FIXTURES = Path(__file__).parent / "fixtures" / "dumpsys_device_policy"
REPO_ROOT = Path(__file__).resolve().parents[2]
CORPUS = REPO_ROOT / os.environ.get("DROIDAUDIT_CORPUS", "../shared/corpus")
SAMSUNG = CORPUS / "samsung-unknown-devicepolicy" / "dumpsys"


def _facts(path: Path) -> dict[str, Fact]:
    return {fact.name: fact for fact in parse_device_policy(decode(path.read_bytes()))}


def test_device_policy_android6_header_without_provisioning_state() -> None:
    facts = _facts(FIXTURES / "android6_DevicePolicyManagerService.txt")
    assert facts["_special.device_admin"].value == ["com.google.android.gms"]
    assert facts["device.owner"].value == ""


def test_device_policy_android7_user0_only_and_device_owner() -> None:
    facts = _facts(FIXTURES / "android7_DevicePolicyManagerService.txt")
    assert facts["_special.device_admin"].value == ["com.example.mdm", "com.google.android.gms"]
    assert facts["device.owner"].value == "com.example.mdm"
    assert facts["device.profile_owner"].value == ""


def test_device_policy_android14_other_sections_are_not_admins() -> None:
    facts = _facts(FIXTURES / "android14_DevicePolicyManagerService.txt")
    assert facts["_special.device_admin"].value == ["com.example.cleaner"]
    assert "com.example.cleaner/.AdminReceiver" in facts["_special.device_admin"].evidence


def test_device_policy_profile_owner_of_user0() -> None:
    text = ("Current Device Policy Manager state:\n"
            "  Profile Owner (User 0): \n    admin=ComponentInfo{com.po/com.po.R}\n"
            "    name=PO\n    package=com.po\n"
            "  Profile Owner (User 10): \n    package=com.other\n"
            "  Enabled Device Admins (User 0, provisioningState: 0):\n    com.po/.R:\n"
            "      uid=10100\n")
    facts = {fact.name: fact for fact in parse_device_policy(text)}
    assert facts["device.profile_owner"].value == "com.po"
    assert facts["device.owner"].value == ""


def test_device_policy_without_header_is_unknown() -> None:
    facts = {f.name: f for f in parse_device_policy("Can't find service: device_policy\n")}
    assert facts["_special.device_admin"].value is None
    assert facts["device.owner"].value is None
    assert "Can't find service" in facts["_special.device_admin"].note


@pytest.mark.parametrize("name", ["device_policy.txt", "device_policy.capture2.txt"])
def test_device_policy_real_samsung_utf16_capture(name: str) -> None:
    path = SAMSUNG / name
    if not path.exists():
        pytest.skip(f"corpus not found at {SAMSUNG} (set DROIDAUDIT_CORPUS)")
    facts = _facts(path)
    # Only the two admins under `Enabled Device Admins (User 0, ...)`; the hundreds of
    # package names in the suspension and overlay lists below are not admins.
    assert facts["_special.device_admin"].value == [
        "com.samsung.android.kgclient", "com.focusguard"]
    assert facts["device.owner"].value == ""
    assert facts["device.profile_owner"].value == ""


@given(st.text(), st.sampled_from(["", "  Enabled Device Admins (User 0):\n    "]))
def test_device_policy_never_raises_on_any_text(tail: str, prefix: str) -> None:
    text = prefix + tail
    parse_device_policy(text)


def test_admins_level_with_their_header_without_an_end_marker_are_ambiguous() -> None:
    text = ("Enabled Device Admins (User 0, provisioningState: 0):\n"
            "com.example.cleaner/.AdminReceiver:\nuid=10245\nOwners:\ncom.other/.Receiver:\n")
    facts = {f.name: f for f in parse_device_policy(text)}
    assert facts["_special.device_admin"].value is None
    assert "ambiguous" in facts["_special.device_admin"].note


def test_admins_level_with_their_header_end_at_mpasswordowner() -> None:
    text = ("Enabled Device Admins (User 0, provisioningState: 0):\n"
            "com.example.cleaner/.AdminReceiver:\nuid=10245\npolicies:\nforce-lock\n"
            "mPasswordOwner=-1\ncom.samsung.cache/.NotAnAdmin:\n")
    facts = {f.name: f for f in parse_device_policy(text)}
    assert facts["_special.device_admin"].value == ["com.example.cleaner"]


def test_an_owner_section_without_package_is_unknown_not_none() -> None:
    text = ("  Device Owner:\n    admin=ComponentInfo{x/y}\n"
            "  Enabled Device Admins (User 0, provisioningState: 0):\n")
    facts = {f.name: f for f in parse_device_policy(text)}
    assert facts["device.owner"].value is None
    assert facts["device.profile_owner"].value == ""
