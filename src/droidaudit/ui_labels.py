"""The MMS switch label table (`rules/data/mms_ui_labels.toml`): load, check, normalize.

A leaf module (data files and package names only), read by the parsers of a screen reading
and by the live flow; the rules stage is not involved.

Data, not rules: per messaging app, per locale, the exact titles of the auto-download and
roaming auto-download rows, the navigation words a person follows, the widget ids, and
the settings screens that may be opened with `am start` (only where the app's manifest
exports them, with the action its intent filter declares). `lint_table` refuses a table
that could make one switch read as the other; `load_table` never returns such a table.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from droidaudit.datafiles import builtin_data_file
from droidaudit.package_names import PACKAGE_NAME

TABLE_FORMAT = "droidaudit-mms-ui-labels/1"
TABLE_FILE = "mms_ui_labels.toml"  # under rules/data/: not a rule file
ROLES = ("roaming", "auto")  # roaming first: its label contains the auto label in English
ACTIVITY_NAME = re.compile(r"^\.?[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_$]+)*$")
ACTION_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$")
EXTRA_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u200e\u200f]")
_SPACES = re.compile(r"\s+")
_APP_KEYS = {"id", "package", "name", "source", "switch_ids", "path", "verified", "open",
             "locales", "locales_from"}
_OPEN_KEYS = {"activity", "action", "extras", "source"}


class LabelTableError(ValueError):
    """The label table is malformed or unsafe (a message with the app and locale)."""


def normalize(text: str) -> str:
    """The form labels are compared in: NFC, NBSP and runs of whitespace as one space,
    zero-width marks dropped, a trailing ':' dropped, case folded."""
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    text = _SPACES.sub(" ", _ZERO_WIDTH.sub("", text)).strip()
    return text.rstrip(":").rstrip().casefold()


@dataclass(frozen=True)
class Opener:
    """A settings screen the shell may start: exported, with its filter's action."""

    activity: str
    action: str
    extras: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class LocaleLabels:
    auto: tuple[str, ...]
    roaming: tuple[str, ...]
    nav: tuple[str, ...]

    def of(self, role: str) -> tuple[str, ...]:
        return self.roaming if role == "roaming" else self.auto


@dataclass(frozen=True)
class AppLabels:
    id: str
    package: str
    name: str
    source: str
    switch_ids: tuple[str, ...]
    path: str
    verified: bool
    opens: tuple[Opener, ...]
    locales: dict[str, LocaleLabels] = field(hash=False)

    def steps(self, locale: str | None) -> str:
        """The path a person follows, with the nav words of their locale (else English)."""
        labels = self.locales.get(best_locale(self.locales, locale) or "default")
        nav = labels.nav if labels else ()
        text = self.path
        for index, word in enumerate(nav):
            text = text.replace(f"{{nav{index}}}", f'"{word}"')
        return re.sub(r"\{nav\d+\}", "…", text)


@dataclass(frozen=True)
class LabelTable:
    apps: tuple[AppLabels, ...]

    def for_package(self, package: str) -> tuple[AppLabels, ...]:
        return tuple(app for app in self.apps if app.package == package)

    def opener(self, package: str, activity: str) -> Opener | None:
        for app in self.for_package(package):
            for opener in app.opens:
                if opener.activity == activity:
                    return opener
        return None


def resource_locale(tag: str) -> str:
    """An Android locale tag (`de-DE`, `zh-Hans-CN`, `in_ID`) in resource-qualifier form
    for the lookups here: language, and region as `-rXX` (`de-rDE`, `zh-rCN`)."""
    parts = [p for p in re.split(r"[-_]", tag.strip()) if p]
    if not parts:
        return ""
    language = {"id": "in", "he": "iw", "yi": "ji"}.get(parts[0].lower(), parts[0].lower())
    region = next((p for p in parts[1:] if len(p) == 2 and p.isalpha()), "")
    if not region and "Hant" in parts:
        region = "TW"
    elif not region and "Hans" in parts:
        region = "CN"
    return f"{language}-r{region.upper()}" if region else language


def best_locale(locales: Iterable[str], tag: str | None) -> str | None:
    """The table locale for a device locale tag: exact, else its language, else None."""
    if not tag:
        return None
    wanted = resource_locale(tag)
    names = set(locales)
    if wanted in names:
        return wanted
    language = wanted.split("-")[0]
    if language == "en" and "default" in names:
        return "default"
    if language in names:
        return language
    return next((name for name in sorted(names) if name.split("-")[0] == language), None)


# -- loading ----------------------------------------------------------------------------

def default_table_path() -> Path:
    return builtin_data_file(TABLE_FILE)


def load_table(path: Path | None = None) -> LabelTable:
    """Read and check the table; LabelTableError when it is malformed or unsafe."""
    path = path or default_table_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LabelTableError(f"{path}: {exc}") from exc
    table = parse_table(data)
    problems = lint_table(table)
    if problems:
        raise LabelTableError(f"{path}: " + "; ".join(problems))
    return table


def parse_table(data: dict[str, Any]) -> LabelTable:
    if data.get("format") != TABLE_FORMAT:
        raise LabelTableError(f"format must be {TABLE_FORMAT!r}")
    raw_apps = data.get("app")
    if not isinstance(raw_apps, list) or not raw_apps:
        raise LabelTableError("no [[app]] entries")
    by_id = {str(a.get("id")): a for a in raw_apps if isinstance(a, dict)}
    return LabelTable(tuple(_app(a, by_id) for a in raw_apps))


def _app(raw: Any, by_id: dict[str, Any]) -> AppLabels:
    if not isinstance(raw, dict):
        raise LabelTableError("an [[app]] entry is not a table")
    unknown = set(raw) - _APP_KEYS
    where = f"app {raw.get('id')!r}"
    if unknown:
        raise LabelTableError(f"{where}: unknown keys {sorted(unknown)}")
    package = _text(raw, "package", where)
    if not PACKAGE_NAME.match(package):
        raise LabelTableError(f"{where}: bad package {package!r}")
    donor = raw
    if "locales_from" in raw:
        donor = by_id.get(str(raw["locales_from"]), {})
        if "locales" not in donor:
            raise LabelTableError(f"{where}: locales_from names no app with locales")
    locales = donor.get("locales")
    if not isinstance(locales, dict) or "default" not in locales:
        raise LabelTableError(f"{where}: needs [app.locales] with a default locale")
    return AppLabels(
        id=_text(raw, "id", where), package=package, name=_text(raw, "name", where),
        source=_text(raw, "source", where),
        switch_ids=tuple(_strings(raw.get("switch_ids", []), f"{where} switch_ids")),
        path=_text(raw, "path", where), verified=raw.get("verified", True) is not False,
        opens=tuple(_opener(o, where) for o in raw.get("open", [])),
        locales={str(k): _locale(v, f"{where} locale {k}") for k, v in locales.items()})


def _opener(raw: Any, where: str) -> Opener:
    if not isinstance(raw, dict) or set(raw) - _OPEN_KEYS:
        raise LabelTableError(f"{where}: bad [[app.open]] entry")
    activity, action = _text(raw, "activity", where), _text(raw, "action", where)
    extras = tuple(_strings(raw.get("extras", []), f"{where} extras"))
    if not ACTIVITY_NAME.match(activity) or not ACTION_NAME.match(action):
        raise LabelTableError(f"{where}: bad activity or action {activity!r} {action!r}")
    if len(extras) % 3 or any(extras[i] != "--ez" or not EXTRA_KEY.match(extras[i + 1])
                              or extras[i + 2] not in ("true", "false")
                              for i in range(0, len(extras), 3)):
        raise LabelTableError(f"{where}: extras must be `--ez KEY true|false` triples")
    return Opener(activity, action, extras, _text(raw, "source", where))


def _locale(raw: Any, where: str) -> LocaleLabels:
    if not isinstance(raw, dict) or set(raw) - {"auto", "roaming", "nav"}:
        raise LabelTableError(f"{where}: needs auto, roaming and nav lists only")
    return LocaleLabels(*(tuple(_strings(raw.get(k, []), f"{where} {k}"))
                          for k in ("auto", "roaming", "nav")))


def _text(raw: dict[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise LabelTableError(f"{where}: {key} must be a non-empty string")
    return value


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise LabelTableError(f"{where}: must be a list of non-empty strings")
    return list(value)


# -- checks -----------------------------------------------------------------------------

def lint_table(table: LabelTable) -> list[str]:
    """Problems that could make one switch read as the other (empty list when none)."""
    problems: list[str] = []
    for package in sorted({app.package for app in table.apps}):
        per_locale: dict[str, dict[str, set[str]]] = {}
        for app in table.for_package(package):
            for locale, labels in app.locales.items():
                slot = per_locale.setdefault(locale, {"auto": set(), "roaming": set()})
                for role in ROLES:
                    slot[role].update(normalize(label) for label in labels.of(role))
        for locale, slot in sorted(per_locale.items()):
            clash = slot["auto"] & slot["roaming"]
            if clash:
                problems.append(f"{package} [{locale}]: {sorted(clash)} is both an auto and a "
                                "roaming label")
    ids = [app.id for app in table.apps]
    problems += [f"duplicate app id {i!r}" for i in sorted(set(ids)) if ids.count(i) > 1]
    return problems


def label_roles(apps: Iterable[AppLabels]) -> dict[str, dict[str, set[str]]]:
    """normalized label → role → the locales that give it that role."""
    roles: dict[str, dict[str, set[str]]] = {}
    for app in apps:
        for locale, labels in app.locales.items():
            for role in ROLES:
                for label in labels.of(role):
                    roles.setdefault(normalize(label), {}).setdefault(role, set()).add(locale)
    return roles
