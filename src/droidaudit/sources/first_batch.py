"""What a live follow-up (the root reads, the screen reading) needs to know from the first
batch: a few probes parsed with the same parsers the facts stage uses, and the default SMS
app resolved in the one fallback order (parsers.sms_role). Never the whole capture: a
follow-up must not pay for the package dump's parse.
"""

from __future__ import annotations

from collections.abc import Iterable

from droidaudit.capture import Capture
from droidaudit.facts import FactSet
from droidaudit.parsers.registry import PARSERS
from droidaudit.parsers.sms_role import resolve_default_sms_app

SMS_APP_PROBES = ("sms_role", "dumpsys_role", "settings_secure")


def read_facts(capture: Capture, probes: Iterable[str]) -> FactSet:
    """The facts of `probes` (and the default SMS app, when they are its probes)."""
    facts = FactSet()
    for probe in probes:
        text = capture.text(probe)
        if text is not None:
            for fact in PARSERS[probe](text):
                facts.add(fact)
    resolve_default_sms_app(facts)
    return facts
