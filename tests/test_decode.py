"""Decoding probe bytes as real captures come: UTF-8, UTF-16LE+BOM+CRLF, CRLF, \r\r\n."""

import codecs

from droidaudit.decode import decode

TEXT = "[ro.product.model]: [Pixel 7]\n[ro.build.version.sdk]: [34]\n"


def test_utf8_passes_through() -> None:
    assert decode(TEXT.encode()) == TEXT


def test_utf16le_with_bom_and_crlf_as_powershell_writes_it() -> None:
    data = codecs.BOM_UTF16_LE + TEXT.replace("\n", "\r\n").encode("utf-16-le")
    assert decode(data) == TEXT


def test_utf16le_without_bom_is_recognised() -> None:
    assert decode(TEXT.encode("utf-16-le")) == TEXT


def test_utf8_bom_is_dropped() -> None:
    assert decode(codecs.BOM_UTF8 + TEXT.encode()) == TEXT


def test_old_pty_double_carriage_return() -> None:
    assert decode(TEXT.replace("\n", "\r\r\n").encode()) == TEXT


def test_invalid_bytes_never_raise() -> None:
    assert "Pixel" in decode(b"\xfa\xc3[ro.product.model]: [Pixel \xc3]")
