"""dumpsys backup and bmgr enabled → backup.enabled, backup.transport."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from droidaudit.decode import decode
from droidaudit.facts import Fact
from droidaudit.parsers.backup import mask_destination, parse_backup, parse_bmgr_enabled

FIXTURES = Path(__file__).parent / "fixtures"
GMS = "com.google.android.gms/.backup.BackupTransportService"


def _facts(probe: str, name: str) -> dict[str, Fact]:
    text = decode((FIXTURES / probe / name).read_bytes())
    parse = parse_backup if probe == "dumpsys_backup" else parse_bmgr_enabled
    return {fact.name: fact for fact in parse(text)}


def test_backup_android9_enabled_with_gms_transport() -> None:
    facts = _facts("dumpsys_backup", "android9_BackupManagerService.txt")
    assert facts["backup.enabled"].value is True
    assert facts["backup.transport"].value == GMS


def test_backup_android14_user0_block_not_user10() -> None:
    facts = _facts("dumpsys_backup", "android14_UserBackupManagerService.txt")
    assert facts["backup.enabled"].value is True
    assert facts["backup.transport"].value == GMS
    assert facts["backup.enabled"].evidence == (
        "Backup Manager is enabled / setup complete / not pending init",)


def test_backup_android14_disabled_local_transport() -> None:
    facts = _facts("dumpsys_backup", "android14-disabled_UserBackupManagerService.txt")
    assert facts["backup.enabled"].value is False
    assert facts["backup.transport"].value == "com.android.localtransport/.LocalTransport"


def test_backup_whitelist_entries_are_not_the_current_transport() -> None:
    text = ("Backup Manager is enabled / setup complete / not pending init\n"
            "Transport whitelist:\n    com.android.localtransport/.LocalTransport\n"
            "Available transports:\n    com.android.localtransport/.LocalTransport\n")
    facts = {fact.name: fact for fact in parse_backup(text)}
    assert facts["backup.transport"].value is None
    assert "no transport marked current" in facts["backup.transport"].note


def test_backup_destination_email_never_in_evidence() -> None:
    for name in ("android9_BackupManagerService.txt", "android14_UserBackupManagerService.txt"):
        facts = _facts("dumpsys_backup", name)
        evidence = " ".join(line for fact in facts.values() for line in fact.evidence)
        assert "owner@example.com" not in evidence
        assert "destination: <redacted>" in evidence


def test_backup_mask_destination_keeps_non_account_destinations() -> None:
    local = "destination: Backing up to debug-only private cache"
    assert mask_destination(local) == local
    assert mask_destination("destination: a.b@gmail.com") == "destination: <redacted>"


def test_backup_inactive_is_unknown() -> None:
    facts = _facts("dumpsys_backup", "android14-inactive_BackupManagerService.txt")
    assert facts["backup.enabled"].value is None
    assert "Inactive" in facts["backup.enabled"].note


def test_bmgr_enabled_and_disabled() -> None:
    assert _facts("bmgr_enabled", "android14_Bmgr-enabled.txt")["backup.enabled"].value is True
    assert _facts("bmgr_enabled", "android9_Bmgr-disabled.txt")["backup.enabled"].value is False


def test_bmgr_error_is_unknown() -> None:
    fact = _facts("bmgr_enabled", "android9_Bmgr-error.txt")["backup.enabled"]
    assert fact.value is None
    assert fact.source == "bmgr_enabled"
    assert "Could not access" in fact.note


@given(st.text(), st.sampled_from(["", "Backup Manager is enabled\nAvailable transports:\n  * "]))
def test_backup_never_raises_on_any_text(tail: str, prefix: str) -> None:
    text = prefix + tail
    parse_backup(text)
    parse_bmgr_enabled(text)
