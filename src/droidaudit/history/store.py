"""The history database: stdlib sqlite3 in WAL mode, so `watch` writes while `history` or
another `scan` reads; every write is one `BEGIN IMMEDIATE` transaction with a long busy
timeout, so several processes writing at once wait their turn instead of failing or
corrupting the file. The file is private (0600): it names phones and their apps.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from droidaudit.errors import UserError
from droidaudit.history.record import FindingRow, ScanRecord
from droidaudit.history.schema import MIGRATIONS, SCHEMA_VERSION
from droidaudit.timestamps import now_iso_utc

_BUSY_MS = 60_000


class HistoryError(UserError):
    """The database cannot be opened, read or written (exit 2), in plain words."""


def default_db_path() -> Path:
    """history.sqlite3 in the user's data folder (~/.local/share/droidaudit on Linux)."""
    from platformdirs import user_data_path

    return user_data_path("droidaudit", appauthor=False) / "history.sqlite3"


@dataclass(frozen=True)
class ScanRow:
    id: int
    server: str
    serial: str
    manufacturer: str
    model: str
    scanned_at: str
    verdict: str
    complete: bool
    report_folder: str
    error: str
    failed: int  # findings with status fail


class History:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._migrated = False

    def record(self, scan: ScanRecord, compare: bool = True) -> tuple[str, ...] | None:
        """Store one scan; return the checks failing now that did not fail in this phone's
        previous complete scan (None: no such scan, or compare=False, or incomplete)."""
        with self._transaction() as conn:
            device = _device_id(conn, scan)
            previous = _last_complete(conn, device, scan.scanned_at) if compare else None
            cursor = conn.execute(
                "INSERT INTO scans (device_id, scanned_at, recorded_at, origin, profile, "
                "verdict, complete, report_folder, error) VALUES (?,?,?,?,?,?,?,?,?)",
                (device, scan.scanned_at, now_iso_utc(), scan.origin, scan.profile,
                 scan.verdict, int(scan.complete), scan.report_folder, scan.error))
            conn.executemany(
                "INSERT INTO findings (scan_id, rule, item, status, severity, title) "
                "VALUES (?,?,?,?,?,?)",
                [(cursor.lastrowid, f.rule, f.item, f.status, f.severity, f.title)
                 for f in scan.findings])
            if previous is None or not scan.complete:
                return None
            before = _failing(self.findings_of(previous, conn))
            return tuple(sorted(_failing(list(scan.findings)) - before))

    def scans(self, serial: str | None = None, server: str | None = None) -> list[ScanRow]:
        """Scans oldest first: of one phone, or of every phone."""
        where, args = _where(serial, server)
        with self._reading() as conn:
            rows = conn.execute(_SCAN_QUERY + where + " ORDER BY s.scanned_at, s.id", args)
            return [_scan_row(row) for row in rows]

    def findings_of(self, scan_id: int,
                    conn: sqlite3.Connection | None = None) -> list[FindingRow]:
        query = ("SELECT rule, item, status, severity, title FROM findings WHERE scan_id = ? "
                 "ORDER BY rule, item")
        if conn is not None:
            return [FindingRow(*row) for row in conn.execute(query, (scan_id,))]
        with self._reading() as own:
            return [FindingRow(*row) for row in own.execute(query, (scan_id,))]

    # -- connections ----------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._reading() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        try:
            with closing(self._connect()) as conn:
                yield conn
        except sqlite3.Error as exc:
            raise HistoryError(f"the history database {self.path} cannot be used: {exc} "
                               "(choose another file with --db, or skip it with --no-db)"
                               ) from exc

    def _connect(self) -> sqlite3.Connection:
        _create_private(self.path)
        conn = sqlite3.connect(self.path, timeout=_BUSY_MS / 1000, isolation_level=None,
                               check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not self._migrated:
            _migrate(conn, self.path)
            self._migrated = True
        return conn


_SCAN_QUERY = (
    "SELECT s.id, d.server, d.serial, d.manufacturer, d.model, s.scanned_at, s.verdict, "
    "s.complete, s.report_folder, s.error, (SELECT count(*) FROM findings f "
    "WHERE f.scan_id = s.id AND f.status = 'fail') FROM scans s "
    "JOIN devices d ON d.id = s.device_id")


def _scan_row(row: tuple[Any, ...]) -> ScanRow:
    values = list(row)
    values[7] = bool(values[7])
    return ScanRow(*values)


def _where(serial: str | None, server: str | None) -> tuple[str, tuple[str, ...]]:
    clauses = [(c, v) for c, v in (("d.serial = ?", serial), ("d.server = ?", server))
               if v is not None]
    if not clauses:
        return "", ()
    return " WHERE " + " AND ".join(c for c, _ in clauses), tuple(v for _, v in clauses)


def _device_id(conn: sqlite3.Connection, scan: ScanRecord) -> int:
    # Maker and model are kept from the last scan that read them (a phone that was never
    # read keeps what an earlier scan learnt).
    row = conn.execute(
        "INSERT INTO devices (server, serial, manufacturer, model) VALUES (?,?,?,?) "
        "ON CONFLICT (server, serial) DO UPDATE SET "
        "manufacturer = coalesce(nullif(excluded.manufacturer, ''), manufacturer), "
        "model = coalesce(nullif(excluded.model, ''), model) RETURNING id",
        (scan.server, scan.serial, scan.manufacturer, scan.model)).fetchone()
    return int(row[0])


def _last_complete(conn: sqlite3.Connection, device: int, before: str) -> int | None:
    row = conn.execute("SELECT id FROM scans WHERE device_id = ? AND complete = 1 AND "
                       "scanned_at <= ? ORDER BY scanned_at DESC, id DESC LIMIT 1",
                       (device, before)).fetchone()
    return None if row is None else int(row[0])


def _failing(findings: list[FindingRow]) -> set[str]:
    return {f"{f.rule} ({f.item})" if f.item else f.rule
            for f in findings if f.status == "fail"}


def _create_private(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():  # sqlite gives its -wal and -shm files the database's mode
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    _wal(conn)
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise HistoryError(f"the history database {path} was written by a newer "
                               f"droidaudit (schema {version}; this one knows up to "
                               f"{SCHEMA_VERSION}): upgrade droidaudit, or use another --db")
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            for statement in filter(str.strip, script.split(";")):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL once (it persists in the file). Switching needs a moment alone with
    the file, which the busy timeout does not always wait for: retry a few times."""
    for attempt in range(50):
        try:
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == 49:
                raise
            time.sleep(0.1)
