"""WCAG AA contrast for every badge and coloured text in report.html, computed from the
stylesheet itself: text on its background must reach 4.5:1 (WCAG 2.x, 1.4.3)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).parents[2] / "src" / "droidaudit" / "report" / "templates" /
       "report.css").read_text()
AA = 4.5


def rule(selector: str) -> str:
    match = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", CSS)
    assert match, f"no CSS rule for {selector}"
    return match.group(1)


def colour(selector: str, prop: str) -> str:
    match = re.search(rf"(?<![-\w]){prop}\s*:\s*([^;]+);", rule(selector))
    assert match, f"{selector} has no {prop}"
    value = match.group(1).strip()
    var = re.fullmatch(r"var\((--[\w-]+)\)", value)
    if var:
        value = re.search(re.escape(var.group(1)) + r"\s*:\s*(#[0-9a-fA-F]{6})", CSS).group(1)  # type: ignore[union-attr]
    return value


def luminance(hex_colour: str) -> float:
    if len(hex_colour) == 4:  # #fff → #ffffff
        hex_colour = "#" + "".join(c * 2 for c in hex_colour[1:])
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def ratio(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


BADGES = [".badge.critical", ".badge.high", ".badge.medium", ".badge.low", ".badge.info",
          ".badge.byhand", ".badge.unread"]


@pytest.mark.parametrize("badge", BADGES)
def test_badge_text_reaches_aa(badge: str) -> None:
    text = colour(".badge", "color")
    assert ratio(text, colour(badge, "background")) >= AA


@pytest.mark.parametrize(("text_selector", "background_selector"), [
    (".verdict.bad .posture", ".verdict.bad"), (".verdict.warn .posture", ".verdict.warn"),
    (".verdict.good .posture", ".verdict.good"),
])
def test_verdict_text_reaches_aa(text_selector: str, background_selector: str) -> None:
    assert ratio(colour(text_selector, "color"), colour(background_selector, "background")) >= AA


def test_muted_text_reaches_aa_on_white_and_on_grey_rows() -> None:
    muted = colour(":root", "--muted")
    assert ratio(muted, "#ffffff") >= AA and ratio(muted, "#f1f3f4") >= AA
