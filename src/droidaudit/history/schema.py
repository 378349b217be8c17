"""The history database's schema, one migration per version (PRAGMA user_version).

A migration is appended, never edited: a database written by an older droidaudit is
brought up to date in one transaction; one written by a newer droidaudit is refused
rather than misread.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: devices (server + serial), scans, findings
    """
    CREATE TABLE devices (
        id INTEGER PRIMARY KEY,
        server TEXT NOT NULL,
        serial TEXT NOT NULL,
        manufacturer TEXT NOT NULL DEFAULT '',
        model TEXT NOT NULL DEFAULT '',
        UNIQUE (server, serial)
    );
    CREATE TABLE scans (
        id INTEGER PRIMARY KEY,
        device_id INTEGER NOT NULL REFERENCES devices (id),
        scanned_at TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        origin TEXT NOT NULL,
        profile TEXT NOT NULL,
        verdict TEXT NOT NULL,
        complete INTEGER NOT NULL,
        report_folder TEXT NOT NULL,
        error TEXT NOT NULL
    );
    CREATE INDEX scans_by_device ON scans (device_id, scanned_at);
    CREATE TABLE findings (
        scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
        rule TEXT NOT NULL,
        item TEXT NOT NULL,
        status TEXT NOT NULL,
        severity TEXT NOT NULL,
        title TEXT NOT NULL
    );
    CREATE INDEX findings_by_scan ON findings (scan_id);
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
