"""Markdown ladders: a pipe table (``<br>`` separates items inside a cell, ``\\|`` is a literal
pipe), or, in a file with no table, an outline: a heading for each level (or track), under it
a heading for each track (or level) over its criteria as list items."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from skillgrid.domain.errors import LadderError, Problem
from skillgrid.importers.grid import GridRow, build_from_grid
from skillgrid.importers.options import Format, ImportOptions, ImportResult, Orientation
from skillgrid.importers.text import decode
from skillgrid.markdown_labels import plain_label

_DELIMITER_ROW = re.compile(r"\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*")
_UNESCAPE = re.compile(r"\\([\\|])")
_HEADING = re.compile(r"#{1,6}\s+")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)((?:\\\\)*)\|")
_ATX_HEADING = re.compile(r" {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*")
_FENCE = re.compile(r" {0,3}(```|~~~)")
DESCRIPTION = "Description"
CORNER = "Outline"  # a header row needs two cells; this one hints neither levels nor tracks


def read_markdown(data: bytes, source: str, options: ImportOptions) -> ImportResult:
    """Read the one pipe table of a Markdown file (text lines above it may hold the title),
    or the outline of a file without one."""
    text = decode(data, source, options.encoding)
    lines = text.splitlines()
    if _table_start(lines) is None and (outline := Outline.of(lines, source)) is not None:
        return outline.read(source, options)
    rows = markdown_rows(text, source)
    return build_from_grid(rows, source, Format.MARKDOWN, options, strict_width=False)


def markdown_rows(text: str, source: str) -> list[GridRow]:
    """Lines above the table as one-cell rows, then the table's rows (delimiter row dropped)."""
    lines = text.splitlines()
    start = _table_start(lines)
    if start is None:
        raise LadderError(
            [
                Problem(
                    "no Markdown table (a header line followed by a |---|---| line), and no "
                    "outline (a heading for each level over a heading for each track)",
                    "write the ladder as a pipe table (| Level | Track A | Track B |), or as "
                    "## Level 1, under it ### Track A and its criteria as list items",
                    source,
                )
            ]
        )
    rows = [
        GridRow(n, (_UNESCAPE.sub(r"\1", _HEADING.sub("", line, count=1)).strip(),))
        for n, line in _numbered(lines[:start])
    ]
    rows.append(GridRow(start + 1, tuple(map(plain_label, split_row(lines[start])))))
    end = start + 2
    while end < len(lines) and "|" in lines[end]:
        first, *rest = split_row(lines[end]) or ("",)
        rows.append(GridRow(end + 1, (plain_label(first), *rest)))
        end += 1
    later = _table_start(lines[end:])
    if later is not None:
        raise LadderError(
            [
                Problem(
                    "a second table follows the first; SkillGrid reads one table per file",
                    "put every track in one table, or split the file in two",
                    source,
                    end + later + 1,
                )
            ]
        )
    return rows


def split_row(line: str) -> tuple[str, ...]:
    """Cells of a pipe-table line; a leading and a trailing pipe are optional."""
    stripped = line.strip()
    if stripped.startswith("|"):
        stripped = stripped[1:]
    pieces = _UNESCAPED_PIPE.split(stripped)
    # split() also returns each run of escaped backslashes before a pipe: glue it back
    cells = [pieces[0]]
    for i in range(1, len(pieces), 2):
        cells[-1] += pieces[i]
        cells.append(pieces[i + 1])
    if len(cells) > 1 and cells[-1] == "":
        cells.pop()
    return tuple(_UNESCAPE.sub(r"\1", cell).strip() for cell in cells)


def _table_start(lines: list[str]) -> int | None:
    for i in range(len(lines) - 1):
        if "|" in lines[i] and _DELIMITER_ROW.fullmatch(lines[i + 1]) and "|" in lines[i + 1]:
            return i
    return None


def _numbered(lines: list[str]) -> list[tuple[int, str]]:
    return [(n, line) for n, line in enumerate(lines, start=1) if line.strip()]


@dataclass(frozen=True)
class Outline:
    """A ladder written as headings at two depths: the outer ones (``## Senior``) are levels
    or tracks, the inner ones under them (``### Delivery``) the other, and the lines under an
    inner heading are that cell's criteria. It is read as the table it stands for — a row
    per outer heading, a column per inner one in the order they first appear, the lines under
    one heading as one cell — so every rule of a table holds: which headings are the levels,
    list items as criteria, examples under them, the same located problems (the row is an
    outer heading's line). The lines above the first outer heading may hold the title; a
    first heading shallower than all others is the title. Text under an outer heading before
    its first inner one describes a track (it is read as a description column when the outer
    headings are tracks)."""

    above: tuple[GridRow, ...]
    columns: tuple[str, ...]
    first_column: int  # the line of the first inner heading: the header row's number
    rows: tuple[tuple[GridRow, str], ...]  # an outer heading's cells, and the text before them

    @classmethod
    def of(cls, lines: list[str], source: str) -> Outline | None:
        """The outline of ``lines``, or None when they hold no headings at two depths."""
        headings = _headings(lines)
        depths = sorted({depth for _, depth, _ in headings})
        title_depth = depths[0] if headings and headings[0][1] == depths[0] else None
        if title_depth is not None and sum(d == title_depth for _, d, _ in headings) == 1:
            depths = depths[1:]
        if len(depths) < 2:
            return None
        outer, inner = depths[0], depths[1]
        if len(depths) > 2:
            deeper = next(n for n, depth, _ in headings if depth > inner)
            raise LadderError(
                [
                    Problem(
                        f"headings at {len(depths)} depths under the title; an outline ladder "
                        "has two: a heading for each level and under it one for each track",
                        "make the criteria list items under the track headings, or write the "
                        "ladder as a pipe table",
                        source,
                        deeper,
                    )
                ]
            )
        at = {n: (depth, label) for n, depth, label in headings}
        first_outer = next(n for n, depth, _ in headings if depth == outer)
        above = tuple(
            GridRow(n, (at[n][1] if n in at else line.strip(),))
            for n, line in enumerate(lines[: first_outer - 1], start=1)
            if line.strip() and not _is_markup(line)
        )
        columns: list[str] = []
        rows: list[tuple[int, str, dict[str, list[str]], list[str]]] = []
        section: list[str] | None = None
        for n, line in _content(lines, first_outer):
            depth, label = at.get(n, (0, ""))
            if depth == outer:
                rows.append((n, label, {}, []))
                section = rows[-1][3]
            elif depth == inner:
                if label not in columns:
                    columns.append(label)
                section = rows[-1][2].setdefault(label, [])
            elif section is not None and line.strip() and not _is_markup(line):
                section.append(line.rstrip())
        first_inner = next(n for n, depth, _ in headings if depth == inner)
        return cls(
            above,
            tuple(columns),
            first_inner,
            tuple(
                (
                    GridRow(n, (label, *("\n".join(cells.get(c, ())) for c in columns))),
                    " ".join(line.strip() for line in before),
                )
                for n, label, cells, before in rows
            ),
        )

    def read(self, source: str, options: ImportOptions) -> ImportResult:
        grid = [GridRow(self.first_column, (CORNER, *self.columns)), *(row for row, _ in self.rows)]
        result = build_from_grid([*self.above, *grid], source, Format.MARKDOWN, options)
        described = [(row.number, text) for row, text in self.rows if text]
        if not described:
            return result
        if result.levels_as is Orientation.COLUMNS:  # the outer headings are tracks
            with_text = [
                GridRow(self.first_column, ("", DESCRIPTION, *self.columns)),
                *(
                    GridRow(row.number, (row.cells[0], text, *row.cells[1:]))
                    for row, text in self.rows
                ),
            ]
            options = replace(options, levels_as=Orientation.COLUMNS)
            found = build_from_grid([*self.above, *with_text], source, Format.MARKDOWN, options)
            return replace(found, warnings=result.warnings)
        lines = ", ".join(str(number) for number, _ in described)
        return replace(
            result,
            warnings=(
                *result.warnings,
                f"the text under a level's heading before its first track (line {lines}) was "
                "not read: a level has a name and criteria; to keep it, make it criteria "
                "under a track heading",
            ),
        )


def _headings(lines: list[str]) -> list[tuple[int, int, str]]:
    """Each ATX heading outside fenced code: its line (from 1), depth and plain label."""
    return [
        (n, len(found.group(1)), plain_label(found.group(2)))
        for n, line in _content(lines, 1)
        if (found := _ATX_HEADING.fullmatch(line)) and found.group(2).strip()
    ]


def _content(lines: list[str], start: int) -> list[tuple[int, str]]:
    """The lines from line ``start`` on (numbered from 1) that are not fenced code."""
    found: list[tuple[int, str]] = []
    fence: str | None = None
    for n, line in enumerate(lines[start - 1 :], start=start):
        opening = _FENCE.match(line)
        if opening and (fence is None or opening.group(1) == fence):
            fence = None if fence else opening.group(1)
        elif fence is None:
            found.append((n, line))
    return found


def _is_markup(line: str) -> bool:
    """HTML (a picture, a comment) or a rule: nothing of the ladder."""
    stripped = line.strip()
    return stripped.startswith("<") or bool(re.fullmatch(r"([-*_])(\s*\1){2,}", stripped))
