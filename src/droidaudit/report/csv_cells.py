"""One escape for every CSV cell droidaudit writes (fleet.csv, history exports).

A spreadsheet reads a cell that starts with = + - @ (or a tab or carriage return, which
some strip before looking) as a formula, and device strings are hostile input: such a cell
gets a leading apostrophe, which spreadsheets show as text. An empty cell stays empty.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def render_csv(columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> bytes:
    """A CSV with a header row, every cell through `escape_cell` (None is an empty cell)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: escape_cell("" if row.get(column) is None
                                             else str(row.get(column)))
                         for column in columns})
    # A lone surrogate from a hostile device string becomes \udcxx, never a crash.
    return buffer.getvalue().encode("utf-8", "backslashreplace")
