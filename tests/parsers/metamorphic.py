"""Metamorphic variants of real outputs: what another OEM build could print for the same state.

OEM builds print the same `dump()` sections with a plain `PrintWriter` where AOSP uses an
`IndentingPrintWriter` (other indentation, tabs, lines flush left), with extra vendor lines
and sections, with blocks and users in another order and enum words in another case; and
captures arrive with CRLF, `\\r\\r\\n` (old PTYs) or as UTF-16 with a BOM (PowerShell).
None of these changes what the phone's state is, so a parser's facts on a variant must be
the same as on the original, or unknown (with a note): never another value.

Every mutation is a pure function of (text, random source): hypothesis picks which ones
run and the seed; `NAMED` holds a fixed set for the regular tests. Inputs are the corpus
files (read as they are, never edited) and the parser fixtures.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

Mutation = Callable[[str, random.Random, str], str]  # (text, random, probe) → text


# -- indentation ---------------------------------------------------------------------------


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _reindent(text: str, how: Callable[[int], str]) -> str:
    return "\n".join(how(_indent(ln)) + ln.lstrip(" \t") if ln.strip() else ln
                     for ln in text.split("\n"))


def deeper(text: str, rng: random.Random, probe: str = "") -> str:
    """Every level twice as deep (a 4-space IndentingPrintWriter)."""
    return _reindent(text, lambda n: " " * (2 * n))


def shifted(text: str, rng: random.Random, probe: str = "") -> str:
    """The whole dump printed inside an outer prefix (as dumpsys -a sections are)."""
    return _reindent(text, lambda n: " " * (n + 2))


def shallower(text: str, rng: random.Random, probe: str = "") -> str:
    """Half the indentation, still indented: levels may merge (a 1-space writer)."""
    return _reindent(text, lambda n: " " * ((n + 1) // 2))


def flush_left(text: str, rng: random.Random, probe: str = "") -> str:
    """A plain PrintWriter: no indentation at all."""
    return _reindent(text, lambda n: "")


def tabs(text: str, rng: random.Random, probe: str = "") -> str:
    """Tabs for indentation (each two spaces one tab)."""
    return _reindent(text, lambda n: "\t" * (n // 2) + " " * (n % 2))


def _headers(lines: list[str]) -> list[int]:
    """Indices of lines followed by a deeper-indented line (a block's header)."""
    found = []
    for i, line in enumerate(lines[:-1]):
        nxt = next((ln for ln in lines[i + 1:] if ln.strip()), "")
        if line.strip() and nxt and _indent(nxt) > _indent(line):
            found.append(i)
    return found


def _block_end(lines: list[str], header: int) -> int:
    depth = _indent(lines[header])
    end = header + 1
    while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > depth):
        end += 1
    return end


def children_at_header_indent(text: str, rng: random.Random, probe: str = "") -> str:
    """One block's lines printed at its header's own indent (a println before the
    writer's increaseIndent); the block's inner structure is kept."""
    lines = text.split("\n")
    headers = _headers(lines)
    if not headers:
        return text
    header = rng.choice(headers)
    end = _block_end(lines, header)
    body = [ln for ln in lines[header + 1:end] if ln.strip()]
    shift = min(_indent(ln) for ln in body) - _indent(lines[header]) if body else 0
    moved = [ln[shift:] if ln.strip() else ln for ln in lines[header + 1:end]]
    return "\n".join(lines[:header + 1] + moved + lines[end:])


# -- order ---------------------------------------------------------------------------------

_SHAPE = re.compile(r"^\s*([A-Za-z][\w ]*?)[\s\[(:=\"{]*(\d+|\[|\"|\{|$)")


def _shape(line: str) -> str | None:
    """`User 10` and `User 0` share the shape `User`; `Package [a]` and `Package [b]` too,
    and two `user_states={` blocks."""
    match = _SHAPE.match(line)
    return match.group(1).strip() if match else None


def _sibling_blocks(lines: list[str], start: int, end: int, depth: int) -> list[tuple[int, int]]:
    blocks: list[tuple[int, int]] = []
    i = start
    while i < end:
        if lines[i].strip() and _indent(lines[i]) == depth:
            stop = _block_end(lines, i)
            blocks.append((i, min(stop, end)))
            i = min(stop, end)
        else:
            i += 1
    return blocks


def _reorder_group(lines: list[str], blocks: list[tuple[int, int]], rng: random.Random,
                   reverse: bool) -> list[str]:
    """Blocks of one shape (`User N`, `Package [...]`) change places; all else stays."""
    by_shape: dict[str, list[int]] = {}
    for n, (a, _) in enumerate(blocks):
        shape = _shape(lines[a])
        if shape and _block_end(lines, a) > a + 1:
            by_shape.setdefault(shape, []).append(n)
    out = [lines[a:b] for a, b in blocks]
    for members in by_shape.values():
        if len(members) < 2:
            continue
        chosen = [out[m] for m in members]
        chosen = chosen[::-1] if reverse else rng.sample(chosen, len(chosen))
        for m, block in zip(members, chosen, strict=True):
            out[m] = block
    return [ln for block in out for ln in block]


def _reorder(text: str, rng: random.Random, reverse: bool) -> str:
    lines = text.split("\n")
    headers = [*_headers(lines), -1]
    result = lines
    for header in headers:  # the top level (-1) and each block's children
        start = header + 1
        end = _block_end(lines, header) if header >= 0 else len(lines)
        body = [i for i in range(start, end) if lines[i].strip()]
        if not body:
            continue
        depth = min(_indent(lines[i]) for i in body)
        blocks = _sibling_blocks(lines, start, end, depth)
        if len(blocks) > 1 and blocks[0][0] == start and blocks[-1][1] == end:
            result = lines[:start] + _reorder_group(lines, blocks, rng, reverse) + lines[end:]
            if result != lines:
                return result_text(result)
    return text


def result_text(lines: list[str]) -> str:
    return "\n".join(lines)


def reverse_blocks(text: str, rng: random.Random, probe: str = "") -> str:
    """The first group of same-shape sibling blocks (users, packages) in reverse order."""
    return _reorder(text, rng, reverse=True)


def shuffle_blocks(text: str, rng: random.Random, probe: str = "") -> str:
    return _reorder(text, rng, reverse=False)


def reverse_sections(text: str, rng: random.Random, probe: str = "") -> str:
    """Top-level sections (a column-0 title and its indented lines) in reverse order."""
    lines = text.split("\n")
    body = [i for i, ln in enumerate(lines) if ln.strip()]
    if not body:
        return text
    depth = min(_indent(lines[i]) for i in body)
    blocks = _sibling_blocks(lines, body[0], len(lines), depth)
    titled = [b for b in blocks if b[1] - b[0] > 1]
    if len(titled) < 2:
        return text
    keep = [lines[a:b] if b - a <= 1 else None for a, b in blocks]
    swapped = iter([lines[a:b] for a, b in titled][::-1])
    merged = [k if k is not None else next(swapped) for k in keep]
    return "\n".join(lines[:body[0]] + [ln for block in merged for ln in block])


# -- vendor additions ------------------------------------------------------------------------


def _vendor_line(near: str, n: int) -> str:
    """A line a vendor could add, in the same form as its neighbour, naming nothing real."""
    body = near.lstrip(" \t")
    pad = near[:len(near) - len(body)]
    if body.startswith("["):
        return f"{pad}[ro.vendor.sem.audit_extra{n}]: [1]"
    if "=" in body and ":" not in body.split("=", 1)[0]:
        return f"{pad}sem_vendor_extra_{n}=1"
    return f"{pad}mSemVendorExtra{n}: 1"


def vendor_lines(text: str, rng: random.Random, probe: str = "") -> str:
    """A few unknown vendor lines inside blocks, at their neighbour's indent and form."""
    lines = text.split("\n")
    filled = [i for i, ln in enumerate(lines) if ln.strip()]
    if not filled:
        return text
    picks = sorted({rng.choice(filled) for _ in range(3)}, reverse=True)
    for n, at in enumerate(picks):
        if at == filled[0] and not lines[at][:1].isspace():
            continue  # before the very first line: a parser may key on the first line
        lines.insert(at, _vendor_line(lines[at], n))
    return "\n".join(lines)


def vendor_after_headers(text: str, rng: random.Random, probe: str = "") -> str:
    """An unknown vendor line as the first line of every block."""
    lines = text.split("\n")
    headers = set(_headers(lines))
    out: list[str] = []
    for i, line in enumerate(lines):
        out.append(line)
        if i in headers:
            nxt = next(ln for ln in lines[i + 1:] if ln.strip())
            out.append(_vendor_line(nxt, i))
    return "\n".join(out)


def vendor_section(text: str, rng: random.Random, probe: str = "") -> str:
    """An unknown vendor section (title and indented lines) between top-level sections."""
    lines = text.split("\n")
    tops = [i for i, ln in enumerate(lines) if ln.strip() and not ln[0].isspace()]
    if len(tops) < 2:
        return text
    at = rng.choice(tops[1:])
    section = ["SemVendorAuditExtension:", "  mSemExtraState=ENABLED", "  SemExtraFlags: 0x3",
               ""]
    return "\n".join(lines[:at] + section + lines[at:])


# -- enum words ------------------------------------------------------------------------------

# Enum words printed from code (toString of an enum or a boolean), per probe: the group is
# the word a build may print in another case. Settings values and package names are data,
# not enums, and keep their case.
ENUM_WORDS: dict[str, re.Pattern[str]] = {
    "dumpsys_lock_settings": re.compile(r"(?:CredentialType|IsLockScreenDisabled):\s*(\w+)"),
    "dumpsys_window_policy": re.compile(r"\b(?:secure|showing)=(\w+)"),
    "dumpsys_backup": re.compile(r"Backup Manager is (\w+)"),
    "bmgr_enabled": re.compile(r"Backup Manager currently (\w+)"),
    "getenforce": re.compile(r"^\s*(\w+)", re.MULTILINE),
}


def _recase(word: str, rng: random.Random) -> str:
    return rng.choice([word.upper(), word.lower(), word.capitalize()])


def enum_case(text: str, rng: random.Random, probe: str = "") -> str:
    """Enum words in another case (`Pin` on Android 11-14, `PIN` on 15 and Samsung)."""
    pattern = ENUM_WORDS.get(probe)
    if pattern is None:
        return text
    return pattern.sub(lambda m: m.group(0)[:m.start(1) - m.start(0)]
                          + _recase(m.group(1), rng) + m.group(0)[m.end(1) - m.start(0):], text)


def trailing_spaces(text: str, rng: random.Random, probe: str = "") -> str:
    return "\n".join(ln + " " * rng.randint(1, 3) if ln.strip() else ln
                     for ln in text.split("\n"))


_KEY_COLON = re.compile(r"^(\s*[A-Za-z][\w .-]*?):[ \t]+(?=\S)", re.MULTILINE)


def wide_spacing(text: str, rng: random.Random, probe: str = "") -> str:
    """`Key: value` lines aligned into a column (`Key:      value`), as some vendor dumps
    pad them with String.format("%-20s")."""
    return _KEY_COLON.sub(lambda m: m.group(1) + ":" + " " * rng.randint(2, 6), text)


def linker_warning(text: str, rng: random.Random, probe: str = "") -> str:
    """bionic's linker warning (Android 5-7, merged from stderr) before the output."""
    lib = rng.choice(["/vendor/lib/libqc-opt.so", "/system/lib/libsec-ril.so"])
    return f"WARNING: linker: {lib}: unused DT entry: type 0x6ffffffe arg 0x8a0\n" + text


def blank_lines(text: str, rng: random.Random, probe: str = "") -> str:
    """Blank lines between every block (some builds println() after each one)."""
    lines = text.split("\n")
    headers = set(_headers(lines))
    return "\n".join(("\n" + ln) if i in headers and i else ln for i, ln in enumerate(lines))


MUTATIONS: dict[str, Mutation] = {
    "deeper": deeper, "shifted": shifted, "shallower": shallower, "flush_left": flush_left,
    "tabs": tabs, "children_at_header_indent": children_at_header_indent,
    "reverse_blocks": reverse_blocks, "shuffle_blocks": shuffle_blocks,
    "reverse_sections": reverse_sections, "vendor_lines": vendor_lines,
    "vendor_after_headers": vendor_after_headers, "vendor_section": vendor_section,
    "enum_case": enum_case, "trailing_spaces": trailing_spaces, "blank_lines": blank_lines,
    "wide_spacing": wide_spacing, "linker_warning": linker_warning,
}

# -- encodings (bytes) -----------------------------------------------------------------------

ENCODINGS: dict[str, Callable[[str], bytes]] = {
    "utf8": lambda t: t.encode("utf-8"),
    "crlf": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    "crcrlf": lambda t: t.replace("\n", "\r\r\n").encode("utf-8"),
    # Windows PowerShell `>`: UTF-16LE with a BOM, CRLF.
    "utf16_bom": lambda t: b"\xff\xfe" + t.replace("\n", "\r\n").encode("utf-16-le"),
    "utf8_bom": lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
}

def variant(probe: str, text: str, mutations: list[str] | tuple[str, ...], seed: int,
            encoding: str = "utf8") -> bytes:
    rng = random.Random(seed)
    for name in mutations:
        text = MUTATIONS[name](text, rng, probe)
    return ENCODINGS[encoding](text)
