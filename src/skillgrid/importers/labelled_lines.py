"""Tracks named by bold labels: a ladder written as a heading for each level with no track
headings under it, each expectation opening with the track it belongs to::

    ## Engineer II
    **Impact:** Owns features end to end.
    - **Communication**: Keeps stakeholders informed.

The labels are read as the tracks when they open most of the levels' top-level lines and
one comes under two levels or more (a bold word or two in a sentence is not a track). A line
holding only a label (``**Impact:**``) heads the lines after it, up to the next label; the
sub-items of a labelled line stay its sub-items (``Example:`` lines); a line with no label
stays in the one track it was in, so nothing is lost.
"""

from __future__ import annotations

import re

# "**Impact:** text", "- __Impact__: text", "1. **Impact:**": the label and the rest
_LABELLED = re.compile(
    r"(?:[-*+]|\d{1,9}[.)])?[ \t]*(\*\*|__)([^*_\n]{1,60}?)"
    r"(?::[ \t]*\1|\1[ \t]*:)[ \t]*(.*)"
)
_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+")


def split_by_labels(
    cells: list[list[str]],
) -> tuple[list[dict[str, list[str]]], list[str]] | None:
    """Each level's lines (``cells``) by the track its label names, and the labels in
    first-seen order; None when the lines are not written that way. Lines with no label are
    under ``""``."""
    found = [[_label(line) for line in lines] for lines in cells]
    top = [
        label
        for labels, lines in zip(found, cells, strict=True)
        for label, line in zip(labels, lines, strict=True)
        if not line[:1].isspace()
    ]
    named = [label[0] for label in top if label]
    levels = {name.casefold(): 0 for name in named}  # how many levels each label is under
    for labels in found:
        for name in {label[0].casefold() for label in labels if label}:
            levels[name] += 1
    if not named or 2 * len(named) < len(top) or max(levels.values()) < 2:
        return None
    spelled = {name.casefold(): name for name in reversed(named)}  # as first written
    split = [_split(lines, labels, spelled) for lines, labels in zip(cells, found, strict=True)]
    return split, list(dict.fromkeys(spelled[name.casefold()] for name in named))


def _label(line: str) -> tuple[str, str] | None:
    """A top-level line's label and the text after it, or None."""
    if line[:1].isspace():
        return None
    found = _LABELLED.fullmatch(line.rstrip())
    if found is None or not found.group(2).strip():
        return None
    return found.group(2).strip(), found.group(3).strip()


def _split(
    lines: list[str], labels: list[tuple[str, str] | None], spelled: dict[str, str]
) -> dict[str, list[str]]:
    cells: dict[str, list[str]] = {}
    current: str | None = None  # the track of the last labelled line
    heads = False  # whether that line held only its label: the lines after it are its items
    base: int | None = None  # the indent of those items (their sub-items are deeper)
    for line, label in zip(lines, labels, strict=True):
        indent = len(line) - len(line.lstrip())
        if label is not None:
            current, heads, base = spelled[label[0].casefold()], not label[1], None
            if label[1]:
                cells.setdefault(current, []).append("- " + label[1])
        elif current is not None and heads and (base is None or indent >= base):
            base = indent if base is None else base
            item = "- " + _ITEM.sub("", line, count=1).strip() if indent == base else line[base:]
            cells.setdefault(current, []).append(item)
        elif current is not None and not heads and indent:  # a sub-item (an example)
            cells[current].append(line)
        else:  # no label: where it was
            current = None
            cells.setdefault("", []).append(line)
    return cells
