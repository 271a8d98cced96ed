"""Markdown read line by line, as much as a ladder needs: the lines that hold nothing of it
(fenced code, HTML comments, front matter, HTML tags, horizontal rules), its headings (``#``
and underlined), and list items. No Markdown library: a ladder needs lines and their
numbers, which a parser's tree gives up, and every rule here is CommonMark's where it matters
to a ladder."""

from __future__ import annotations

import re

from skillgrid.domain.errors import LadderError, Problem
from skillgrid.markdown_labels import plain_label

_ATX = re.compile(r" {0,3}(#{1,6})(?=[ \t]|$)")  # the rest, stripped, is the heading's text
_CLOSING = re.compile(r"(?:^|[ \t])#+$")  # "## Senior ##": the closing hashes
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_CLOSING_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})[ \t]*")  # no info string after it
_FRONT_MATTER = re.compile(r"[A-Za-z_][\w -]*:")  # "title: …" on the line after an opening ---
# an HTML block whose lines are not Markdown until its end tag (CommonMark's first kind)
_RAW_BLOCK = re.compile(r" {0,3}<(script|pre|style|textarea)(?=[\s>]|$)", re.IGNORECASE)
_TAG = re.compile(r"[ \t]*</?[A-Za-z][\w-]*(?:[ \t/>]|$)")  # <picture>, </div>, <img …
_RULE = re.compile(r"([-*_])(?:[ \t]*\1){2,}")  # matched on the stripped line
LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
PLUS_ITEM = re.compile(r"^([ \t]*)\+(?=[ \t])")


def readable(lines: list[str], source: str) -> list[str]:
    """``lines`` with fenced code, HTML comments and the insides of ``<style>``,
    ``<script>``, ``<pre>`` and ``<textarea>`` blanked (numbering kept): nothing in them is
    part of a ladder. A fence never closed is a problem at its line."""
    kept = list(lines)
    fence, opened, comment, raw = "", 0, False, ""
    if (end := _front_matter_end(lines)) is not None:
        kept[: end + 1] = [""] * (end + 1)
    for i, line in enumerate(kept):
        if raw:
            raw = "" if f"</{raw}" in line.lower() else raw
            kept[i] = ""
        elif fence:
            closing = _CLOSING_FENCE.fullmatch(line)
            if closing and closing.group(1)[0] == fence[0] and len(closing.group(1)) >= len(fence):
                fence = ""
            kept[i] = ""
        elif comment or "<!--" in line:
            kept[i], comment = _uncommented(line, comment)
            if comment and not line.lstrip().startswith("<!--") and not _closes(lines[i + 1 :]):
                kept[i], comment = line, False  # "<!--" in a line's text, never closed
        elif opening := _FENCE.match(line):
            kept[i], fence, opened = "", opening.group(1), i + 1
        elif block := _RAW_BLOCK.match(line):
            name = block.group(1).lower()
            raw = "" if f"</{name}" in line[block.end() :].lower() else name
            kept[i] = ""
    if fence:
        raise LadderError(
            [
                Problem(
                    f"a code block opened with {fence} is never closed, so nothing after it "
                    "can be read",
                    f"close it with a {fence} line, or remove it",
                    source,
                    opened,
                )
            ]
        )
    return kept


def front_matter(lines: list[str]) -> str | None:
    """The YAML of the front matter the file opens with, or None."""
    end = _front_matter_end(lines)
    return "\n".join(lines[1:end]) if end is not None else None


def _front_matter_end(lines: list[str]) -> int | None:
    """The index of the line closing the front matter the file opens with (``---``,
    ``key: value`` lines, ``---``), or None."""
    if len(lines) < 3 or lines[0].strip() != "---" or not _FRONT_MATTER.match(lines[1]):
        return None
    return next((i for i, line in enumerate(lines[2:], 2) if line.strip() in ("---", "...")), None)


def _uncommented(line: str, inside: bool) -> tuple[str, bool]:
    """``line`` without its HTML comments, and whether a comment is still open after it. A
    line opening with ``<!--`` opens a comment until ``-->``, however far; one opened in a
    line's text runs on only to the end of its paragraph."""
    kept = ""
    while line:
        if inside:
            end = line.find("-->")
            if end < 0:
                return kept, True
            line, inside = line[end + 3 :], False
        else:
            start = line.find("<!--")
            if start < 0:
                return kept + line, False
            kept, line, inside = kept + line[:start], line[start + 4 :], True
    return kept, inside


def _closes(lines: list[str]) -> bool:
    """Whether a comment opened inside a paragraph closes before the paragraph ends."""
    for line in lines:
        if not line.strip():
            return False
        if "-->" in line:
            return True
    return False


def find_headings(lines: list[str], source: str) -> dict[int, tuple[int, str]]:
    """Each heading's line (from 1) → its depth and plain label: ``## Label`` and a line
    underlined with ``===`` (depth 1) or ``---`` (2). A heading with no text is a problem."""
    found: dict[int, tuple[int, str]] = {}
    for i, line in enumerate(lines):
        atx = _ATX.match(line)
        if atx:
            text = _CLOSING.sub("", line[atx.end() :].strip()).strip()
            if not text:
                raise LadderError(
                    [
                        Problem(
                            "a heading with no text",
                            "give it the name of its level or track, or remove it",
                            source,
                            i + 1,
                        )
                    ]
                )
            found[i + 1] = (len(atx.group(1)), plain_label(text))
        elif (
            _SETEXT.fullmatch(line)
            and i
            and _is_paragraph(lines[i - 1])
            and (i < 2 or not lines[i - 2].strip() or i - 1 in found)  # a line of its own
        ):
            found[i] = (1 if "=" in line else 2, plain_label(lines[i - 1].strip()))
            lines[i] = ""  # the underline
    return found


def _is_paragraph(line: str) -> bool:
    return bool(line.strip()) and not (
        _ATX.match(line) or LIST_ITEM.match(line) or line.startswith(("    ", "\t", "<"))
    )


def is_markup(line: str) -> bool:
    """An HTML tag (a picture) or a horizontal rule: nothing of the ladder."""
    return bool(_TAG.match(line) or _RULE.fullmatch(line.strip()))
