"""A lab's view of many phones: index.html (sortable, one row per phone), fleet.json
(versioned, schema in fleet.schema.json) and fleet.csv, from the same rows (fleet_rows).

Every file is rewritten whole and then renamed into place, so a `watch` that updates the
index after every phone never leaves a half-written one for a browser or a script.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from droidaudit import __version__
from droidaudit.capture import write_private
from droidaudit.report.csv_cells import escape_cell
from droidaudit.report.fleet_rows import COLUMNS, FleetEntry, as_text, phone_row, result_rank
from droidaudit.report.template_cache import environment

FLEET_FORMAT = "droidaudit-fleet/1"

_ENV = environment()

# Click a column heading to sort by it (again to reverse): the script turns each heading
# into a button, so a page whose script did not run (printed, or scripts off) shows no
# control that does nothing. The page's CSP allows this one script by its hash.
_SORT_SCRIPT = """
document.querySelectorAll("thead th").forEach(function (th, col) {
  var button = document.createElement("button");
  button.type = "button";
  button.textContent = th.textContent;
  th.replaceChildren(button);
  button.addEventListener("click", function () {
    var body = document.querySelector("tbody"), rows = Array.from(body.rows);
    var dir = button.dataset.dir === "up" ? -1 : 1;
    button.dataset.dir = dir === 1 ? "up" : "down";
    function key(row) { var c = row.cells[col]; return c.dataset.sort || c.textContent.trim(); }
    rows.sort(function (a, b) {
      var x = key(a), y = key(b), nx = Number(x), ny = Number(y);
      var numeric = x !== "" && y !== "" && !isNaN(nx) && !isNaN(ny);
      return dir * (numeric ? nx - ny : x.localeCompare(y));
    });
    rows.forEach(function (row) { body.appendChild(row); });
  });
});
"""
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(_SORT_SCRIPT.encode()).digest()).decode()


def render_fleet_csv(entries: Sequence[FleetEntry], folder: Path) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for entry in entries:
        row = phone_row(entry, folder)
        writer.writerow([escape_cell(as_text(row[column])) for column in COLUMNS])
    return buffer.getvalue().encode("utf-8", "backslashreplace")


def fleet_dict(entries: Sequence[FleetEntry], folder: Path, generated_at: str) -> dict[str, Any]:
    phones = [phone_row(entry, folder) for entry in entries]
    counts: dict[str, int] = {}
    for phone in phones:
        counts[phone["result"]] = counts.get(phone["result"], 0) + 1
    return {"format": FLEET_FORMAT, "tool_version": __version__, "generated_at": generated_at,
            "counts": counts, "phones": phones}


def render_fleet_json(entries: Sequence[FleetEntry], folder: Path, generated_at: str) -> bytes:
    return json.dumps(fleet_dict(entries, folder, generated_at), indent=2).encode() + b"\n"


def render_fleet_html(entries: Sequence[FleetEntry], folder: Path, generated_at: str) -> bytes:
    rows = [{**phone_row(entry, folder), "rank": result_rank(entry.result)}
            for entry in entries]
    return _ENV.get_template("fleet.html.j2").render(
        rows=rows, generated_at=generated_at, script=_SORT_SCRIPT,
        script_hash=_SCRIPT_HASH, text=as_text).encode("utf-8", "backslashreplace")


def write_fleet_files(entries: Sequence[FleetEntry], folder: Path,
                      generated_at: str) -> Path:
    """Write (or rewrite) index.html, fleet.json and fleet.csv; return the index path."""
    ordered = sorted(entries, key=lambda e: (result_rank(e.result), e.server, e.serial))
    _replace(folder / "fleet.csv", render_fleet_csv(ordered, folder))
    _replace(folder / "fleet.json", render_fleet_json(ordered, folder, generated_at))
    _replace(folder / "index.html", render_fleet_html(ordered, folder, generated_at))
    return folder / "index.html"


def _replace(path: Path, data: bytes) -> None:
    partial = path.with_name(f".{path.name}.partial")
    write_private(partial, data)
    os.replace(partial, path)
