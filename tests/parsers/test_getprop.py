"""getprop → device, release, patch, boot and encryption facts."""

from pathlib import Path

from droidaudit.parsers.getprop import parse_getprop, parse_properties

FIXTURES = Path(__file__).parent / "fixtures" / "getprop"
DEMO = Path(__file__).parents[2] / "fixtures" / "demo-pixel7-a14" / "probes" / "getprop.txt"


def facts_of(text: str) -> dict[str, object]:
    return {fact.name: fact.value for fact in parse_getprop(text)}


def test_android14_pixel_demo_reads_identity_and_patch() -> None:
    facts = facts_of(DEMO.read_text())
    assert facts["device.manufacturer"] == "Google"
    assert facts["device.model"] == "Pixel 7"
    assert facts["os.sdk"] == 34
    assert facts["os.security_patch"] == "2024-02-05"
    assert facts["boot.verified_state"] == "green"
    assert facts["boot.bootloader_locked"] is True
    assert facts["crypto.type"] == "file"


def test_android6_unlocked_userdebug_without_crypto_type() -> None:
    facts = facts_of((FIXTURES / "android6_toolbox_getprop.txt").read_text())
    assert facts["os.sdk"] == 23
    assert facts["os.build_type"] == "userdebug"
    assert facts["os.build_tags"] == "test-keys"
    assert facts["boot.bootloader_locked"] is False
    assert facts["boot.verified_state"] == "orange"
    assert facts["crypto.state"] == "encrypted"
    assert facts["crypto.type"] is None  # not set before Android 7: unknown, not guessed


def test_multiline_value_is_one_property() -> None:
    props = parse_properties((FIXTURES / "android6_toolbox_getprop.txt").read_text())
    assert props["ro.ril.ecc.list"] == "112,911\n000,08,110"
    assert props["ro.serialno"] == "00a1b2c3d4e5f607"


def test_missing_patch_is_unknown_with_reason() -> None:
    facts = {f.name: f for f in parse_getprop("[ro.build.version.sdk]: [30]\n")}
    assert facts["os.security_patch"].value is None
    assert "not set" in facts["os.security_patch"].note


def test_malformed_patch_date_is_unknown() -> None:
    facts = facts_of("[ro.build.version.security_patch]: [2021-7-1]\n")
    assert facts["os.security_patch"] is None


def test_evidence_is_the_raw_line() -> None:
    fact = next(f for f in parse_getprop(DEMO.read_text()) if f.name == "os.security_patch")
    assert fact.evidence == ("[ro.build.version.security_patch]: [2024-02-05]",)


def test_garbage_gives_no_facts() -> None:
    assert parse_getprop("sh: getprop: not found\n") == []
