"""'Do these first': at most five actions, each a plain sentence with the exact path on this
phone's maker, ordered by impact, where one action may close several findings (removing one
app closes everything that app causes; installing updates closes every patch finding).

Actions come from findings that fail, and from serious checks a person must do by hand
(MMS auto-download); an unread check is never turned into an action that implies it passed."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from droidaudit.report.apps_view import AppRow
from droidaudit.report.model import headline, severity_rank, sort_findings
from droidaudit.rules.model import Finding

MAX_ACTIONS = 5
# Which remediation_oem key applies to a manufacturer (ro.product.manufacturer).
_OEM_KEYS = {"google": "google", "samsung": "samsung", "xiaomi": "xiaomi", "redmi": "xiaomi",
             "poco": "xiaomi"}
_WEIGHT = {"critical": 8, "high": 4, "medium": 2, "low": 1, "info": 0}
# Areas where one step closes every finding: what that step is, in a sentence.
_AREA_ACTIONS = {
    "patch": "Install every update the phone offers, then restart it.",
    "mms": "Turn off automatic MMS download in your messages app (and while roaming).",
}
_UNINSTALL = {
    "google": "Settings → Apps → See all apps → {app} → Uninstall",
    "samsung": "Settings → Apps → {app} → Uninstall",
    "xiaomi": "Settings → Apps → Manage apps → {app} → Uninstall",
    "": "Settings → Apps → {app} → Uninstall",
}
_DEVICE_ADMIN = {
    "google": "Settings → Security & privacy → More security & privacy → Device admin apps → "
              "{app} → Deactivate",
    "samsung": "Settings → Security and privacy → Other security settings → Device admin apps → "
               "{app} → Deactivate",
    "xiaomi": "Settings → Passwords & security → Privacy → Special app access → "
              "Device admin apps → {app} → Deactivate",
    "": "Settings → Security → Device admin apps → {app} → Deactivate",
}


@dataclass(frozen=True)
class Action:
    sentence: str  # what to do and why, in plain words
    steps: str  # where, on this phone (the maker's path when known)
    closes: tuple[Finding, ...]
    by_hand: bool = False  # a check the person makes on the phone, not a known failure

    @property
    def severity(self) -> str:
        return max((f.severity for f in self.closes), key=severity_rank)

    @property
    def impact(self) -> tuple[int, int]:
        return severity_rank(self.severity), sum(_WEIGHT.get(f.severity, 0) for f in self.closes)


def oem_key(manufacturer: object) -> str:
    return _OEM_KEYS.get(str(manufacturer or "").strip().lower(), "")


def steps_for(finding: Finding, oem: str) -> str:
    """The maker's path when the rule has one, else the manual steps or the remediation."""
    return (finding.remediation_oem.get(oem) if oem else "") or finding.manual \
        or finding.remediation


def first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(\s|$)", text.strip())
    return match.group(1) if match else text.strip()


def _remove_app(row: AppRow, oem: str) -> Action:
    named = f"{row.label} ({row.package})" if row.label else row.package
    abilities = list(row.abilities)
    can = (", ".join(abilities[:-1]) + " and " + abilities[-1]) if len(abilities) > 1 \
        else "".join(abilities)
    sentence = f"Remove {named}" + (f": it can {can}." if can else ".")
    steps = _UNINSTALL.get(oem, _UNINSTALL[""]).format(app=row.name)
    if "act as device admin" in row.special:
        admin = _DEVICE_ADMIN.get(oem, _DEVICE_ADMIN[""]).format(app=row.name)
        steps = f"{admin}; then {steps}"
    return Action(sentence, steps + ".", row.failed)


def _single(finding: Finding, oem: str) -> Action:
    by_hand = finding.status == "notchecked"
    sentence = (f"Check by hand: {headline(finding)}." if by_hand
                else first_sentence(finding.remediation) or headline(finding))
    return Action(sentence, steps_for(finding, oem), (finding,), by_hand)


def _area(area: str, findings: list[Finding], oem: str) -> Action:
    worst = sort_findings(findings)[0]
    by_hand = all(f.status == "notchecked" for f in findings)
    return Action(_AREA_ACTIONS[area], steps_for(worst, oem), tuple(findings), by_hand)


def _worth_removing(row: AppRow) -> bool:
    """Several problems, one of them serious: uninstalling beats revoking one by one."""
    return len(row.failed) >= 2 and severity_rank(row.worst) >= severity_rank("high")


def first_actions(findings: Sequence[Finding], rows: Sequence[AppRow], oem: str,
                  limit: int = MAX_ACTIONS) -> list[Action]:
    actions: list[Action] = []
    taken: set[int] = set()
    for row in rows:
        if _worth_removing(row):
            actions.append(_remove_app(row, oem))
            taken.update(id(f) for f in row.failed)
    serious_by_hand = [f for f in findings if f.status == "notchecked"
                       and severity_rank(f.severity) >= severity_rank("high")]
    candidates = [f for f in sort_findings([*findings]) if id(f) not in taken
                  and (f.status == "fail" or any(f is g for g in serious_by_hand))]
    for area in _AREA_ACTIONS:
        grouped = [f for f in candidates if f.area == area]
        if grouped:  # a by-hand MMS card joins its area's action with its siblings
            grouped += [f for f in findings if f.area == area and f.status == "notchecked"
                        and all(f is not g for g in grouped)]
            actions.append(_area(area, grouped, oem))
            taken.update(id(f) for f in grouped)
    actions += [_single(f, oem) for f in candidates if id(f) not in taken]
    ranked = sorted(enumerate(actions), key=lambda pair: (-pair[1].impact[0],
                                                          -pair[1].impact[1], pair[0]))
    return [action for _, action in ranked][:limit]
