"""`dumpsys fingerprint` and `dumpsys face` → how many fingerprints and faces each user enrolled.

Formats: the biometric services print one JSON line per sensor from `dumpInternal`, with a
`prints` array of per-user sets (`id` = user id, `count` = enrolled templates):
- Android 6 – 9: services/core/java/com/android/server/fingerprint/FingerprintService.java
  `{"service":"Fingerprint Manager","prints":[{"id":0,"count":2,"accept":5,...}]}`.
- Android 10: biometrics/fingerprint/FingerprintService.java and biometrics/face/
  FaceService.java, the same line (`"service":"Face Manager"` for faces, its array is
  also called `prints`), then `HAL Deaths: N`.
- Android 11 – 16: biometrics/sensors/fingerprint/hidl/Fingerprint21.java,
  aidl/FingerprintProvider.java, face/hidl/Face10.java, face/aidl/FaceProvider.java
  `dumpInternal(sensorId, pw)`: `Dumping for sensorId: 0, provider: ...`, the JSON line,
  `HAL deaths since last reboot: N`, then scheduler and usage lines. Several sensors: one
  line each; their counts add up.
- A phone without the hardware has no such service: dumpsys prints
  `Can't find service: fingerprint` (or `face`): nothing can be enrolled there.

Only the AOSP services are read: a maker's own face unlock outside the face service (older
Samsung and Xiaomi builds) is not seen. Samsung's fingerprint dump takes commands as
arguments (`removeFinger`): the probe sends none. This parser only reads the text; JSON
that does not parse, or a set without `count`, leaves the reading unknown.
"""

from __future__ import annotations

import json
from typing import Any

from droidaudit.facts import Fact

FINGERPRINT_PROBE = "dumpsys_fingerprint"
FACE_PROBE = "dumpsys_face"


def _json_sets(line: str) -> list[Any] | None:
    """The `prints` array of one dumpInternal JSON line, or None when it is not one."""
    start, end = line.find("{"), line.rfind("}")
    if start < 0 or end < start or '"prints"' not in line:
        return None
    try:
        dump = json.loads(line[start:end + 1])
    except ValueError:
        return None
    sets = dump.get("prints") if isinstance(dump, dict) else None
    return sets if isinstance(sets, list) else None


def _add_counts(counts: dict[int, int], sets: list[Any]) -> str:
    """Adds each set's count to its user; returns a problem, or ''."""
    for entry in sets:
        user = entry.get("id") if isinstance(entry, dict) else None
        count = entry.get("count") if isinstance(entry, dict) else None
        if not isinstance(user, int) or not isinstance(count, int) or count < 0:
            return f"a set without a user id and count: {json.dumps(entry)[:80]}"
        counts[user] = counts.get(user, 0) + count
    return ""


def _parse(probe: str, service: str, reading: str, text: str) -> list[Fact]:
    if f"Can't find service: {service}" in text:
        line = f"Can't find service: {service}"
        return [Fact(reading, {"service": False, "users": []}, probe, (line,),
                     f"no {service} service on this phone (no {service} hardware)")]
    counts: dict[int, int] = {}
    evidence: list[str] = []
    for line in text.split("\n"):
        sets = _json_sets(line)
        if sets is None:
            continue
        problem = _add_counts(counts, sets)
        if problem:
            return [Fact(reading, None, probe, (line.strip()[:200],), problem)]
        evidence.append(line.strip()[:200])
    if not evidence:
        first = text.strip().split("\n", 1)[0].strip()
        note = (f"no enrolment line (JSON with \"prints\") in dumpsys {service}: {first[:120]!r}"
                if first else f"dumpsys {service} printed nothing")
        return [Fact(reading, None, probe, (), note)]
    users = [{"user": user, "count": count} for user, count in sorted(counts.items())]
    return [Fact(reading, {"service": True, "users": users}, probe, tuple(evidence))]


def parse_fingerprint(text: str) -> list[Fact]:
    return _parse(FINGERPRINT_PROBE, "fingerprint", "_bio.fingerprint", text)


def parse_face(text: str) -> list[Fact]:
    return _parse(FACE_PROBE, "face", "_bio.face", text)
