"""Scan history in a SQLite database: every scan of every phone, so a lab can see what a
phone looked like last time and what is new since. Below the CLI and the pipeline, above
the report model; it never talks to a phone."""

from droidaudit.history.record import FindingRow, ScanRecord, record_of_report
from droidaudit.history.store import History, HistoryError, default_db_path

__all__ = ["FindingRow", "History", "HistoryError", "ScanRecord", "default_db_path",
           "record_of_report"]
