"""Read a report.json back (to re-render it, or to compare two scans). Accepts only the
droidaudit-report/1 format; anything else, or a field of the wrong type, is a plain error
that names the field (a report.json may come from anyone)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from droidaudit.facts import Fact, FactSet
from droidaudit.report.json_report import REPORT_FORMAT
from droidaudit.report.model import ScanReport
from droidaudit.rules.model import STATUSES, Finding
from droidaudit.sources.base import SourceError

MAX_REPORT_BYTES = 256 * 1024 * 1024


class _Damaged(ValueError):
    """A field has the wrong type; the message names it."""


def load_report(path: Path) -> ScanReport:
    try:
        if path.stat().st_size > MAX_REPORT_BYTES:
            raise SourceError(f"{path} is larger than {MAX_REPORT_BYTES // 2**20} MiB")
        data = json.loads(path.read_text(encoding="utf-8"))
    except RecursionError as exc:
        raise SourceError(f"cannot read {path}: JSON nested too deeply") from exc
    except (OSError, ValueError) as exc:
        raise SourceError(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != REPORT_FORMAT:
        raise SourceError(f"{path} is not a droidaudit report ({REPORT_FORMAT})")
    try:
        return _report(data)
    except (_Damaged, KeyError, TypeError, ValueError) as exc:
        raise SourceError(f"{path} is a damaged droidaudit report: {exc}") from exc


def _get(data: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str,
         default: Any = None, required: bool = False) -> Any:
    if key not in data:
        if required:
            raise _Damaged(f"`{where}{key}` is missing")
        return default
    value = data[key]
    if value is None and not required:
        return default
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in (
            kind if isinstance(kind, tuple) else (kind,))):
        names = "/".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
        raise _Damaged(f"`{where}{key}` must be {names}, not {type(value).__name__}")
    return value


def _strings(data: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    values = _get(data, key, list, where, [])
    return tuple(str(v) for v in values)


def _report(data: dict[str, Any]) -> ScanReport:
    facts = FactSet()
    sources = _get(data, "fact_sources", dict, "", {})
    for name, value in _get(data, "facts", dict, "", required=True).items():
        source = sources.get(name, {})
        if not isinstance(source, dict):
            raise _Damaged(f"`fact_sources.{name}` must be an object")
        facts.add(Fact(name, value, str(source.get("probe", "")),
                       _strings(source, "evidence", f"fact_sources.{name}."),
                       str(source.get("note", ""))))
    findings = [_finding(f, n) for n, f in
                enumerate(_get(data, "findings", list, "", required=True))]
    return ScanReport(device=dict(_get(data, "device", dict, "", required=True)),
                      scanned_at=str(data.get("scanned_at", "")),
                      origin=str(data.get("origin", "")), profile=str(data.get("profile", "")),
                      facts=facts, findings=findings,
                      rules_version=str(data.get("rules_version", "")),
                      tool_version=str(data.get("tool_version", "")),
                      capture_dir=str(data.get("capture", "")),
                      warnings=list(_strings(data, "warnings", "")),
                      incomplete=list(_strings(data, "incomplete", "")),
                      handover={str(k): str(v) for k, v in
                                _get(data, "handover", dict, "", {}).items()},
                      started_at=str(data.get("started_at", "")))


def _finding(raw: Any, index: int) -> Finding:
    where = f"findings[{index}]."
    if not isinstance(raw, dict):
        raise _Damaged(f"`findings[{index}]` must be an object, not {type(raw).__name__}")
    status = _get(raw, "status", str, where, required=True)
    if status not in STATUSES:
        raise _Damaged(f"`{where}status` is {status[:40]!r}, not one of {', '.join(STATUSES)}")
    item = _get(raw, "item", (str, int, float), where, None)
    oem = _get(raw, "remediation_oem", dict, where, {})
    return Finding(
        rule=str(_get(raw, "rule", str, where, required=True)),
        title=str(raw.get("title", "")), area=str(raw.get("area", "")),
        severity=str(raw.get("severity", "")), status=status,
        detail=str(raw.get("detail", "")),
        evidence=_strings(raw, "evidence", where), facts=_strings(raw, "facts", where),
        item=None if item is None else str(item), rationale=str(raw.get("rationale", "")),
        remediation=str(raw.get("remediation", "")),
        remediation_oem={str(k): str(v) for k, v in oem.items()},
        references=_strings(raw, "references", where), manual=str(raw.get("manual", "")),
        headline=str(raw.get("headline", "")), found=str(raw.get("found", "")))
