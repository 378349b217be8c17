"""One parsed screen (parsers.ui_dump) → the MMS auto-download switches it shows, or why not.

Pure. Finds a row by its title's exact label (rules.ui_labels: normalized, never a
substring), roaming labels checked with the auto labels in one lookup so that "Roaming
auto-retrieve" can never be read as "Auto-retrieve"; the row is the title's nearest
clickable ancestor (framework and androidx preference rows are clickable LinearLayouts;
a Compose row is one merged, checkable node), and it must hold exactly one checkable node,
whose `checked` and `enabled` are the reading. Anything else gives a reason code, never a
guessed value: the lock screen (`phone_locked`), another app (`wrong_screen`), no label
(`label_not_found`), two switches in a row or a label in two rows of different roles
(`ambiguous_switch`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from droidaudit.package_names import PACKAGE_NAME
from droidaudit.parsers.ui_dump import Dump, Node
from droidaudit.ui_labels import (
    AppLabels,
    LabelTable,
    best_locale,
    label_roles,
    normalize,
)

SYSTEMUI = "com.android.systemui"  # keyguard, notification shade, bouncer


@dataclass(frozen=True)
class SwitchRow:
    """One matched switch: what the decision used, and nothing else of the screen."""

    role: str  # "auto" or "roaming"
    label: str  # the row title as shown (equal to a table label after normalize())
    locales: tuple[str, ...]  # table locales that give this label this role
    checked: bool
    enabled: bool
    resource_id: str  # the switch node's id ('' for Compose without test tags)
    class_name: str


@dataclass(frozen=True)
class Reading:
    """The switches one dump showed (possibly none), or the reason it showed none."""

    package: str
    rows: tuple[SwitchRow, ...] = ()
    reason: str = ""  # '' when the auto switch was read
    detail: str = ""
    screen: str = ""  # a short digest of the screen's texts: tells two SIMs' screens apart

    def of(self, role: str) -> tuple[SwitchRow, ...]:
        return tuple(row for row in self.rows if row.role == role)


def read_screen(dump: Dump, package: str, table: LabelTable,
                locale: str | None = None) -> Reading:
    """The MMS switches of `package` on this dump (locale: the phone's, for tie-breaks)."""
    if dump.root is None:
        return Reading(package, reason=dump.reason, detail=dump.detail)
    front = dump.root.package
    if front == SYSTEMUI:
        return Reading(package, reason="phone_locked",
                       detail="the lock screen or notification shade is in front")
    if front != package:
        shown = front if PACKAGE_NAME.match(front) else "another app"
        return Reading(package, reason="wrong_screen", detail=f"{shown} is in front")
    apps = table.for_package(package)
    if not apps:
        return Reading(package, reason="unsupported_app",
                       detail="no label table for this SMS app")
    return _match(dump.root, package, apps, locale)


def _match(root: Node, package: str, apps: tuple[AppLabels, ...],
           locale: str | None) -> Reading:
    roles = label_roles(apps)
    locales = sorted({name for app in apps for name in app.locales})
    preferred = best_locale(locales, locale)
    found: dict[int, SwitchRow] = {}
    seen_rows: dict[int, str] = {}
    for node in root.walk():
        label = node.text if node.text.strip() else node.content_desc
        role_locales = roles.get(normalize(label)) if label.strip() else None
        if not role_locales:
            continue
        role = _one_role(role_locales, preferred)
        if role is None:
            return _ambiguous(package, f"{label!r} is an auto label in one locale and a "
                              "roaming label in another")
        row = _row(node)
        switches = [n for n in row.walk() if n.checkable] if row is not None else []
        if len(switches) != 1:
            return _ambiguous(package, f"{len(switches)} switches in the row of a label")
        if seen_rows.setdefault(id(row), role) != role:
            return _ambiguous(package, "one row holds both an auto and a roaming label")
        switch = switches[0]
        found.setdefault(id(switch), SwitchRow(
            role, label, tuple(sorted(role_locales[role])), switch.checked, switch.enabled,
            switch.resource_id, switch.class_name))
    rows = tuple(found.values())
    reading = Reading(package, rows, screen=_digest(root))
    if not reading.of("auto"):
        return Reading(package, rows, "label_not_found",
                       "no auto-download switch on this screen (another screen, a row "
                       "scrolled off, or an unknown language or app version)", reading.screen)
    return reading


def _one_role(role_locales: dict[str, set[str]], preferred: str | None) -> str | None:
    """The label's role; across locales a clash is settled by the phone's locale only."""
    if len(role_locales) == 1:
        return next(iter(role_locales))
    matching = [role for role, names in role_locales.items() if preferred in names]
    return matching[0] if len(matching) == 1 else None


def _row(label: Node) -> Node | None:
    """The preference row of a title: itself when checkable (Compose merged semantics), its
    nearest clickable ancestor, else the nearest ancestor holding any checkable node."""
    if label.checkable:
        return label
    ancestors = label.ancestors()
    for node in ancestors:
        if node.clickable:
            return node
    for node in ancestors:
        if any(n.checkable for n in node.walk()):
            return node
    return None


def _ambiguous(package: str, detail: str) -> Reading:
    return Reading(package, reason="ambiguous_switch", detail=detail)


def _digest(root: Node) -> str:
    """Twelve hex digits over the texts outside any scrolling list (the toolbar title): two
    SIMs' settings screens titled by SIM differ, the same screen scrolled does not, so a
    screen read twice never counts as two SIMs. The texts themselves are never kept."""
    fixed = [n for n in root.walk()
             if not n.scrollable and not any(a.scrollable for a in n.ancestors())]
    texts = "\x00".join(n.text for n in fixed)
    return hashlib.sha256(texts.encode("utf-8", errors="replace")).hexdigest()[:12]
