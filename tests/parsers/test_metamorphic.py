"""Every parser on OEM-style variants of every real output (corpus, fixtures, demo phone):
the facts stay the same or become unknown with a note, never another value.

Named variants run as regular tests; hypothesis combines mutations, seeds and encodings.
`READ_EXACTLY` states, per parser, the variations it must read to the same facts (not
merely stay safe on): that is the layout each parser accepts. The totals print with -s.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from droidaudit.decode import decode
from tests.parsers.metamorphic import ENCODINGS, MUTATIONS, variant
from tests.parsers.metamorphic_samples import (
    Sample,
    changed,
    lost,
    parse,
    samples,
    unexplained,
)

SAMPLES = samples()
COUNT = {"variants": 0}

LAYOUT = ("deeper", "shifted", "shallower", "tabs", "children_at_header_indent",
          "reverse_blocks", "shuffle_blocks", "reverse_sections", "vendor_lines",
          "vendor_after_headers", "vendor_section", "enum_case", "trailing_spaces",
          "blank_lines", "wide_spacing", "linker_warning")
ALL = (*LAYOUT, "flush_left")
# One answer per line, nothing else: an unknown line means the command did not answer
# (bionic's linker warnings excepted).
STRICT = tuple(m for m in ALL if not m.startswith("vendor"))

# Per parser, the mutations after which it must still read every fact (encodings: always).
# A mutation left out may turn facts unknown (with a note), never into another value; the
# reason each is left out is beside it.
READ_EXACTLY: dict[str, tuple[str, ...]] = {
    "getprop": ALL,
    "settings_global": ALL,
    "settings_secure": ALL,
    "settings_system": ALL,
    "dumpsys_lock_settings": ALL,
    "dumpsys_trust": ALL,
    "dumpsys_backup": ALL,
    "bmgr_enabled": ALL,
    "dumpsys_device_policy": ALL,
    "dumpsys_window_policy": ALL,
    "dumpsys_accessibility": ALL,
    # Settings.dumpPackageLPr prints explicit prefix strings (not an IndentingPrintWriter),
    # so no build prints a package's lines level with its `Package [` header; were one to,
    # install and runtime grants (and where a block ends) could not be told apart.
    "dumpsys_package": tuple(m for m in LAYOUT if m != "children_at_header_indent"),
    "sms_role": STRICT,
    "which_su": STRICT,
    "getenforce": STRICT,
    "packages_third_party": STRICT,
    "appops_install_unknown": STRICT,
    "appops_overlay": STRICT,
    "appops_usage_stats": STRICT,
    "packages": ALL,
    "users": ALL,
    "dumpsys_fingerprint": ALL,
    "dumpsys_face": ALL,
    "dumpsys_role": ALL,
    # XML: elements moved out of <map> are not preferences.
    "mms_prefs_legacy": tuple(m for m in ALL if m != "reverse_sections"),
    "mms_prefs_bugle_subs": tuple(m for m in ALL if m != "reverse_sections"),
    "mms_prefs_bugle": tuple(m for m in ALL if m != "reverse_sections"),
    "mms_prefs_samsung": tuple(m for m in ALL if m != "reverse_sections"),
}


def _check(sample: Sample, mutations: tuple[str, ...], seed: int, encoding: str,
           exact: bool) -> list[str]:
    text = decode(sample.data)
    original = parse(sample.probe, sample.data)
    mutated = parse(sample.probe, variant(sample.probe, text, mutations, seed, encoding))
    COUNT["variants"] += 1
    label = f"{'+'.join(mutations) or 'as is'} ({encoding}, seed {seed})"
    problems = [f"{label}: {p}" for p in changed(original, mutated)]
    problems += [f"{label}: {name} unknown with no note" for name in
                 unexplained(original, mutated)]
    if exact:
        problems += [f"{label}: {name} no longer read" for name in lost(original, mutated)]
    return problems


# Single real outputs on which a mutation says nothing about the parser: (sample, mutation).
NOT_EXACT_FOR: dict[tuple[str, str], str] = {
    ("corpus/mvt-fixture-samsung-a40-edited/dumpsys/accessibility.txt", "reverse_sections"):
        "a value wrapped onto a column-0 line (`fals` / `e`) reads as a section title, so the "
        "mutation tears the user block apart",
}


def _exact(sample: Sample, mutations: tuple[str, ...]) -> bool:
    accepted = READ_EXACTLY.get(sample.probe, ())
    return all(m in accepted and (sample.label, m) not in NOT_EXACT_FOR for m in mutations)


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.label for s in SAMPLES])
def test_named_variants_read_the_same_facts_or_unknown(sample: Sample) -> None:
    problems: list[str] = []
    for name in MUTATIONS:
        for seed in (0, 1):
            problems += _check(sample, (name,), seed, "utf8", _exact(sample, (name,)))
    for encoding in ENCODINGS:
        problems += _check(sample, (), 0, encoding, exact=True)
        problems += _check(sample, ("deeper", "vendor_lines"), 0, encoding,
                           _exact(sample, ("deeper", "vendor_lines")))
    assert problems == [], f"{sample.label}:\n  " + "\n  ".join(problems)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SAMPLES),
       st.lists(st.sampled_from(sorted(MUTATIONS)), min_size=1, max_size=3),
       st.integers(0, 2**16), st.sampled_from(sorted(ENCODINGS)))
def test_combined_variants_never_change_a_fact(sample: Sample, mutations: list[str],
                                               seed: int, encoding: str) -> None:
    """Any mix of mutations: facts the same or unknown with a note (the safety half only:
    two mutations together may rightly defeat what each alone is read through)."""
    assert _check(sample, tuple(mutations), seed, encoding, exact=False) == []


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SAMPLES), st.sampled_from(sorted(MUTATIONS)), st.integers(0, 2**16),
       st.sampled_from(sorted(ENCODINGS)))
def test_one_accepted_variation_at_any_place_reads_every_fact(
        sample: Sample, mutation: str, seed: int, encoding: str) -> None:
    """A variation the parser accepts (READ_EXACTLY), wherever the seed puts it (which block
    moves, where vendor lines go): every fact still read, and the same."""
    assert _check(sample, (mutation,), seed, encoding, _exact(sample, (mutation,))) == []


def test_every_parser_with_a_real_output_states_the_layouts_it_accepts() -> None:
    assert {s.probe for s in SAMPLES} - set(READ_EXACTLY) == set()


def test_variant_totals() -> None:
    if COUNT["variants"] == 0:
        pytest.skip("the variant tests did not run in this session")
    print(f"\nmetamorphic: {len(SAMPLES)} real outputs, {COUNT['variants']} variants checked")
