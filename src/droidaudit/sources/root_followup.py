"""What a live scan reads as root after its first batch (`scan --use-root` only).

The person consented to root reads; the phone has an `su`; the default SMS app is one whose
MMS preference files are known (probes.ROOT_PREFS_FILES). Only the probes that answer those
questions are parsed here (not the whole capture), with the same parsers and the same
SMS-app fallback order the facts stage uses.
"""

from __future__ import annotations

from droidaudit.capture import Capture
from droidaudit.package_names import is_package_name
from droidaudit.probes import Probe, mms_prefs_probes
from droidaudit.sources.first_batch import SMS_APP_PROBES, read_facts

_READS = (*SMS_APP_PROBES, "which_su")


def root_followup_probes(capture: Capture) -> list[Probe]:
    """The root probes to send next: nothing without su or a known, plain SMS package."""
    facts = read_facts(capture, _READS)
    package = facts.value("mms.default_sms_app")
    if not facts.value("_root.su_paths") or not isinstance(package, str) \
            or not is_package_name(package):
        return []
    return mms_prefs_probes(package)
