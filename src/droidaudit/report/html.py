"""report.html: one self-contained page (inline CSS, no network), autoescaped, printable.
Every device string is hostile input: nothing here marks device text as safe; `linkify`
escapes each piece before it wraps an https address in a link."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import datetime
from functools import cache
from typing import Any

from markupsafe import Markup, escape

from droidaudit.capture import XML_PROBE_PREFIX
from droidaudit.facts import FactSet
from droidaudit.report.actions import first_actions, oem_key, steps_for
from droidaudit.report.apps_view import app_packages, app_rows
from droidaudit.report.model import (
    AREA_TITLES,
    RESCAN_ADVICE,
    STATE_NAMES,
    ScanReport,
    found,
    headline,
    named_item,
    sort_findings,
)
from droidaudit.report.template_cache import environment
from droidaudit.rules.model import Finding

_URL = re.compile(r"https?://[^\s<>\"']+")
# The proportion bar: its segments, in reading order.
_BAR = (("fail", ("fail",)), ("notchecked", ("notchecked",)),
        ("unknown", ("unknown", "error")), ("pass", ("pass",)))
ORIGIN_WORDS = {"live": "read live from the phone over adb", "capture": "a saved capture",
                "androidqf": "an AndroidQF acquisition", "bugreport": "an adb bugreport"}

_ENV = environment()


def _trim_url(url: str) -> str:
    """Drop sentence punctuation and an unbalanced closing parenthesis after an address."""
    while url and (url[-1] in ".,;:" or (url[-1] == ")" and url.count("(") < url.count(")"))):
        url = url[:-1]
    return url


def linkify(text: object) -> Markup:
    """Escaped text with each https address as a real link (its text is the address, so a
    printed page still shows where it goes)."""
    value, out, last = str(text), [], 0
    for match in _URL.finditer(value):
        url = _trim_url(match.group())
        start, end = match.start(), match.start() + len(url)
        out += [escape(value[last:start]), Markup('<a href="{0}">{0}</a>').format(url)]
        last = end
    out.append(escape(value[last:]))
    return Markup("").join(out)


def breakable(text: object) -> Markup:
    """Escaped text that may wrap after each dot: a long package name breaks between its
    parts (com.example.<wbr>flashlight), never inside a word."""
    return Markup("<wbr>").join(escape(part) for part in re.split(r"(?<=\.)", str(text)))


def in_app_row(finding: Finding) -> str:
    """The headline inside its app's row, where the app is already named: 'It can …'."""
    text, item = headline(finding), finding.item or ""
    return "It " + text[len(item) + 1:] if item and text.startswith(item + " ") else text


_ENV.filters.update(linkify=linkify, breakable=breakable)
_ENV.globals.update(headline=headline, found=found, named_item=named_item,
                    in_app_row=in_app_row, state_names=STATE_NAMES)


def _group(findings: list[Finding], *statuses: str) -> list[Finding]:
    return [f for f in sort_findings(findings) if f.status in statuses]


def _bar(counts: dict[str, int]) -> list[tuple[str, int, float]]:
    """(state, count, percent) per segment with a count."""
    parts = [(state, sum(counts.get(s, 0) for s in members)) for state, members in _BAR]
    total = sum(n for _, n in parts) or 1
    return [(state, n, round(100 * n / total, 2)) for state, n in parts if n]


def _when(iso: str) -> dict[str, str]:
    """UTC as written, the local time of this computer beside it, for a person's clock."""
    try:
        utc = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return {"utc": iso, "local": ""}
    local = utc.astimezone()
    shown = "" if local.utcoffset() == utc.utcoffset() else \
        local.strftime("%Y-%m-%d %H:%M:%S ") + (local.tzname() or "local time")
    return {"utc": utc.strftime("%Y-%m-%d %H:%M:%S UTC"), "local": shown}


def _duration(report: ScanReport) -> str:
    try:
        start = datetime.fromisoformat(report.started_at.replace("Z", "+00:00"))
        end = datetime.fromisoformat(report.scanned_at.replace("Z", "+00:00"))
    except ValueError:
        return ""
    seconds = max(0, round((end - start).total_seconds()))
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"


@cache
def _script_hash(name: str) -> str:
    """The CSP hash of an inline script as the template includes it: only that exact
    script may run (the page's policy allows no other script and no network)."""
    source = _ENV.get_template(name).render()
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()


APPS_SCRIPT = "apps-table.js"


def seen_on_screen(facts: FactSet) -> list[tuple[str, object, str]]:
    """Facts read off the phone's screen rather than over adb: what a person recorded
    (--attest, with who and when) and what the screen reading saw (the switch it read)."""
    seen: list[tuple[str, object, str]] = []
    for fact in facts:
        if fact.source.startswith("attested by"):
            seen.append((fact.name, fact.value, fact.source))
        elif fact.source.startswith(XML_PROBE_PREFIX) and fact.value is not None \
                and any('" switch ' in line for line in fact.evidence):
            seen.append((fact.name, fact.value, "read from the screen: " +
                         "; ".join(fact.evidence)))
    return seen


def render_html(report: ScanReport) -> bytes:
    facts = report.facts
    oem = oem_key(facts.value("device.manufacturer"))
    rows = app_rows(facts.value("apps"), report.findings)
    in_rows = app_packages(rows)
    summary = report.summary()
    context: dict[str, Any] = {
        "report": report,
        "summary": summary,
        "area_titles": AREA_TITLES,
        "oem": oem,
        "steps_for": lambda f: steps_for(f, oem),
        "actions": first_actions(report.findings, rows, oem),
        "apps": rows,
        "failed": [f for f in _group(report.findings, "fail") if f.item not in in_rows],
        "app_failed": sum(len(r.failed) for r in rows),
        "by_hand": _group(report.findings, "notchecked"),
        "unread": _group(report.findings, "unknown", "error"),
        "info": _group(report.findings, "informational"),
        "waived": _group(report.findings, "waived"),
        "passed": _group(report.findings, "pass"),
        "not_applicable": _group(report.findings, "notapplicable"),
        "bar": _bar(summary["by_status"]),
        "device_line": _device_line(report),
        "when": _when(report.scanned_at),
        "duration": _duration(report),
        "source_words": ORIGIN_WORDS.get(report.origin, report.origin),
        "rescan_advice": RESCAN_ADVICE,
        "script_hash": _script_hash(APPS_SCRIPT),
        "seen": seen_on_screen(facts),
    }
    return _ENV.get_template("report.html.j2").render(context).encode("utf-8", "backslashreplace")


def _device_line(report: ScanReport) -> str:
    value = report.facts.value
    maker, model = value("device.manufacturer"), value("device.model")
    release, patch = value("os.release"), value("os.security_patch")
    parts = [" ".join(str(p) for p in (maker, model) if p) or "Unknown phone"]
    parts.append(f"Android {release}" if release else "Android release unknown")
    parts.append(f"security patch {patch}" if patch else "security patch unknown")
    return " · ".join(parts)
