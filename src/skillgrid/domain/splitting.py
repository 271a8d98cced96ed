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
_BULLETS = r"(?:[-*•◦▪‣·–—●○■□▫►▸✓✔✅➤→]|\d{1,3}[.)]|[a-z]\))"
MARKER = re.compile(rf"[^\S\r\n]*{_BULLETS}[^\S\r\n]+")
MARKED_LINE = re.compile(rf"^{_BULLETS}[^\S\r\n]+(.*)$", re.MULTILINE)  # unindented
INLINE_BULLET = re.compile(r"\s+•\s+")
# a sub-bullet "- Example: …" under a criterion's bullet is an example of that criterion
EXAMPLE_LINE = re.compile(rf"{_BULLETS}[^\S\r\n]+example:[^\S\r\n]*(\S.*)", re.IGNORECASE)
PLACEHOLDERS = frozenset({"-", "–", "—", "n/a", "na", "tbd", "tbc", "none", "…", "..."})
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
    text = cell.strip()
    if "<" in text:
        text = BREAK_TAG.sub("\n", text).strip()
    if "\n" in text or "\r" in text:
        return True
    return MARKER.match(text) is not None


def choose_mode(cells: Iterable[str], requested: SplitMode = SplitMode.AUTO) -> SplitMode:
    """The mode a whole file is read in: the requested one, else list mode if any cell asks."""
    if requested != SplitMode.AUTO:
        return SplitMode(requested)
    return SplitMode.LINES if any(has_separators(cell) for cell in cells) else SplitMode.SENTENCES


def split_cell(cell: str, mode: SplitMode) -> list[str]:
    """The criteria of one cell, in order, trimmed, markers removed; a cell holding only a
    placeholder ("-", "n/a", "TBD") has none."""
    if len(cell) < 12 and cell.strip().lower() in PLACEHOLDERS:
        return []
    items = split_items(cell)
    if mode == SplitMode.SENTENCES:
        return [sentence for item in items for sentence in split_sentences(item)]
    return items


def split_items(cell: str) -> list[str]:
    """List-mode split: one item per line or bullet.

    In a bulleted cell, an unmarked line continues the item above it, and so does a line
    indented deeper than that item's bullet (a sub-bullet); an unmarked line ending in ":"
    is a heading that prefixes the items below it ("Scope: owns a service").
    """
    if "<" in cell:
        cell = BREAK_TAG.sub("\n", cell)
    if "•" not in cell and "\r" not in cell and cell[:1] != "\n" and cell[-1:] != "\n":
        marked = MARKED_LINE.findall(cell)
        if len(marked) == cell.count("\n") + 1:  # every line a bullet: the usual case
            return [item for item in map(str.strip, marked) if item]
    lines = cell.splitlines()
    markers = list(map(MARKER.match, lines))
    items = _bulleted_items(lines, markers) if any(markers) else _line_items(lines)
    if cell.lstrip().startswith("•") and len(items) == 1:  # "• one • two" on one line
        items = INLINE_BULLET.split(items[0])
    return [item for item in items if item]


def take_examples(item: str) -> tuple[str, tuple[str, ...]]:
    """A list item's own text, and the examples written under it as sub-bullets starting
    "Example:" (which :func:`split_items` kept as continuation lines)."""
    if ":" not in item or "\n" not in item:
        return item, ()
    kept: list[str] = []
    examples: list[str] = []
    for line in item.split("\n"):
        found = EXAMPLE_LINE.fullmatch(line.strip()) if kept else None
        if found:
            examples.append(found.group(1).strip())
        else:
            kept.append(line)
    return "\n".join(kept), tuple(examples)


def _line_items(lines: list[str]) -> list[str]:
    return [stripped for stripped in map(str.strip, lines) if stripped]


def _bulleted_items(lines: list[str], markers: list[re.Match[str] | None]) -> list[str]:
    items: list[str] = []
    bullet_indent = -1  # indentation of the current item's bullet
    heading = ""
    for line, marker in zip(lines, markers, strict=True):
        stripped = line.strip()
        if not stripped:
            continue
        indent = len(line) - len(line.lstrip())
        if marker and (bullet_indent < 0 or indent <= bullet_indent):
            text = line[marker.end() :].strip()
            items.append(f"{heading} {text}" if heading else text)
            bullet_indent = indent
        elif not marker and stripped.endswith(":") and indent <= max(bullet_indent, 0):
            heading = stripped
        elif items and bullet_indent >= 0:
            items[-1] = f"{items[-1]}\n{stripped}"
        else:
            items.append(stripped)
    return items


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
