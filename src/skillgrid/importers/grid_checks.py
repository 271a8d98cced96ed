"""The checks of a grid's shape and labels, each adding every problem it finds, located by
row and column, to one list: cell sizes, an empty file or no header row, ragged or unlabelled
rows, and too many, empty or duplicate level and track labels."""

from __future__ import annotations

from typing import TYPE_CHECKING

from skillgrid.domain.errors import LadderError, Problem
from skillgrid.importers.options import MAX_CELL_CHARS

if TYPE_CHECKING:
    from skillgrid.importers.grid import GridRow, Labelled


class Problems:
    """Problems found so far; columns are counted in the grid without its empty columns and
    reported as the source shows them (``kept`` holds each kept column's source index)."""

    def __init__(self, source: str, kept: tuple[int, ...] = ()) -> None:
        self.source = source
        self.kept = kept
        self.items: list[Problem] = []

    def add(self, message: str, hint: str, row: int | None = None, col: int | None = None) -> None:
        self.items.append(Problem(message, hint, self.source, row, self.column(col)))

    def column(self, col: int | None) -> int | None:
        """A column of the grid without its empty columns, as the source numbers it."""
        if col is None or not self.kept:
            return col
        if col <= len(self.kept):
            return self.kept[col - 1] + 1
        return self.kept[-1] + 1 + col - len(self.kept)  # past the last kept column

    def raise_if_any(self) -> None:
        if self.items:
            raise LadderError(self.items)


def cell_sizes(rows: list[GridRow], problems: Problems) -> None:
    for row in rows:
        for i, cell in enumerate(row.cells):
            if len(cell) > MAX_CELL_CHARS:
                problems.add(
                    f"cell holds {len(cell):,} characters; the limit is {MAX_CELL_CHARS:,}",
                    "a cell holds the criteria of one track at one level: shorten it or "
                    "check that a quote is not left open so the rest of the file ran into it",
                    row.number,
                    i + 1,
                )


def no_header(rows: list[GridRow], problems: Problems) -> None:
    if not any(row.filled() for row in rows):
        problems.add(
            "the file is empty",
            "give a table with a header row of track names and one row per level",
        )
    else:
        problems.add(
            "no header row: no row has two or more non-empty cells",
            "a ladder is a table: a header row naming the tracks (or levels), then one row "
            "per level (or track) with its label in the first column",
        )
    problems.raise_if_any()


def body_rows(
    header: GridRow, body: list[GridRow], width: int, strict_width: bool, problems: Problems
) -> None:
    if not body:
        problems.add(
            "the header has no rows below it",
            "add one row per level (or per track) under the header",
            header.number,
        )
    for row in body:
        stray = [i for i in range(width, len(row.cells)) if row.cells[i].strip()]
        if stray:
            at, last = problems.column(stray[0] + 1), problems.column(width)
            problems.add(
                f"ragged row: a value in column {at}, past the header's last column ({last})",
                "give that column a header, or remove the value (a delimiter inside an "
                "unquoted cell splits it in two: quote the cell)",
                row.number,
                stray[0] + 1,
            )
        elif strict_width and len(row.cells) < width:
            ends, last = problems.column(len(row.cells)), problems.column(width)
            problems.add(
                f"ragged row: it ends at column {ends}, before the header's last column ({last})",
                "give every row as many cells as the header (empty cells are fine)",
                row.number,
                len(row.cells) + 1,
            )
        if not row.get(0).strip():
            problems.add(
                "the row has content but no label in its first column",
                "put the level (or track) label in the first column",
                row.number,
                1,
            )


def duplicates(labels: list[Labelled], what: str, where: str, problems: Problems) -> None:
    seen: dict[str, Labelled] = {}
    for label in labels:
        key = label.text.casefold()
        if key and key in seen:
            first = seen[key]
            problems.add(
                f"duplicate {what} {label.text!r} (also at row {first.row}, column {first.column})",
                f"each {what} must appear once in the {where}: rename or merge them",
                label.row,
                label.column,
            )
        seen.setdefault(key, label)


def too_many(labels: list[Labelled], what: str, limit: int, problems: Problems) -> None:
    if len(labels) > limit:
        problems.add(
            f"{len(labels)} {what}s; the limit is {limit}",
            "check that levels and tracks are not swapped (--levels-as) or split the ladder",
        )


def empty(labels: list[Labelled], what: str, where: str, problems: Problems) -> None:
    for label in labels:
        if not label.text:
            problems.add(
                f"empty {what} name",
                f"give every {what} a name in the {where}",
                label.row,
                label.column,
            )
