"""Parsers: pure functions from one probe's text to facts. They never talk to a device.

Each parser takes the decoded text of one probe (see `parsers.text.decode`) and returns
the facts it can support from that text alone. It never raises on odd input: what it
cannot read it leaves out, or returns as an unknown fact with a note. Facts that need
several probes (the `apps` list, backup.cloud, patch age) are put together afterwards in
`droidaudit.derive` from the readings here.

Readings only the derive step uses have names starting with `_` (for example
`_pm.packages`); they never reach a report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from droidaudit.facts import Fact

ProbeParser = Callable[[str], list[Fact]]


# bionic's linker (Android 5-7) warns on stderr about vendor libraries before a command's
# own output: `WARNING: linker: /vendor/lib/libfoo.so: unused DT entry: type 0x6ffffffe ...`.
# The batch merges stderr (`2>&1`), so parsers of one-answer-per-line outputs drop them.
_LINKER_WARNING = "WARNING: linker: "


def is_linker_warning(line: str) -> bool:
    return line.lstrip().startswith(_LINKER_WARNING)


def without_linker_warnings(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if not is_linker_warning(line))


def packages_of(components: Iterable[str]) -> list[str]:
    """Component names (`pkg/.Service`, `pkg/pkg.Receiver`) → their packages, in first-seen
    order, without repeats."""
    packages: dict[str, None] = {}  # insertion-ordered set: linear in the input
    for component in components:
        package = component.split("/", 1)[0].strip()
        if package:
            packages.setdefault(package)
    return list(packages)
