"""Turn raw probe bytes into text, whatever encoding a real capture came in.

Real captures arrive as UTF-8, as UTF-16LE with a BOM and CRLF (Windows PowerShell `>`),
with CRLF or `\r\r\n` from old PTY shells, sometimes with stray NULs. Parsers only ever
see `\n`-separated text from here; this never raises.
"""

from __future__ import annotations

import codecs


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
    return normalize_newlines(text.replace("\x00", ""))


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
