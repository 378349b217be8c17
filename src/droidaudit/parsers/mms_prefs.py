"""The default SMS app's SharedPreferences, read as root → MMS auto-retrieve facts.

Only with `droidaudit scan --use-root` (sources.root_followup): `cat` of the app's
`shared_prefs/*.xml`. SharedPreferencesImpl writes them with XmlUtils.writeMapXml:
`<map>` … `<boolean name="KEY" value="true" />` … `</map>`; several files read with one glob
come back as several `<map>` blocks. Keys and defaults per app:

- legacy AOSP Mms (packages/apps/Mms, MIUI's com.android.mms derives from it),
  `com.android.mms_preferences.xml`: `pref_key_mms_auto_retrieval` (default true),
  `pref_key_mms_retrieval_during_roaming` (default false).
- AOSP Messaging (packages/apps/Messaging), one `buglesub_<subId>.xml` per SIM:
  `buglesub_auto_retrieve_mms` (true), `buglesub_auto_retrieve_mms_when_roaming` (false);
  older installs keep `auto_retrieve_mms` / `auto_retrieve_mms_when_roaming` in `bugle.xml`.
- Samsung Messages: `pref_key_mms_auto_retrieval`, overridden by the carrier (CSC) default
  `csc_pref_key_mms_auto_retrieval` when the person never touched it; `_sim2` variants for
  the second SIM; roaming `pref_key_mms_retrieval_during_roaming` (+ `csc_`, `_sim2`).
  Defaults when absent: auto on, roaming off (Samsung's DownloadManager, Galaxy S5 4.4.2
  SecMms; research note §4: "key absent" means on / off in every app checked). On Samsung
  the carrier configuration usually writes both keys at first boot, so "absent" is rare.

An absent key in a file that was read means the app default. Output that holds no `<map>`
(su refused, no such file, permission denied) makes the facts unknown with the first line
as the reason. Any SIM with auto-retrieve on makes the answer "on". Pure text → facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from droidaudit.facts import Fact

SOURCE_VALUE = "root-prefs"
# Map tags, scanned as tokens: `<map>(.*?)</map>` restarts from every unclosed `<map>`
# and is quadratic on 500 KB of them.
_MAP_TAG = re.compile(r"<map>|</map>|<map\s*/>")
_BOOLEAN = re.compile(r'<boolean\s+name="([^"]+)"\s+value="(true|false)"\s*/>')


@dataclass(frozen=True)
class Setting:
    """One switch: its value, and the raw line (or the default it fell back to)."""

    value: bool | None
    evidence: str


def _maps(text: str) -> list[dict[str, tuple[bool | None, str]]] | None:
    """Each `<map>` block as key → (value, raw line); None when one is left open or closed
    without being opened: a SIM's file that cannot be read must not let the other SIMs
    decide "all off"."""
    blocks: list[dict[str, tuple[bool | None, str]]] = []
    opened = -1  # where the body of the open <map> starts, or -1
    for tag in _MAP_TAG.finditer(text):
        if tag.group(0) == "<map>":
            opened = tag.end() if opened < 0 else opened
        elif tag.group(0) == "</map>":
            if opened < 0:
                return None
            blocks.append(_booleans(text[opened:tag.start()]))
            opened = -1
        elif opened < 0:  # <map/>: an empty file
            blocks.append({})
    return None if opened >= 0 else blocks


def _booleans(body: str) -> dict[str, tuple[bool | None, str]]:
    """key → (value, raw line); a key written twice with different values has no value
    (None: unknown, never the app default and never first- or last-wins)."""
    found: dict[str, tuple[bool | None, str]] = {}
    for m in _BOOLEAN.finditer(body):
        key, value = m.group(1), m.group(2) == "true"
        if key in found and found[key][0] is not None and found[key][0] != value:
            found[key] = (None, f"{key} is written twice with different values: unknown")
        found.setdefault(key, (value, m.group(0)))
    return found


def _why_unreadable(text: str, blocks: list[dict[str, tuple[bool | None, str]]] | None) -> str:
    if blocks is None:
        return "a preferences file is cut or malformed (a <map> left open, or closed twice)"
    first = next((line.strip() for line in text.split("\n") if line.strip()), "")
    return (f"the SMS app's preferences could not be read as root: {first[:160]!r}" if first
            else "the SMS app's preferences could not be read as root (no output)")


def _setting(block: dict[str, tuple[bool | None, str]], keys: tuple[str, ...],
             default: bool | None) -> Setting:
    """The first key present wins (user value before carrier default); else the app default."""
    for key in keys:
        if key in block:
            value, line = block[key]
            return Setting(value, line)
    if default is None:
        return Setting(None, f"{keys[0]} absent (no known default)")
    return Setting(default, f"{keys[0]} absent: app default {str(default).lower()}")


def _combine(settings: list[Setting]) -> Setting:
    """Any SIM on → on; all read and off → off; otherwise unknown."""
    evidence = "; ".join(s.evidence for s in settings)
    if any(s.value is True for s in settings):
        return Setting(True, evidence)
    if settings and all(s.value is False for s in settings):
        return Setting(False, evidence)
    return Setting(None, evidence)


def _facts(probe: str, auto: Setting | None, roaming: Setting | None, note: str = "",
           ) -> list[Fact]:
    if auto is None or roaming is None:
        return [Fact("mms.auto_retrieve", None, probe, (), note),
                Fact("mms.auto_retrieve_roaming", None, probe, (), note)]
    facts = [
        Fact("mms.auto_retrieve", auto.value, probe, (auto.evidence,),
             "" if auto.value is not None else "not in the preferences read"),
        Fact("mms.auto_retrieve_roaming", roaming.value, probe, (roaming.evidence,),
             "" if roaming.value is not None
             else "the roaming switch is not in the preferences read; check it by hand"),
    ]
    if auto.value is not None:
        facts.append(Fact("mms.auto_retrieve_source", SOURCE_VALUE, probe, (probe,)))
    return facts


def _per_block(probe: str, text: str, auto_keys: tuple[str, ...],
               roaming_keys: tuple[str, ...], roaming_default: bool | None) -> list[Fact]:
    blocks = _maps(text)
    if not blocks:
        return _facts(probe, None, None, _why_unreadable(text, blocks))
    autos = [_setting(b, auto_keys, True) for b in blocks]
    roamings = [_setting(b, roaming_keys, roaming_default) for b in blocks]
    return _facts(probe, _combine(autos), _combine(roamings))


def parse_mms_prefs_legacy(text: str) -> list[Fact]:
    """AOSP Mms / MIUI: com.android.mms_preferences.xml."""
    return _per_block("mms_prefs_legacy", text, ("pref_key_mms_auto_retrieval",),
                      ("pref_key_mms_retrieval_during_roaming",), False)


def parse_mms_prefs_bugle_subs(text: str) -> list[Fact]:
    """AOSP Messaging: buglesub_<subId>.xml, one block per SIM subscription."""
    return _per_block("mms_prefs_bugle_subs", text, ("buglesub_auto_retrieve_mms",),
                      ("buglesub_auto_retrieve_mms_when_roaming",), False)


def parse_mms_prefs_bugle(text: str) -> list[Fact]:
    """AOSP Messaging, older installs: bugle.xml."""
    return _per_block("mms_prefs_bugle", text, ("auto_retrieve_mms",),
                      ("auto_retrieve_mms_when_roaming",), False)


_SAMSUNG_AUTO = "pref_key_mms_auto_retrieval"
_SAMSUNG_ROAMING = "pref_key_mms_retrieval_during_roaming"


def parse_mms_prefs_samsung(text: str) -> list[Fact]:
    """Samsung Messages: user key, else carrier (csc_) key, else default; SIM 2 if listed."""
    blocks = _maps(text)
    if not blocks:
        return _facts("mms_prefs_samsung", None, None, _why_unreadable(text, blocks))
    block = {k: v for b in blocks for k, v in b.items()}
    autos = [_setting(block, (_SAMSUNG_AUTO, "csc_" + _SAMSUNG_AUTO), True)]
    roamings = [_setting(block, (_SAMSUNG_ROAMING, "csc_" + _SAMSUNG_ROAMING), False)]
    sim2 = (_SAMSUNG_AUTO + "_sim2", "csc_" + _SAMSUNG_AUTO + "_sim2")
    if any(key in block for key in sim2):
        autos.append(_setting(block, sim2, True))
    roaming2 = (_SAMSUNG_ROAMING + "_sim2", "csc_" + _SAMSUNG_ROAMING + "_sim2")
    if any(key in block for key in roaming2):
        roamings.append(_setting(block, roaming2, False))
    return _facts("mms_prefs_samsung", _combine(autos), _combine(roamings))
