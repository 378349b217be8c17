"""The history database: scans recorded and read back, what is new since the last scan,
migrations, and several processes writing at once without losing a row."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from droidaudit.history import FindingRow, History, HistoryError, ScanRecord
from droidaudit.history.schema import SCHEMA_VERSION


def scan(serial: str, when: str, *failing: str, complete: bool = True,
         server: str = "127.0.0.1:5037") -> ScanRecord:
    findings = tuple(FindingRow(rule, "", "fail", "high", rule) for rule in failing)
    findings += (FindingRow("LOCK-001", "", "pass", "high", "lock"),)
    return ScanRecord(server=server, serial=serial, scanned_at=when, verdict="at risk",
                      complete=complete, manufacturer="Google", model="Pixel 7",
                      report_folder=f"/r/{serial}-{when}", findings=findings)


def test_two_scans_of_a_phone_and_what_is_new(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite3")
    assert history.record(scan("A", "2026-01-01T00:00:00Z", "PATCH-001")) is None
    new = history.record(scan("A", "2026-02-01T00:00:00Z", "PATCH-001", "DEBUG-002"))
    assert new == ("DEBUG-002",)
    history.record(scan("B", "2026-02-01T00:00:00Z"))
    rows = history.scans("A")
    assert [r.scanned_at for r in rows] == ["2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"]
    assert [r.failed for r in rows] == [1, 2]
    assert rows[0].model == "Pixel 7" and rows[0].server == "127.0.0.1:5037"
    assert len(history.scans()) == 3
    assert {f.rule for f in history.findings_of(rows[1].id)} == {"PATCH-001", "DEBUG-002",
                                                                 "LOCK-001"}


def test_an_incomplete_scan_is_never_the_baseline(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite3")
    history.record(scan("A", "2026-01-01T00:00:00Z", "PATCH-001"))
    assert history.record(scan("A", "2026-01-02T00:00:00Z", complete=False)) is None
    assert history.record(scan("A", "2026-01-03T00:00:00Z", "PATCH-001")) == ()


def test_same_serial_on_two_servers_is_two_phones(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite3")
    history.record(scan("A", "2026-01-01T00:00:00Z", "X-1", server="hostA:5037"))
    assert history.record(scan("A", "2026-01-02T00:00:00Z", "X-1",
                               server="hostB:5037")) is None
    assert len(history.scans("A", server="hostB:5037")) == 1


def test_database_is_wal_private_and_versioned(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "h.sqlite3"
    History(path).record(scan("A", "2026-01-01T00:00:00Z"))
    assert path.stat().st_mode & 0o777 == 0o600
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_newer_schema_is_refused_in_plain_words(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(HistoryError, match="newer droidaudit"):
        History(path).scans()


def test_not_a_database_is_a_plain_error(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(HistoryError, match="--no-db"):
        History(path).scans()


def _writer(path: str, worker: int, count: int) -> None:
    history = History(Path(path))
    for n in range(count):
        history.record(scan(f"W{worker}", f"2026-01-01T00:00:{n:02d}Z", "PATCH-001"))


def test_eight_processes_writing_at_once_lose_no_row(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    workers = [multiprocessing.get_context("fork").Process(target=_writer,
                                                           args=(str(path), w, 25))
               for w in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    history = History(path)
    assert len(history.scans()) == 8 * 25
    for w in range(8):
        assert len(history.scans(f"W{w}")) == 25
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM findings").fetchone()[0] == 8 * 25 * 2
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_an_older_database_is_migrated_forward_keeping_its_rows(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from droidaudit.history import schema, store

    path = tmp_path / "h.sqlite3"
    History(path).record(scan("A", "2026-01-01T00:00:00Z", "PATCH-001"))
    later = (*schema.MIGRATIONS, "ALTER TABLE scans ADD COLUMN operator TEXT NOT NULL DEFAULT ''")
    monkeypatch.setattr(store, "MIGRATIONS", later)
    monkeypatch.setattr(store, "SCHEMA_VERSION", len(later))
    history = History(path)
    assert len(history.scans("A")) == 1
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(later)
        assert conn.execute("SELECT operator FROM scans").fetchone() == ("",)
