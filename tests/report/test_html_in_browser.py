"""report.html as a person sees it, in headless Chromium: the demo report loads with no
console error and no network request, opens with the verdict and "Do these first", never
overflows sideways on a phone, prints on few A4 pages with no heading stranded at a page
foot, says first when a scan was cut short, and shows hostile device text as text.

Screenshots and the PDF are kept under test-artifacts/report/ (gitignored) for a person to
look at."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from droidaudit.cli import main
from droidaudit.facts import Fact
from droidaudit.report.html import render_html
from tests.report.browser import CHROMIUM, Browser
from tests.report.test_reports import EVIL, finding, hostile_report

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
ARTIFACTS = Path(os.environ.get("DROIDAUDIT_ARTIFACTS",
                                Path(__file__).parents[2] / "test-artifacts")) / "report"
MAX_PAGES = 8
HAS_POPPLER = shutil.which("pdfinfo") is not None and shutil.which("pdftotext") is not None


@pytest.fixture(scope="module")
def demo_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(main, ["demo", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return next(out.glob("*/report.html"))


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    chrome = Browser(tmp_path_factory.mktemp("chromium"))
    yield chrome
    chrome.close()


def text_of(browser: Browser, selector: str) -> list[str]:
    return list(browser.eval(
        f"[...document.querySelectorAll({selector!r})].map(e => e.innerText.trim())"))


def test_demo_report_loads_clean_and_offline(browser: Browser, demo_html: Path) -> None:
    browser.events.clear()
    browser.open(demo_html.as_uri(), 1280)
    assert browser.console_errors() == []
    assert browser.requests() == [demo_html.as_uri()]  # nothing else is fetched
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.screenshot(ARTIFACTS / "desktop-1280.png")


def test_demo_opens_with_verdict_then_do_these_first(browser: Browser, demo_html: Path) -> None:
    browser.open(demo_html.as_uri(), 1280)
    headings = text_of(browser, "h1, h2")
    assert headings[:2] == ["Phone hardening report", "Do these first"]
    assert text_of(browser, ".posture")[0].startswith("At risk")
    assert browser.eval("document.querySelector('.bar').getAttribute('aria-label')") \
        .endswith("passed")
    actions = text_of(browser, ".actions > li")
    assert 3 <= len(actions) <= 5
    joined = "\n".join(actions)
    assert re.search(r"Remove [^\n]*com\.example\.flashlight[^\n]*: it can read your SMS", joined)
    assert re.search(r"Remove [^\n]*com\.example\.cleaner", joined)
    assert "Install every update" in joined and "MMS" in joined
    flashlight = next(a for a in actions if "Remove" in a and "flashlight" in a)
    assert re.search(r"Closes [2-9] findings", flashlight)
    assert "Settings → Apps → See all apps →" in flashlight  # the maker's (Google's) path


def test_headings_never_skip_a_level(browser: Browser, demo_html: Path) -> None:
    browser.open(demo_html.as_uri(), 1280)
    levels = browser.eval("[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')]"
                          ".map(h => +h.tagName[1])")
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_references_are_real_links(browser: Browser, demo_html: Path) -> None:
    browser.open(demo_html.as_uri(), 1280)
    hrefs = browser.eval("[...document.querySelectorAll('a[href]')].map(a => a.href)")
    assert hrefs and all(h.startswith("https://") for h in hrefs)


@pytest.mark.parametrize(("width", "name"), [(360, ""), (390, "phone-390.png"), (1280, "")])
def test_nothing_overflows_sideways(browser: Browser, demo_html: Path, width: int,
                                    name: str) -> None:
    browser.open(demo_html.as_uri(), width, mobile=width < 500)
    assert browser.eval("document.documentElement.scrollWidth") <= width
    if name:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        browser.screenshot(ARTIFACTS / name)


@pytest.mark.skipif(not HAS_POPPLER, reason="poppler-utils (pdfinfo, pdftotext) not installed")
def test_demo_prints_on_few_a4_pages_without_stranded_headings(browser: Browser,
                                                                demo_html: Path) -> None:
    browser.open(demo_html.as_uri(), 1280)
    headings = {h for h in text_of(browser, "h1, h2, h3") if h}
    header_words = {w for th in text_of(browser, "th") for w in th.split()}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / "demo-report.pdf"
    browser.pdf(pdf)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert pages <= MAX_PAGES
    assert "(A4)" in info
    for page in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                              capture_output=True, text=True).stdout
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        starts = [n for n, line in enumerate(lines) if line in headings]
        # a heading is followed on its page by its intro and something of its section
        assert not starts or len(lines) - starts[-1] > 2, f"page {page} ends with a heading"
        assert not set(lines[-1].split()) <= header_words, f"page {page} ends with a table head"
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                        str(pdf), str(ARTIFACTS / "print-page-1")], check=True)


def test_partial_scan_says_so_first(browser: Browser, tmp_path: Path) -> None:
    report = hostile_report([finding("pass"), finding("unknown", rule="LOCK-001")])
    report.incomplete = ["dumpsys_package: the phone stopped sending after 1 packet"]
    page = tmp_path / "partial.html"
    page.write_bytes(render_html(report))
    browser.open(page.as_uri(), 390, mobile=True)
    first = browser.eval("document.querySelector('.verdict').innerText")
    assert first.lstrip().startswith("This scan is incomplete")
    assert "scan again" in first and "No problems found" not in first
    assert "No problems found" not in browser.eval("document.body.innerText")


def test_hostile_device_text_stays_text(browser: Browser, tmp_path: Path) -> None:
    hostile = EVIL + '<img src=x onerror="alert(2)">{{7*7}}\x1b]0;owned\x07'
    report = hostile_report([finding("fail", item=hostile, detail=hostile, evidence=(hostile,))])
    report.device["model"] = hostile
    report.facts.add(Fact("apps", [  # two apps: the sort/filter script runs over them too
        {"package": hostile, "label": hostile, "installer": hostile, "system": False,
         "granted": [], "special": ["overlay"], "sensitive_groups": []},
        {"package": "com.example.b", "label": "{{7*7}}", "system": False, "granted": [],
         "special": [], "sensitive_groups": ["sms"]}], "test"))
    page = tmp_path / "hostile.html"
    page.write_bytes(render_html(report))
    browser.events.clear()
    browser.open(page.as_uri(), 1280)
    assert not any(e.get("method") == "Page.javascriptDialogOpening" for e in browser.events)
    assert browser.eval("document.querySelectorAll('img').length") == 0
    assert browser.console_errors() == []
    body = browser.eval("document.body.innerText")
    assert "{{7*7}}" in body and "<script>" in body and "49" not in body
    assert browser.eval("document.querySelectorAll('table.apps tbody tr').length") == 2
    assert [r for r in browser.requests() if r != page.as_uri()] == []


def test_apps_table_filters_and_sorts_with_script(browser: Browser, demo_html: Path) -> None:
    browser.open(demo_html.as_uri(), 1280)
    first = "document.querySelector('table.apps tbody tr').cells[0].innerText"
    assert "flashlight" in browser.eval(first)  # most serious first
    browser.eval("document.querySelectorAll('table.apps th button')[0].click()")
    assert "cleaner" in browser.eval(first)  # by name
    browser.eval("const box = document.querySelector('.apps-filter'); box.value = 'firefox';"
                 "box.dispatchEvent(new Event('input'))")
    shown = browser.eval("[...document.querySelectorAll('table.apps tbody tr')]"
                         ".filter(r => !r.hidden).map(r => r.cells[0].innerText)")
    assert shown == ["org.mozilla.firefox"]


def test_fleet_index_sort_script_runs_under_its_csp(browser: Browser, tmp_path: Path) -> None:
    from droidaudit.pipeline.fleet import FleetIndex, PhoneResult

    index = FleetIndex(tmp_path).update([
        PhoneResult("h:5037", "A", "unauthorized", error="e", result="not scanned"),
        PhoneResult("h:5037", "B", "offline", error="e", result="not scanned")])
    browser.events.clear()
    browser.open(index.as_uri(), 1280)
    # The script turns headings into sort buttons: it ran, so the CSP hash matched.
    assert browser.eval("document.querySelectorAll('button').length") == 12
    assert browser.console_errors() == []
    assert "to check by hand" in browser.eval("document.body.innerText")  # the report's words
