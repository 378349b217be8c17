"""Never a false pass: a rule passes only on facts a probe actually supplied.

(a) Every built-in rule, under every profile, over a capture with no probe at all: zero
    `pass`.
(b) The demo phone with each probe in turn removed, and in turn marked with a transport
    error: no finding that failed with the full capture passes now, and no passing
    finding rests on a fact that is unknown or came from the missing probe.
(c) The demo phone with each probe's output cut at half its length and NOT marked (what a
    silent truncation looks like): no finding turns from `fail` to `pass` (or vanishes
    with nothing left to say its rule could not be checked). The flips, if
    any, are printed (pytest -s) and counted; each one would be a parser bug.
(d) The demo phone with one probe's output replaced by an OEM-style variant (other
    indentation, order, vendor lines, enum case, line ends, encodings): no finding turns
    from `fail` or `unknown` into `pass`.
"""

from __future__ import annotations

import copy
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from droidaudit.capture import Capture
from droidaudit.decode import decode
from droidaudit.facts import FactSet
from droidaudit.facts.derive import extract_facts
from droidaudit.rules.engine import evaluate
from droidaudit.rules.loader import load_rules
from droidaudit.rules.model import PROFILES, Finding
from tests.parsers.metamorphic import ENCODINGS, MUTATIONS, variant

DEMO = Path(__file__).parents[1] / "fixtures" / "demo-pixel7-a14"
RULES = load_rules()
Key = tuple[str, str | None]  # (rule id, item)


def _scan(capture: Capture, profile: str) -> tuple[FactSet, dict[Key, Finding]]:
    scanned = datetime.fromisoformat(capture.started.replace("Z", "+00:00"))
    facts = extract_facts(capture, scanned)
    findings = evaluate(RULES, facts, profile=profile, today=scanned.date())
    return facts, {(f.rule, f.item): f for f in findings}


def _demo() -> Capture:
    return Capture.load(DEMO)


DEMO_PROBES = sorted(_demo().probes)


@pytest.mark.parametrize("profile", PROFILES)
def test_no_rule_passes_on_a_capture_with_no_probes(profile: str) -> None:
    capture = Capture(started="2024-06-20T09:29:58Z")
    facts = extract_facts(capture, datetime.fromisoformat("2024-06-20T09:29:58+00:00"))
    findings = evaluate(RULES, facts, profile=profile, today=date(2024, 6, 20))
    assert findings, "no rule evaluated"
    passed = [f.rule for f in findings if f.status == "pass"]
    assert passed == []


def _without(probe: str, how: str) -> Capture:
    capture = copy.deepcopy(_demo())
    if how == "removed":
        del capture.probes[probe]
    elif how == "error":
        capture.probes[probe].error = "output cut off: end marker never arrived"
    else:  # silently truncated at half its length
        output = capture.probes[probe]
        output.data = output.data[: len(output.data) // 2]
    return capture


def _unsupported_passes(facts: FactSet, findings: dict[Key, Finding], probe: str,
                        present: set[str]) -> list[str]:
    """Passing findings that rest on no known fact, or on a fact read only from the missing
    probe (a `+`-joined source counts as supported while another of its probes is present).
    An unknown fact beside a deciding known one (`any = [...]`) is fine."""
    bad = []
    for key, finding in findings.items():
        if finding.status != "pass" or not finding.facts:
            continue
        known = [(name, facts.get(name)) for name in finding.facts]
        known = [(name, fact) for name, fact in known if fact is not None and fact.known]
        if not known:
            bad.append(f"{key}: passes with every fact unknown ({probe} missing)")
        for name, fact in known:
            assert fact is not None
            sources = set(fact.source.split("+"))
            if probe in sources and not (sources - {probe}) & present:
                bad.append(f"{key}: passes on {name} = {fact.value!r}, read from {probe}")
    return bad


def _flips(before: dict[Key, Finding], after: dict[Key, Finding]) -> list[str]:
    """Failures that now pass, or (per-app rules) vanish with no unknown finding of the rule
    left to say something could not be read: both read as "fine" in a report."""
    flips = [f"{key}: fail → pass" for key, finding in after.items()
             if finding.status == "pass" and key in before and before[key].status == "fail"]
    undecided = {f.rule for f in after.values() if f.status in ("unknown", "notchecked", "error")}
    flips += [f"{key}: fail → gone" for key, finding in before.items()
              if finding.status == "fail" and key not in after and key[0] not in undecided]
    return flips


@pytest.mark.parametrize("how", ["removed", "error"])
@pytest.mark.parametrize("probe", DEMO_PROBES)
def test_a_missing_probe_never_turns_into_a_pass(probe: str, how: str) -> None:
    for profile in PROFILES:
        _, before = _scan(_demo(), profile)
        capture = _without(probe, how)
        facts, after = _scan(capture, profile)
        present = {n for n, p in capture.probes.items() if p.usable}
        problems = _unsupported_passes(facts, after, probe, present) + _flips(before, after)
        assert problems == [], f"{profile}: " + "; ".join(problems)


FLIPS: dict[str, list[str]] = {}


@pytest.mark.parametrize("probe", DEMO_PROBES)
def test_a_silently_truncated_probe_never_turns_a_fail_into_a_pass(probe: str) -> None:
    flips: list[str] = []
    for profile in PROFILES:
        _, before = _scan(_demo(), profile)
        _, after = _scan(_without(probe, "truncated"), profile)
        flips += [f"{profile} {flip}" for flip in _flips(before, after)]
    FLIPS[probe] = flips
    assert flips == [], f"{probe} cut at half: " + "; ".join(flips)


def test_truncation_summary() -> None:
    if not FLIPS:
        pytest.skip("the truncation tests did not run in this session")
    total = sum(len(v) for v in FLIPS.values())
    print(f"\ntruncation: {len(FLIPS)} probes cut at half, {total} fail→pass flips "
          + "; ".join(f"{p}: {len(v)}" for p, v in FLIPS.items() if v))
    assert total == 0


# (d) OEM-style variants of each probe's output (tests/parsers/metamorphic.py): other
#     indentation, order, vendor lines, enum case, line ends and encodings. A variant may
#     leave a fact unknown; no finding that failed or was unknown may pass on it.
OEM_VARIANTS: dict[str, tuple[tuple[str, ...], str]] = {
    "deeper, vendor lines after titles, UTF-16 BOM": (("deeper", "vendor_after_headers"),
                                                      "utf16_bom"),
    "flush left, \\r\\r\\n": (("flush_left",), "crcrlf"),
    "tabs, enum case, CRLF": (("tabs", "enum_case"), "crlf"),
    "blocks and sections reversed": (("reverse_blocks", "reverse_sections"), "utf8"),
    "lines at their title's indent, vendor lines, blank lines":
        (("children_at_header_indent", "vendor_lines", "blank_lines"), "utf8"),
    "shallower, vendor section, trailing spaces":
        (("shallower", "vendor_section", "trailing_spaces"), "utf8"),
}


_BASELINE: dict[str, dict[Key, Finding]] = {}
_DEMO_CAPTURE: list[Capture] = []


def _baseline(profile: str) -> dict[Key, Finding]:
    if profile not in _BASELINE:
        _BASELINE[profile] = _scan(_demo(), profile)[1]
    return _BASELINE[profile]


def _variant_of(probe: str, mutations: tuple[str, ...], encoding: str, seed: int) -> Capture:
    if not _DEMO_CAPTURE:
        _DEMO_CAPTURE.append(_demo())
    capture = copy.copy(_DEMO_CAPTURE[0])
    capture.probes = dict(capture.probes)
    output = copy.copy(capture.probes[probe])
    output.data = variant(probe, decode(output.data), mutations, seed, encoding)
    capture.probes[probe] = output
    return capture


def _newly_passing(before: dict[Key, Finding], after: dict[Key, Finding]) -> list[str]:
    """fail → pass or gone (as in _flips), and unknown (or notchecked) → pass."""
    weaker = ("unknown", "notchecked", "error")
    return _flips(before, after) + [
        f"{key}: {before[key].status} → pass" for key, finding in after.items()
        if finding.status == "pass" and key in before and before[key].status in weaker]


def _variant_problems(probe: str, mutations: tuple[str, ...], encoding: str,
                      seed: int) -> list[str]:
    capture = _variant_of(probe, mutations, encoding, seed)
    scanned = datetime.fromisoformat(capture.started.replace("Z", "+00:00"))
    facts = extract_facts(capture, scanned)
    problems: list[str] = []
    for profile in PROFILES:
        after = evaluate(RULES, facts, profile=profile, today=scanned.date())
        found = _newly_passing(_baseline(profile), {(f.rule, f.item): f for f in after})
        problems += [f"{profile} {p}" for p in found]
    return problems


@pytest.mark.parametrize("probe", DEMO_PROBES)
def test_an_oem_variant_of_a_probe_never_turns_a_fail_or_unknown_into_a_pass(probe: str) -> None:
    problems = [f"{label}: {p}" for label, (mutations, encoding) in OEM_VARIANTS.items()
                for p in _variant_problems(probe, mutations, encoding, seed=0)]
    assert problems == [], f"{probe}: " + "; ".join(problems)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(DEMO_PROBES), st.lists(st.sampled_from(sorted(MUTATIONS)), min_size=1,
                                              max_size=3),
       st.sampled_from(sorted(ENCODINGS)), st.integers(0, 2**16))
def test_any_mix_of_oem_mutations_never_turns_a_fail_or_unknown_into_a_pass(
        probe: str, mutations: list[str], encoding: str, seed: int) -> None:
    assert _variant_problems(probe, tuple(mutations), encoding, seed) == []


# -- forged lines (issue #14): a device value holding line breaks --------------------------

_FLASHLIGHT_VERSION = b"    versionName=4.1.7\n"
FORGERIES: dict[str, tuple[str, bytes, bytes]] = {
    # an app's versionName fakes a Play-installed system app
    "versionName fakes flags, installer and user lines": (
        "dumpsys_package", _FLASHLIGHT_VERSION,
        b"    versionName=4.1.7\n    flags=[ SYSTEM HAS_CODE ]\n"
        b"    installerPackageName=com.android.vending\n"
        b"    User 0: ceDataInode=1 installed=true\n"),
    # a forged Play system update block inside an earlier app's block (first block won)
    "versionName forges a modulemetadata block": (
        "dumpsys_package", b"    versionName=121.0.6167.101\n",
        b"    versionName=121.0.6167.101\n  Package [com.google.android.modulemetadata] (abc):\n"
        b"    versionName=2024-06-01\n    flags=[ SYSTEM HAS_CODE ]\n"),
    # a later setting's value adds empty special-access keys (the last one won)
    "a setting forges empty special-access keys": (
        "settings_secure", b"user_setup_complete=1",
        b"user_setup_complete=1\nenabled_accessibility_services=\n"
        b"enabled_notification_listeners=\nlock_screen_allow_private_notifications=0"),
    # a later property's value forges a fresh patch level (the last one won)
    "a property forges the patch level": (
        "getprop", b"[ro.build.version.security_patch]: [2024-02-05]",
        b"[ro.build.version.security_patch]: [2024-02-05]\n"
        b"[ro.build.version.security_patch]: [2024-06-01]"),
}


@pytest.mark.parametrize("forgery", sorted(FORGERIES))
def test_a_forged_line_never_turns_a_fail_into_a_pass(forgery: str) -> None:
    probe, real, forged = FORGERIES[forgery]
    capture = copy.deepcopy(_demo())
    assert real in capture.probes[probe].data
    capture.probes[probe].data = capture.probes[probe].data.replace(real, forged, 1)
    for profile in PROFILES:
        _, before = _scan(_demo(), profile)
        _, after = _scan(capture, profile)
        flips = _flips(before, after)
        newly_passing = [f"{key}: {before[key].status} → pass" for key, f in after.items()
                         if f.status == "pass" and key in before and before[key].status != "pass"]
        assert flips + newly_passing == [], f"{profile} {forgery}: " + "; ".join(
            flips + newly_passing)
