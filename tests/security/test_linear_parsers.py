"""Item 8: every parser is linear in its input. For each parser, the worst shape found
(tests/security/hostile.py) is parsed at n and 4n characters: the time must grow about
4x (a quadratic parser's grows 16x), and 400 KB must parse well under a second. Before the fix
the worst of these took 5–29 s at 40–80 KB. A hypothesis strategy builds long lines and
repetitive structures from each parser's own tokens; none may raise or take long."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from droidaudit.parsers.registry import PARSERS
from droidaudit.sources.dumpsys_sections import split_services
from tests.security.hostile import BIG_INPUTS

SMALL, LARGE = 200_000, 800_000  # 4x the input: linear → ~4x the time, quadratic → ~16x


def _timed(work: Callable[[], object]) -> float:
    """CPU seconds (not wall time: a loaded machine must not fail the test), best of five,
    with the cyclic GC paused: its full collections grow with the number of live objects
    and would hide the parser's own growth."""
    best = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(5):
            start = time.process_time()
            work()
            best = min(best, time.process_time() - start)
    finally:
        gc.enable()
    return best


def _seconds(probe: str, text: str) -> float:
    return _timed(lambda: PARSERS[probe](text))


@pytest.mark.parametrize("probe", sorted(BIG_INPUTS))
def test_parser_time_grows_linearly_with_the_input(probe: str) -> None:
    make = BIG_INPUTS[probe]
    small, large = _seconds(probe, make(SMALL)), _seconds(probe, make(LARGE))
    assert large < 3.0, f"{probe}: {large:.2f} s for {LARGE // 1000} KB"
    # Below 0.1 s a busy machine's noise dominates; above it a quadratic parser shows a
    # ratio near 16 (the old ones took 5-30 s at 40-80 KB, far past the bound above).
    assert large < 0.1 or large / small < 10, f"{probe}: {small:.3f} s → {large:.3f} s"


def test_split_services_is_linear_in_headers() -> None:
    def dump(n: int) -> bytes:
        return b"".join(b"DUMP OF SERVICE s%d:\nx\n" % i for i in range(n))

    small_dump, large_dump = dump(10_000), dump(40_000)
    small = _timed(lambda: split_services(small_dump))
    large = _timed(lambda: split_services(large_dump))
    assert large < 3.0 and (large < 0.1 or large / small < 10)


TOKENS = ["package:", "a.b", "=", " ", "  ", "installer=", "uid:1", "<map>", "</map>", "<map/>",
          '<boolean name="k" value="true" />', "User ", "0", ":", "\n", "{", "}", "/", "a",
          '"', "(id=0, flags=0x1)", "Enabled services:{", "User state[", "flags=[ SYSTEM ]",
          "  Package [a.b] (1):", "Packages:", "versionName=", "[ro.x]: [", "]", "@", "\t",
          "granted=true", "CredentialType: PIN", "DUMP OF SERVICE x:"]


@st.composite
def repetitive(draw: st.DrawFn) -> str:
    """A few tokens, each repeated many times: long lines and repeated structures."""
    parts = draw(st.lists(st.tuples(st.sampled_from(TOKENS), st.integers(1, 3000)),
                          min_size=1, max_size=6))
    return "".join(token * count for token, count in parts)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=repetitive())
def test_no_parser_raises_or_stalls_on_long_repetitive_input(text: str) -> None:
    for probe, parse in PARSERS.items():
        start = time.process_time()
        parse(text)
        assert time.process_time() - start < 1.0, (probe, len(text))
