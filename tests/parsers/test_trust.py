"""dumpsys trust → lock.trust_agents, lock.device_locked for the current user."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from droidaudit.decode import decode
from droidaudit.facts import Fact
from droidaudit.parsers.trust import parse_trust

FIXTURES = Path(__file__).parent / "fixtures" / "dumpsys_trust"
GOOGLE_AGENT = "com.google.android.gms/.auth.trustagent.GoogleTrustAgent"


def _facts(name: str) -> dict[str, Fact]:
    text = decode((FIXTURES / name).read_bytes())
    return {fact.name: fact for fact in parse_trust(text)}


def test_trust_android9_google_agent_and_device_locked() -> None:
    facts = _facts("android9_TrustManagerService.txt")
    assert facts["lock.trust_agents"].value == [GOOGLE_AGENT]
    assert facts["lock.device_locked"].value is True
    assert 'User "Owner" (id=0' in facts["lock.trust_agents"].evidence[0]


def test_trust_android14_trust_state_format_unlocked() -> None:
    facts = _facts("android14_TrustManagerService.txt")
    assert facts["lock.trust_agents"].value == [GOOGLE_AGENT]
    assert facts["lock.device_locked"].value is False


def test_trust_android14_empty_agent_list_is_known_empty() -> None:
    facts = _facts("android14-noagents_TrustManagerService.txt")
    assert facts["lock.trust_agents"].value == []
    assert facts["lock.device_locked"].value is True


def test_trust_agent_detail_lines_are_not_agents() -> None:
    agents = _facts("android9_TrustManagerService.txt")["lock.trust_agents"].value
    assert all("bound=" not in agent for agent in agents)


def test_trust_disabled_before_apps_run_is_unknown() -> None:
    facts = _facts("android9-early_TrustManagerService.txt")
    assert facts["lock.trust_agents"].value is None
    assert facts["lock.device_locked"].value is None
    assert "third-party apps" in facts["lock.trust_agents"].note


def test_trust_uses_current_user_not_first_user() -> None:
    text = (' User "Owner" (id=0, flags=0x13): trusted=0, trustManaged=0, deviceLocked=1\n'
            "   Enabled agents:\n   Events:\n\n"
            ' User "Guest" (id=11, flags=0x14) (current): trusted=0, trustManaged=1, '
            "deviceLocked=0\n   Enabled agents:\n    com.example/.Agent\n   Events:\n")
    facts = {fact.name: fact for fact in parse_trust(text)}
    assert facts["lock.trust_agents"].value == ["com.example/.Agent"]
    assert facts["lock.device_locked"].value is False


@given(st.text(), st.sampled_from(["", ' User "x" (id=0, flags=0x0) (current): deviceLocked=']))
def test_trust_never_raises_on_any_text(tail: str, prefix: str) -> None:
    text = prefix + tail
    parse_trust(text)
