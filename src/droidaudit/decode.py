"""Turn raw probe bytes into text, whatever encoding a real capture came in.

Real captures arrive as UTF-8, as UTF-16LE with a BOM and CRLF (Windows PowerShell `>`),
with CRLF or `\r\r\n` from old PTY shells, sometimes with stray NULs. Parsers only ever
see `\n`-separated text from here; this never raises.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator


def decode(data: bytes) -> str:
    """Decode probe output to text with `\n` line ends. Never raises."""
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    elif _looks_utf16le(data):
        text = data.decode("utf-16-le", errors="replace")
    else:
        text = data.decode("utf-8", errors="replace")
    if "\x00" in text:  # tests first: four replace scans cost ~2 ns per byte of a dump
        text = text.replace("\x00", "")
    return normalize_newlines(text) if "\r" in text else text


def decode_pieces(data: bytes, size: int = 1 << 18) -> Iterator[str]:
    """decode(data) a piece at a time (each cut just after a line end, about `size` bytes):
    the pieces joined are exactly decode(data), and a 20 MB dump is never held twice.

    Exact because a cut after `\n` never splits a UTF-8 sequence, a `\r\n` or a
    `\r\r\n`; BOM and UTF-16 input is decoded whole."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) \
            or _looks_utf16le(data) or len(data) <= size:
        yield decode(data)
        return
    start = 0
    while start < len(data):
        cut = data.find(b"\n", start + size)
        stop = len(data) if cut < 0 else cut + 1
        with memoryview(data) as view:
            piece = bytes(view[start:stop]).decode("utf-8", errors="replace")
        if "\x00" in piece:
            piece = piece.replace("\x00", "")
        yield normalize_newlines(piece) if "\r" in piece else piece
        start = stop


def text_pieces(text: str, size: int = 1 << 18) -> Iterator[str]:
    """`text` cut at line ends into pieces of about `size` characters: their lines are
    exactly text's lines, without a list of every line of a 20 MB dump at once."""
    start = 0
    while True:
        end = text.find("\n", start + size) if len(text) - start > size else -1
        if end < 0:
            yield text[start:]
            return
        yield text[start:end]
        start = end + 1


def normalize_newlines(text: str) -> str:
    # `\r\r\n` (old PTY doubling CRLF) and `\r\n` both mean one line end.
    return text.replace("\r\r\n", "\n").replace("\r\n", "\n").replace("\r", "\n")


def _looks_utf16le(data: bytes) -> bool:
    """UTF-16LE without a BOM: ASCII text with a NUL after every byte."""
    sample = data[:200]
    if len(sample) < 4:
        return False
    odd_nuls = sample[1::2].count(0)
    even_nuls = sample[0::2].count(0)
    return odd_nuls >= len(sample) // 2 * 0.9 and even_nuls == 0
