"""CSV cells a spreadsheet will not run: device strings are hostile, and a cell that starts
with = + - @ (or a tab or carriage return) is a formula to Excel, LibreOffice and Sheets
(OWASP "CSV injection"). Shared by every CSV droidaudit writes."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The value as text, with a leading ' when it would start a formula; '' stays ''."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def render_csv(columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: safe_cell(row.get(column)) for column in columns})
    # A lone surrogate from a hostile device string becomes \udcxx, never a crash.
    return buffer.getvalue().encode("utf-8", "backslashreplace")
