"""dumpsys fingerprint / face → enrolled biometrics per user, and lock.biometrics_enrolled."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from droidaudit.capture import Capture, ProbeOutput
from droidaudit.facts import FactSet
from droidaudit.facts.attest import parse_attestation
from droidaudit.facts.derive import extract_facts
from droidaudit.parsers.biometrics import parse_face, parse_fingerprint

FIXTURES = Path(__file__).parent / "fixtures"
FP = FIXTURES / "dumpsys_fingerprint"
FACE = FIXTURES / "dumpsys_face"
NOW = datetime(2024, 6, 20, tzinfo=UTC)


def reading(path: Path) -> object:
    parse = parse_face if path.parent == FACE else parse_fingerprint
    [fact] = parse(path.read_text())
    return fact.value


@pytest.mark.parametrize(("name", "users"), [
    ("android9_FingerprintService.txt", [{"user": 0, "count": 2}]),
    ("android7-none_FingerprintService.txt", [{"user": 0, "count": 0}]),
    ("android14-workprofile_FingerprintProvider.txt",
     [{"user": 0, "count": 1}, {"user": 10, "count": 0}]),
])
def test_fingerprint_enrolment_counts_per_user(name: str, users: list[dict[str, int]]) -> None:
    assert reading(FP / name) == {"service": True, "users": users}


def test_a_phone_without_the_service_has_none_enrolled() -> None:
    assert reading(FP / "android8-nohardware_dumpsys.txt") == {"service": False, "users": []}
    assert reading(FACE / "android9-noservice_dumpsys.txt") == {"service": False, "users": []}


def test_a_cut_json_line_is_unknown_with_a_note() -> None:
    [fact] = parse_fingerprint((FP / "android9-cut_FingerprintService.txt").read_text())
    assert fact.value is None and "no enrolment line" in fact.note


def test_a_set_without_count_is_unknown() -> None:
    [fact] = parse_face('{"service":"Face10","prints":[{"id":0}]}\n')
    assert fact.value is None and "without a user id and count" in fact.note


def test_counts_of_several_sensors_add_up() -> None:
    line = '{"service":"FingerprintProvider","prints":[{"id":0,"count":1}]}'
    [fact] = parse_fingerprint(f"Dumping for sensorId: 0\n{line}\nDumping for sensorId: 1\n{line}\n")
    assert fact.value == {"service": True, "users": [{"user": 0, "count": 2}]}


def note(facts: FactSet, name: str) -> str:
    fact = facts.get(name)
    assert fact is not None
    return str(fact.note)


def scan(fingerprint: str | None, face: str | None, attest: str = "") -> FactSet:
    capture = Capture(started="2024-06-20T09:29:58Z")
    for probe, name in (("dumpsys_fingerprint", fingerprint), ("dumpsys_face", face)):
        if name is not None:
            folder = FP if probe == "dumpsys_fingerprint" else FACE
            capture.add(ProbeOutput(probe, probe.replace("_", " "),
                                    (folder / name).read_bytes(), 0))
    attestations = [parse_attestation(attest, "--attest", "2024-06-20")] if attest else []
    return extract_facts(capture, NOW, attestations)


def test_an_enrolled_fingerprint_is_enough() -> None:
    facts = scan("android9_FingerprintService.txt", None)
    assert facts.value("lock.biometrics_enrolled") is True
    assert facts.value("lock.biometrics") == [{"user": 0, "fingerprints": 2, "faces": None}]


def test_none_enrolled_needs_both_services_read() -> None:
    facts = scan("android7-none_FingerprintService.txt", "android10-none_FaceService.txt")
    assert facts.value("lock.biometrics_enrolled") is False
    assert "maker's own face unlock" in note(facts, "lock.biometrics_enrolled")
    assert scan("android7-none_FingerprintService.txt", None).value(
        "lock.biometrics_enrolled") is None
    assert scan("android7-none_FingerprintService.txt", "android9-noservice_dumpsys.txt").value(
        "lock.biometrics_enrolled") is False


def test_an_unreadable_face_dump_leaves_none_enrolled_unknown() -> None:
    facts = scan("android7-none_FingerprintService.txt", "android9-noservice_dumpsys.txt")
    assert facts.value("lock.biometrics") == [{"user": 0, "fingerprints": 0, "faces": 0}]
    facts = scan("android8-nohardware_dumpsys.txt", None)
    assert facts.value("lock.biometrics_enrolled") is None
    assert "faces could not be read" in note(facts, "lock.biometrics_enrolled")


def test_work_profile_users_are_listed() -> None:
    facts = scan("android14-workprofile_FingerprintProvider.txt", "android14_FaceProvider.txt")
    assert facts.value("lock.biometrics") == [{"user": 0, "fingerprints": 1, "faces": 1},
                                              {"user": 10, "fingerprints": 0, "faces": None}]
    fact = facts.get("lock.biometrics_enrolled")
    assert fact is not None and fact.source == "dumpsys_fingerprint+dumpsys_face"


def test_the_phones_answer_comes_before_an_attestation() -> None:
    facts = scan("android9_FingerprintService.txt", None, "lock.biometrics_enrolled=off")
    assert facts.value("lock.biometrics_enrolled") is True
