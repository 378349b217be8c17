"""The two time formats droidaudit writes: ISO 8601 UTC in files, compact in folder names."""

from __future__ import annotations

from datetime import UTC, datetime

ISO_UTC = "%Y-%m-%dT%H:%M:%SZ"  # manifest.json, report.json, attestations
FOLDER_UTC = "%Y%m%dT%H%M%SZ"  # report folder names


def iso_utc(when: datetime) -> str:
    return when.astimezone(UTC).strftime(ISO_UTC)


def now_iso_utc() -> str:
    return iso_utc(datetime.now(UTC))


def folder_utc(when: datetime) -> str:
    return when.astimezone(UTC).strftime(FOLDER_UTC)
