"""The screen reading's record (`probes/ui_mms_screen.xml`) ↔ readings → MMS facts.

A live `scan --ui-probe` keeps only what its decision used, never the rest of the screen:
per reading, the matched switches (role, title, checked, enabled, widget id and class),
the time and a digest that tells two SIMs' screens apart; for a reading that failed, its
reason code. `scan --capture` re-reads this record with `parse_ui_mms`, so a report is
re-evaluated offline with the same code. Pure; the record is parsed as hostile XML.

Aggregation: any switch on → on (any SIM that downloads by itself is the risk); off only
when every SIM the phone has in service was read off (`sims-expected`, from getprop
gsm.sim.state), else unknown `other_sim_unread`. A roaming switch shown disabled next to an
auto switch shown off is off in effect (AOSP MmsUtils: auto && (roaming && ...)); every
other switch counts as shown.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from droidaudit.facts import Fact
from droidaudit.parsers.mms_screen import Reading, SwitchRow
from droidaudit.parsers.ui_dump import parse_untrusted_xml

PROBE = "ui_mms_screen"
RECORD_FORMAT = "droidaudit-ui-mms/1"
SOURCE_VALUE = "screen"
_REFUSED = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.I)
_MAX_RECORD = 1024 * 1024


def render_record(readings: Sequence[tuple[str, Reading]], package: str, sims_expected: int,
                  locale: str) -> bytes:
    """The record of (UTC time, reading) pairs; failed readings keep only their reason."""
    root = ET.Element("ui-mms", {"format": RECORD_FORMAT, "package": package,
                                 "sims-expected": str(sims_expected), "locale": locale})
    for at, reading in readings:
        attrs = {"at": at, "screen": reading.screen}
        if reading.reason:
            attrs.update(reason=reading.reason, detail=reading.detail)
        element = ET.SubElement(root, "reading", attrs)
        for row in reading.rows:
            ET.SubElement(element, "switch", {
                "role": row.role, "label": row.label, "locales": ",".join(row.locales),
                "checked": _flag(row.checked), "enabled": _flag(row.enabled),
                "resource-id": row.resource_id, "class": row.class_name})
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def _flag(value: bool) -> str:
    return "true" if value else "false"


def parse_record(text: str) -> tuple[dict[str, str], list[tuple[str, Reading]]]:
    """(the record's attributes, its readings); ValueError for anything but a record."""
    if len(text) > _MAX_RECORD or _REFUSED.search(text):
        raise ValueError("not a screen-reading record (too large, or a DOCTYPE)")
    root = parse_untrusted_xml(text)
    if root.tag != "ui-mms" or root.get("format") != RECORD_FORMAT:
        raise ValueError(f"not a {RECORD_FORMAT} record")
    package = root.get("package", "")
    readings = []
    for element in root.findall("reading"):
        rows = tuple(SwitchRow(
            role=s.get("role", ""), label=s.get("label", ""),
            locales=tuple(filter(None, s.get("locales", "").split(","))),
            checked=s.get("checked") == "true", enabled=s.get("enabled") == "true",
            resource_id=s.get("resource-id", ""), class_name=s.get("class", ""))
            for s in element.findall("switch") if s.get("role") in ("auto", "roaming"))
        readings.append((element.get("at", ""), Reading(
            package, rows, element.get("reason", ""), element.get("detail", ""),
            element.get("screen", ""))))
    return dict(root.attrib), readings


def parse_ui_mms(text: str) -> list[Fact]:
    """Facts of a record: auto and roaming values, the source, the time, the status."""
    try:
        attrs, readings = parse_record(text)
    except (ValueError, ET.ParseError) as exc:
        return _unknown("unreadable_record", f"the screen-reading record is unreadable: {exc}")
    read = [(at, r) for at, r in readings if not r.reason]
    if not read:
        last = readings[-1][1] if readings else Reading("", reason="no_reading")
        return _unknown(last.reason, _why(last))
    try:
        expected = max(1, int(attrs.get("sims-expected", "1")))
    except ValueError:
        expected = 2  # unreadable: assume the harder case (never a pass on one SIM read)
    auto = _role_fact("mms.auto_retrieve", "auto", read, expected)
    roaming = _role_fact("mms.auto_retrieve_roaming", "roaming", read, expected)
    stamp = max(at for at, _ in read)
    facts = [auto, roaming, Fact("mms.ui_probe_status", "read", PROBE, (), "")]
    if auto.known:
        facts.append(Fact("mms.auto_retrieve_source", SOURCE_VALUE, PROBE, (PROBE,)))
        facts.append(Fact("mms.auto_retrieve_read_at", stamp, PROBE, (PROBE,),
                          "when the settings screen was read"))
    return facts


def _unknown(reason: str, note: str) -> list[Fact]:
    return [Fact("mms.auto_retrieve", None, PROBE, (), note),
            Fact("mms.auto_retrieve_roaming", None, PROBE, (), note),
            Fact("mms.ui_probe_status", reason or "not_read", PROBE, (), note)]


def _why(reading: Reading) -> str:
    detail = f": {reading.detail}" if reading.detail else ""
    return f"the settings screen was not read ({reading.reason}{detail})"


def _role_fact(name: str, role: str, read: list[tuple[str, Reading]], expected: int) -> Fact:
    values: list[tuple[bool, str]] = []
    coverage: dict[str, int] = {}
    for at, reading in read:
        rows = reading.of(role)
        coverage[reading.screen] = max(coverage.get(reading.screen, 0), len(rows))
        values += [(_effective(row, reading), _evidence(row, at)) for row in rows]
    evidence = tuple(line for _, line in values)
    if any(value for value, _ in values):
        return Fact(name, True, PROBE, evidence, "a switch reads on (any SIM on means on)")
    if not values:
        return Fact(name, None, PROBE, (), "label_not_found: the switch was not on the "
                    "screens read (scroll it into view and read again)")
    if sum(coverage.values()) < expected:
        return Fact(name, None, PROBE, evidence, f"other_sim_unread: {expected} SIMs in "
                    "service, the switch of only one was read off; read the other SIM's "
                    "settings screen too")
    return Fact(name, False, PROBE, evidence, "every switch read off")


def _effective(row: SwitchRow, reading: Reading) -> bool:
    if row.role == "roaming" and not row.enabled:
        autos = reading.of("auto")
        if autos and not any(a.checked for a in autos):
            return False  # the dependency greys it out; the app never uses it
    return row.checked


def _evidence(row: SwitchRow, at: str) -> str:
    state = "on" if row.checked else "off"
    enabled = "" if row.enabled else " (shown disabled)"
    widget = f" [{row.resource_id or row.class_name}]" if row.resource_id or row.class_name \
        else ""
    return f'{at}: "{row.label}" switch {state}{enabled}{widget}'
