"""Bytes to text, with an error that points at the first byte that is not what it claims."""

from __future__ import annotations

import codecs

from skillgrid.domain.errors import LadderError, Problem

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, source: str, encoding: str | None = None) -> str:
    """UTF-8 (a BOM is dropped; UTF-16/32 with a BOM are read too) or the named encoding."""
    chosen = encoding or next((name for bom, name in _BOMS if data.startswith(bom)), "utf-8")
    try:
        codecs.lookup(chosen)
    except LookupError:
        raise LadderError(
            [Problem(f"unknown encoding {chosen!r}", "name one such as utf-8 or cp1252", source)]
        ) from None
    try:
        text = data.decode(chosen)
    except UnicodeDecodeError as error:
        raise LadderError([_undecodable(data, error, chosen, source)]) from None
    if "\x00" in text:
        row, column = place(text, text.index("\x00"))
        raise LadderError(
            [
                Problem(
                    "a NUL byte: the file holds binary data, or is UTF-16 text without a BOM",
                    "open it in a text editor or spreadsheet and save it again as UTF-8 text",
                    source,
                    row,
                    column,
                )
            ]
        )
    return text.removeprefix("\ufeff")


def place(text: str, index: int) -> tuple[int, int]:
    """The row and column (from 1, as an editor shows them) of ``text[index]``."""
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def _undecodable(data: bytes, error: UnicodeDecodeError, encoding: str, source: str) -> Problem:
    before = data[: error.start]
    row = before.count(b"\n") + 1
    line_start = before.rfind(b"\n") + 1
    column = len(before[line_start:].decode(encoding, errors="replace")) + 1
    byte = data[error.start : error.start + 1].hex().upper()
    return Problem(
        f"byte 0x{byte} is not valid {encoding}",
        "save the file as UTF-8 (in Excel: 'CSV UTF-8'), or name its encoding with "
        "--encoding (e.g. --encoding cp1252)",
        source,
        row,
        column,
    )
