"""Speed work must not change a fact (issue 15): decoding and parsing a piece at a time
gives exactly what decoding and parsing the whole dump gives, wherever the cuts fall."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from droidaudit.decode import decode, decode_pieces
from droidaudit.parsers import dumpsys_package
from droidaudit.parsers.dumpsys_package import parse_dumpsys_package, parse_dumpsys_package_data
from tests.corpus import CORPUS

ROOT = Path(__file__).parents[2]
DUMPS = sorted([*CORPUS.glob("*/dumpsys/package*.txt"),
                ROOT / "fixtures" / "demo-pixel7-a14" / "probes" / "dumpsys_package.txt"])
# Bytes that matter at a cut: line ends, carriage returns, NULs, broken UTF-8, a BOM.
_TRICKY = st.lists(st.sampled_from([b"\n", b"\r", b"\r\n", b"\r\r\n", b"\x00", b"\xe2\x82",
                                    b"\xe2\x82\xac", b"\xff", b"ab", b" ", b"\xef\xbb\xbf"]),
                   max_size=60).map(b"".join)


@given(_TRICKY, st.integers(min_value=1, max_value=16))
@settings(max_examples=400)
def test_decoding_in_pieces_is_decoding_whole(data: bytes, size: int) -> None:
    assert "".join(decode_pieces(data, size)) == decode(data)


@pytest.mark.parametrize("path", DUMPS, ids=lambda p: p.parent.parent.name or p.name)
@pytest.mark.parametrize("piece", [64, 4096])
def test_package_facts_are_the_same_in_pieces_as_whole(path: Path, piece: int,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    data = path.read_bytes()
    whole = parse_dumpsys_package(decode(data))
    monkeypatch.setattr(dumpsys_package, "_PIECE", piece)  # cut text pieces small too
    assert parse_dumpsys_package(decode(data)) == whole
    blocks = list(decode_pieces(data, piece))
    assert "".join(blocks) == decode(data)
    monkeypatch.setattr(dumpsys_package, "decode_pieces", lambda d: iter(blocks))
    assert parse_dumpsys_package_data(data) == whole


def test_output_without_a_packages_section_reads_the_same_from_bytes() -> None:
    data = b"Can't find service: package\n"
    assert parse_dumpsys_package_data(data) == parse_dumpsys_package(decode(data))
