"""Every registered parser, on arbitrary text and on mutated real outputs: never raises,
and never returns a known value without the evidence (or, for a reading from absence,
the note) it rests on."""

import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from droidaudit.decode import decode
from droidaudit.facts import Fact
from droidaudit.parsers.registry import PARSERS

DEMO = Path(__file__).parents[2] / "fixtures" / "demo-pixel7-a14" / "probes"
SAMPLES = {p.stem: p.read_bytes() for p in sorted(DEMO.glob("*.txt"))}


def check(facts: list[Fact]) -> None:
    for fact in facts:
        assert isinstance(fact, Fact)
        if fact.value is not None and not fact.name.startswith("_"):
            # A reading from absence ("no Device Owner section") must say so in its note.
            assert fact.evidence or fact.note, f"{fact.name} has a value but no evidence"


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    text = decode(data)
    for parse in PARSERS.values():
        check(parse(text))


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(SAMPLES)), st.integers(min_value=0), st.integers(0, 2**32),
       st.sampled_from(["truncate", "shuffle", "utf16", "latin1", "drop"]))
def test_mutated_real_outputs_never_raise(name: str, cut: int, seed: int, how: str) -> None:
    data = SAMPLES[name]
    if how == "truncate":
        data = data[: cut % (len(data) + 1)]
    elif how == "shuffle":
        lines = data.split(b"\n")
        random.Random(seed).shuffle(lines)
        data = b"\n".join(lines)
    elif how == "utf16":
        data = data.decode("utf-8", "replace").encode("utf-16-be")  # wrong byte order, no BOM
    elif how == "latin1":
        data = data.decode("utf-8", "replace").encode("latin-1", "replace")
    else:
        lines = data.split(b"\n")
        data = b"\n".join(line for i, line in enumerate(lines) if (i + seed) % 3)
    text = decode(data)
    for parse in PARSERS.values():
        check(parse(text))
