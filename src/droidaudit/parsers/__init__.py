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

from collections.abc import Callable

from droidaudit.facts import Fact

ProbeParser = Callable[[str], list[Fact]]
