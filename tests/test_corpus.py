"""Every real phone in the shared corpus parses without an exception, as it is."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from droidaudit.decode import decode
from droidaudit.facts.derive import extract_facts
from droidaudit.parsers.registry import PARSERS
from tests.corpus import CORPUS, capture_from_profile, corpus_files, corpus_profiles

PROFILES = corpus_profiles()
pytestmark = pytest.mark.skipif(not PROFILES, reason=f"no corpus at {CORPUS} (set DROIDAUDIT_CORPUS)")


@pytest.mark.parametrize("profile", PROFILES, ids=[p.name for p in PROFILES])
def test_every_parser_survives_every_corpus_file(profile: Path) -> None:
    for path in corpus_files(profile):
        text = decode(path.read_bytes())
        for parse in PARSERS.values():
            parse(text)  # must not raise, whatever the file is


@pytest.mark.parametrize("profile", PROFILES, ids=[p.name for p in PROFILES])
def test_profile_extracts_facts_without_parser_errors(profile: Path) -> None:
    facts = extract_facts(capture_from_profile(profile), datetime(2026, 11, 24, tzinfo=UTC))
    errors = [f"{f.name}: {f.value}" for f in facts if f.name.startswith("_error.")]
    assert errors == []
    meta = json.loads((profile / "meta.json").read_text())
    assert facts.value("os.sdk") == meta.get("sdk")
    assert facts.value("os.security_patch") == meta.get("security_patch")
