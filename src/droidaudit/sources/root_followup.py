"""What a live scan reads as root after its first batch (`scan --use-root` only).

The person consented to root reads; the phone has an `su`; the default SMS app is one whose
MMS preference files are known (probes.ROOT_PREFS_FILES). Only the three probes that answer
those questions are parsed here (not the whole capture), with the same parsers and the same
SMS-app fallback order the facts stage uses.
"""

from __future__ import annotations

from droidaudit.capture import Capture
from droidaudit.facts import FactSet
from droidaudit.package_names import is_package_name
from droidaudit.parsers.registry import PARSERS
from droidaudit.parsers.sms_role import resolve_default_sms_app
from droidaudit.probes import Probe, mms_prefs_probes

_READS = ("sms_role", "settings_secure", "which_su")


def root_followup_probes(capture: Capture) -> list[Probe]:
    """The root probes to send next: nothing without su or a known, plain SMS package."""
    facts = FactSet()
    for probe in _READS:
        text = capture.text(probe)
        if text is not None:
            for fact in PARSERS[probe](text):
                facts.add(fact)
    resolve_default_sms_app(facts)
    package = facts.value("mms.default_sms_app")
    if not facts.value("_root.su_paths") or not isinstance(package, str) \
            or not is_package_name(package):
        return []
    return mms_prefs_probes(package)
