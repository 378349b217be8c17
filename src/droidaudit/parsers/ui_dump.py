"""`uiautomator dump /dev/tty` output → the active window's view tree, or why there is none.

Pure function of text; never talks to a phone. The format (AOSP frameworks/base
cmds/uiautomator: DumpCommand.java, AccessibilityNodeInfoDumper.java) is one line of XML,
`<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation="0"><node
index=.. text=.. resource-id=.. class=.. package=.. content-desc=.. checkable=.. checked=..
clickable=.. enabled=.. ... bounds=..>...</hierarchy>`, immediately followed by the status
line `UI hierchary dumped to: /dev/tty` ("hierarchy" in recent trees). Over a PTY stdout
and stderr arrive merged, so vendor warnings may come before the XML and error lines
instead of it. Newer builds' `--windows` form wraps each window in
`<displays><display><window active=..><hierarchy>`; it is accepted, never requested.

The XML is hostile input (the phone writes it, and text comes from any app): a DOCTYPE or
ENTITY is refused before parsing (no entity expansion, no external fetch), the size is
capped, and nothing here ever puts its text into a command.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

MAX_DUMP_BYTES = 8 * 1024 * 1024
STATUS_LINE = re.compile(r"UI hier(?:chary|archy) dumped to: ?\S*")
_START = re.compile(r"<\?xml\b|<hierarchy\b|<displays\b")
_END = re.compile(r"</hierarchy>|</displays>")
_REFUSED = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.I)

# Output with no XML, by the words uiautomator (or the shell) prints: reason code, retry?
# Sources: DumpCommand.java ("could not get idle state", "null root node returned by
# UiTestAutomationBridge"), UiAutomation.connect ("UiAutomationService ... already
# registered!"), mksh ("inaccessible or not found"), the kernel's OOM kill ("Killed").
FAILURES: tuple[tuple[re.Pattern[str], str, bool], ...] = (
    (re.compile(r"could not get idle state", re.I), "ui_not_idle", True),
    (re.compile(r"null root node", re.I), "no_active_window", True),
    (re.compile(r"already registered", re.I), "ui_automation_busy", False),
    (re.compile(r"uiautomator: (inaccessible or )?not found|uiautomator: No such file",
                re.I), "uiautomator_missing", False),
    (re.compile(r"^\s*Killed\b", re.M), "dump_killed", False),
    (re.compile(r"NullPointerException|Exception in thread", re.I), "dump_exception", True),
)
RETRYABLE = frozenset(code for _, code, retry in FAILURES if retry)


@dataclass
class Node:
    """One `<node>`: only the attributes a decision may use (never bounds or focus)."""

    text: str
    resource_id: str
    class_name: str
    package: str
    content_desc: str
    checkable: bool
    checked: bool
    clickable: bool
    enabled: bool
    scrollable: bool = False
    parent: Node | None = field(default=None, repr=False)
    children: list[Node] = field(default_factory=list, repr=False)

    def ancestors(self) -> list[Node]:
        chain: list[Node] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    def walk(self) -> list[Node]:
        """This node and every node under it, in document order."""
        found: list[Node] = []
        stack = [self]
        while stack:
            node = stack.pop()
            found.append(node)
            stack.extend(reversed(node.children))
        return found


@dataclass(frozen=True)
class Dump:
    """A parsed dump (`root` set) or why there is none (`reason`, `retry`, `detail`)."""

    root: Node | None
    reason: str = ""
    retry: bool = False
    detail: str = ""

    @property
    def package(self) -> str:
        return self.root.package if self.root is not None else ""


def _failure(reason: str, detail: str = "", retry: bool = False) -> Dump:
    return Dump(None, reason, retry, detail[:200])


def frame(text: str) -> tuple[str, str]:
    """(the XML, everything else) of one dump's output; XML '' when none was printed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    start = _START.search(text)
    if start is None:
        return "", text
    ends = list(_END.finditer(text, start.start()))
    if not ends:
        return text[start.start():], text[:start.start()]
    end = ends[-1].end()
    return text[start.start():end], text[:start.start()] + text[end:]


def classify(noise: str) -> Dump:
    """Why a dump printed no XML, from the words it printed instead."""
    for pattern, reason, retry in FAILURES:
        match = pattern.search(noise)
        if match:
            return _failure(reason, match.group(0), retry)
    if STATUS_LINE.search(noise):
        # The status line alone: the XML went to a /dev/tty that did not exist (a
        # shell,v2 or pre-7 exec: stream). A programming error, never a phone state.
        return _failure("no_xml_output", "status line only, no XML (no controlling tty)")
    first = next((line.strip() for line in noise.split("\n") if line.strip()), "")
    return _failure("no_xml_output", f"no XML in the output: {first!r}" if first else
                    "empty output")


def parse_dump(text: str) -> Dump:
    """The active window's tree from one `uiautomator dump /dev/tty` output."""
    if len(text) > MAX_DUMP_BYTES:
        return _failure("dump_too_large", f"{len(text)} characters")
    xml, noise = frame(text)
    if not xml:
        return classify(noise)
    if _REFUSED.search(xml):
        return _failure("xml_refused", "the dump holds a DOCTYPE or ENTITY declaration")
    if not _END.search(xml):
        return _failure("truncated_xml", "the XML ends before </hierarchy>", retry=True)
    try:
        document = parse_untrusted_xml(xml)
    except ET.ParseError as exc:
        return _failure("malformed_xml", str(exc), retry=True)
    hierarchy = _active_hierarchy(document)
    if hierarchy is None:
        return _failure("no_active_window", "no active window in the --windows form")
    first = hierarchy.find("node")
    if first is None:
        return _failure("no_active_window", "the hierarchy holds no node")
    return Dump(_node(first, None))


def parse_untrusted_xml(text: str) -> ET.Element:
    """Parse XML from a phone. Callers refuse any DOCTYPE/ENTITY first (see _REFUSED): with
    no DTD, expat has no entity to expand and nothing external to fetch, which is what
    defusedxml would guard against. ValueError if one slipped through."""
    if _REFUSED.search(text):
        raise ValueError("a DOCTYPE or ENTITY declaration is refused")
    return ET.fromstring(text.encode("utf-8"))  # noqa: S314 (no DTD: refused above)


def _active_hierarchy(document: ET.Element) -> ET.Element | None:
    if document.tag == "hierarchy":
        return document
    if document.tag != "displays":
        return None
    for window in document.iter("window"):
        if window.get("active") == "true":
            return window.find("hierarchy")
    return None


def _one(element: ET.Element, parent: Node | None) -> Node:
    def flag(name: str) -> bool:
        return element.get(name) == "true"

    return Node(text=element.get("text", ""), resource_id=element.get("resource-id", ""),
                class_name=element.get("class", ""), package=element.get("package", ""),
                content_desc=element.get("content-desc", ""), checkable=flag("checkable"),
                checked=flag("checked"), clickable=flag("clickable"), enabled=flag("enabled"),
                scrollable=flag("scrollable"), parent=parent)


def _node(element: ET.Element, parent: Node | None) -> Node:
    node = _one(element, parent)
    # Iterative on purpose: a hostile tree deep enough would overflow recursion.
    stack = [(element, node)]
    while stack:
        current_element, current = stack.pop()
        for child_element in current_element.findall("node"):
            child = _one(child_element, current)
            current.children.append(child)
            stack.append((child_element, child))
    return node
