"""Turning a cell of a ladder into its criteria (the rules are in docs/concepts.md).

A file is in *list mode* when any cell uses explicit separators (line breaks, ``<br>``,
bullets, numbered items): each item is one criterion. Only a file without any explicit
separator is split into sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum


class SplitMode(StrEnum):
    AUTO = "auto"
    LINES = "lines"
    SENTENCES = "sentences"


BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
MARKER = re.compile(r"[ \t]*(?:[-*•◦▪‣·–]|\d{1,3}[.)])[ \t]+")
MARKED_LINE = re.compile(r"^[ \t]*(?:[-*•◦▪‣·–]|\d{1,3}[.)])[ \t]+(.*)$", re.MULTILINE)
INLINE_BULLET = re.compile(r"\s+•\s+")
WHITESPACE_RUN = re.compile(r"\s+")
DOTTED_ABBREVIATION = re.compile(r"(?:[^\W\d_]\.){2,}", re.UNICODE)
ABBREVIATIONS = frozenset(
    {
        "e.g.",
        "i.e.",
        "etc.",
        "vs.",
        "cf.",
        "viz.",
        "al.",
        "approx.",
        "incl.",
        "esp.",
        "resp.",
        "mr.",
        "ms.",
        "mrs.",
        "dr.",
        "st.",
        "no.",
        "inc.",
        "ltd.",
        "co.",
        "jr.",
        "sr.",
    }
)
SENTENCE_END = ".!?"
CLOSERS = "\"')]’”»"
OPENERS = "\"'(‘“«"


def has_separators(cell: str) -> bool:
    """Whether a cell uses an explicit separator: a line break, ``<br>``, a bullet or number."""
    text = BREAK_TAG.sub("\n", cell).strip()
    if "\n" in text or "\r" in text or INLINE_BULLET.search(text):
        return True
    return MARKER.match(text) is not None


def choose_mode(cells: Iterable[str], requested: SplitMode = SplitMode.AUTO) -> SplitMode:
    """The mode a whole file is read in: the requested one, else list mode if any cell asks."""
    if requested != SplitMode.AUTO:
        return SplitMode(requested)
    return SplitMode.LINES if any(has_separators(cell) for cell in cells) else SplitMode.SENTENCES


def split_cell(cell: str, mode: SplitMode) -> list[str]:
    """The criteria of one cell, in order, trimmed, markers removed."""
    items = split_items(cell)
    if mode == SplitMode.SENTENCES:
        return [sentence for item in items for sentence in split_sentences(item)]
    return items


def split_items(cell: str) -> list[str]:
    """List-mode split: one item per line or bullet; unmarked lines continue a bulleted item."""
    if "<" in cell:
        cell = BREAK_TAG.sub("\n", cell)
    if "•" not in cell and "\r" not in cell:
        marked = MARKED_LINE.findall(cell)
        if len(marked) == cell.strip().count("\n") + 1:  # every line a bullet: the usual case
            return [item for item in map(str.strip, marked) if item]
    lines = cell.splitlines()
    markers = list(map(MARKER.match, lines))
    bulleted = any(markers)
    items: list[str] = []
    for line, marker in zip(lines, markers, strict=True):
        if marker:
            items.append(line[marker.end() :].strip())
            continue
        stripped = line.strip()
        if not stripped:
            continue
        if bulleted and items:
            items[-1] = f"{items[-1]}\n{stripped}"
        else:
            items.append(stripped)
    if "•" in cell:
        items = [part for item in items for part in INLINE_BULLET.split(item)]
    return [item for item in items if item]


def split_sentences(text: str) -> list[str]:
    """Split at a sentence end or a run of 2+ spaces before a capital letter.

    Never inside parentheses, never after an abbreviation such as "e.g." or "etc.".
    """
    pieces: list[str] = []
    start = 0
    depth = 0
    scanned = 0
    for gap in WHITESPACE_RUN.finditer(text):
        depth = _paren_depth(text, scanned, gap.start(), depth)
        scanned = gap.start()
        if depth == 0 and _is_boundary(text, gap.start(), gap.end()):
            pieces.append(text[start : gap.start()].strip())
            start = gap.end()
    pieces.append(text[start:].strip())
    return [piece for piece in pieces if piece]


def _paren_depth(text: str, start: int, end: int, depth: int) -> int:
    for char in text[start:end]:
        if char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
    return depth


def _is_boundary(text: str, gap_start: int, gap_end: int) -> bool:
    following = text[gap_end : gap_end + 2].lstrip(OPENERS)
    if not following or not following[0].isupper():
        return False
    before = text[:gap_start].rstrip(CLOSERS)
    wide_gap = text.count(" ", gap_start, gap_end) >= 2 or "\t" in text[gap_start:gap_end]
    if not wide_gap and (not before or before[-1] not in SENTENCE_END):
        return False
    return not _ends_with_abbreviation(before)


def _ends_with_abbreviation(before: str) -> bool:
    words = before.rsplit(None, 1)
    if not words:
        return False
    word = words[-1].lstrip(OPENERS).lower()
    return word in ABBREVIATIONS or DOTTED_ABBREVIATION.fullmatch(word) is not None
