"""os.release_supported from the dated release table: never guessed, stale table warned."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from droidaudit.facts.releases import load_release_table, release_supported_fact


def test_builtin_table_reads() -> None:
    table = load_release_table()
    assert table.releases[34] == ("Android 14", True)
    assert table.releases[30][1] is False
    assert table.source


def test_supported_and_unsupported() -> None:
    today = load_release_table().as_of
    supported = release_supported_fact(34, today)
    assert (supported.name, supported.value) == ("os.release_supported", True)
    assert "sdk 34 = Android 14" in supported.evidence[0]
    assert "stale" not in supported.note and "warning" not in supported.note
    assert release_supported_fact(29, today).value is False


def test_unknown_sdk_is_null_with_note() -> None:
    today = load_release_table().as_of
    fact = release_supported_fact(99, today)
    assert fact.value is None and "newer than every release" in fact.note
    assert release_supported_fact(20, today).value is None
    assert release_supported_fact(None, today).note.startswith("os.sdk is unknown")


def test_stale_table_warns(tmp_path: Path) -> None:
    table = tmp_path / "t.toml"
    table.write_text('as_of = 2020-01-01\nsource = "s"\n[[release]]\nsdk = 30\n'
                     'name = "Android 11"\nsupported = true\n')
    fact = release_supported_fact(30, date(2021, 6, 1), table)
    assert fact.value is True
    assert "release table is 517 days old" in fact.note


def test_broken_table_is_unknown(tmp_path: Path) -> None:
    table = tmp_path / "t.toml"
    table.write_text("[[release]]\nsdk = 1\n")
    fact = release_supported_fact(30, date(2021, 6, 1), table)
    assert fact.value is None and "release table unusable" in fact.note
