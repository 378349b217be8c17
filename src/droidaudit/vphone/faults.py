"""Faults the virtual phone injects on demand, to test how the scanner copes with a phone
that drops, hangs, never authorises or answers slowly.

Spelling (CLI `--fault`, `VirtualPhone(faults=[...])`):
  drop-after:N   close the TCP connection after N bytes of shell output
  hang           accept TCP, never answer CNXN
  hang-open      answer CNXN, never answer OPEN
  unauthorized   answer CNXN with AUTH and never accept the key
  latency:MS     wait MS milliseconds before sending each packet
A fault never makes the phone write anything: it only withholds or delays answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

FAULT_HELP = "drop-after:N, hang, hang-open, unauthorized, latency:MS"


@dataclass(frozen=True)
class Faults:
    drop_after: int | None = None
    hang: bool = False
    hang_open: bool = False
    unauthorized: bool = False
    latency_ms: int = 0

    @property
    def latency_s(self) -> float:
        return self.latency_ms / 1000.0


def parse_faults(specs: Iterable[str] | Faults | None) -> Faults:
    """Read fault specs; raise ValueError naming the bad one."""
    if isinstance(specs, Faults):
        return specs
    values: dict[str, object] = {}
    for spec in specs or ():
        name, _, argument = spec.strip().partition(":")
        if name in ("hang", "hang-open", "unauthorized") and not argument:
            values[name.replace("-", "_")] = True
        elif name == "drop-after":
            values["drop_after"] = _count(spec, argument)
        elif name == "latency":
            values["latency_ms"] = _count(spec, argument)
        else:
            raise ValueError(f"unknown fault {spec!r}; use {FAULT_HELP}")
    return Faults(**values)  # type: ignore[arg-type]


def _count(spec: str, argument: str) -> int:
    if not argument.isdigit():
        raise ValueError(f"fault {spec!r} needs a whole number, e.g. {spec.split(':')[0]}:100")
    return int(argument)


class Dropped(Exception):
    """The drop-after fault closed the connection."""
