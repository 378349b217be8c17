"""Which parser reads which probe. Adding a parser is one import and one line here."""

from __future__ import annotations

from droidaudit.parsers import ProbeParser, getprop, settings

PARSERS: dict[str, ProbeParser] = {
    "getprop": getprop.parse_getprop,
    "settings_global": settings.parse_settings_global,
    "settings_secure": settings.parse_settings_secure,
    "settings_system": settings.parse_settings_system,
}
