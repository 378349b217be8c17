"""One escape for every CSV cell droidaudit writes (fleet.csv, history exports).

A spreadsheet reads a cell that starts with = + - @ (or a tab or carriage return, which
some strip before looking) as a formula, and device strings are hostile input: such a cell
gets a leading apostrophe, which spreadsheets show as text. An empty cell stays empty.
"""

from __future__ import annotations

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value
