"""Rows and columns of a table that hold no level or track: a heading over a group of
tracks, a note under the table, a column (or row) describing each track; and a table whose
cells hold no criteria at all (an index of links, a table of yes and no)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from skillgrid.importers.labels import is_plain_number

if TYPE_CHECKING:
    from skillgrid.importers.grid import GridRow, Labelled

_NOT_LADDER = re.compile(
    r"notes?|comments?|remarks?|descriptions?|summary|overview|examples?|definitions?",
    re.IGNORECASE,
)
_DESCRIPTION = re.compile(
    r"descriptions?|summary|summaries|definitions?|overview|purpose|what it (?:means|is)",
    re.IGNORECASE,
)


def set_aside_rows(body: list[GridRow], tracks_in_rows: bool) -> tuple[list[GridRow], list[str]]:
    """The rows that are levels or tracks, and a warning for each row left out.

    A row with a label and nothing else is a note when no row below it has content (unless
    its label is a level's number); it is a heading over the rows below it when those rows
    are tracks ("Technical" over "Coding" and "Design"). A level with no criteria at all in
    the middle of the table stays a level (leaving it out would leave a gap).
    """
    last = max((i for i, row in enumerate(body) if row.filled() > 1), default=None)
    if last is None:
        return body, []
    kept: list[GridRow] = []
    warnings: list[str] = []
    what = "track" if tracks_in_rows else "level"
    for i, row in enumerate(body):
        label = row.get(0).strip()
        note = i > last and not is_plain_number(label)
        heading = i < last and tracks_in_rows
        if row.filled() != 1 or not label or not (note or heading):
            kept.append(row)
            continue
        role = "a note under the table" if note else "a heading over the rows below it"
        warnings.append(
            f"row {row.number} ({label[:40]!r}) has a label and nothing else, so it was read "
            f"as {role}, not as a {what}; if it is a {what} with no criteria yet, put - in "
            "one of its cells"
        )
    return kept, warnings


def description_index(labels: list[Labelled]) -> int | None:
    """Which of the level labels heads track descriptions ("Summary", "Description"), if any."""
    found = (i for i, label in enumerate(labels) if _DESCRIPTION.fullmatch(label.text))
    return next(found, None) if len(labels) > 1 else None


def stray_labels(labels: list[Labelled], what: str, where: str) -> list[str]:
    """A warning for each level or track labelled like something else ("Notes", "Examples")."""
    return [
        f"the {where} {label.text!r} (row {label.row}, column {label.column}) was read as a "
        f"{what}; if it is not part of the ladder, remove it from the file"
        for label in labels
        if _NOT_LADDER.fullmatch(label.text)
    ]


# a cell that is only a link, or a mark of yes or no: it says nothing anyone does
_THIN = re.compile(
    r"\s*(?:\[[^\]]*\]\([^)]*\)|https?://\S+|<[^>\s]+>"
    r"|yes|no|y|n|x|true|false|tbd|[✓✔✗✘])\s*[.!]?\s*",
    re.IGNORECASE,
)


def thin_cells(criteria: list[str]) -> list[str]:
    """A warning when most criteria are a bare link or a yes or no ("[Senior](senior.md)",
    "No"): a ladder's criteria say what someone does, so the table is likely something else
    (an index of the levels, the ladder itself elsewhere in the file)."""
    thin = [text for text in criteria if _THIN.fullmatch(text)]
    if len(criteria) < 4 or len(thin) * 2 <= len(criteria):
        return []
    return [
        f"{len(thin)} of {len(criteria)} criteria are a bare link or a yes or no (e.g. "
        f"{thin[0][:40]!r}): is this table the ladder? A criterion says what someone at "
        "that level does; an index of links or a table of marks reads as nonsense"
    ]
