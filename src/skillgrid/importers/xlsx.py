"""Excel workbooks (openpyxl): one sheet, chosen by ``--sheet`` or the one the workbook opens
on (the first other with a table when that one has none).

The workbook is opened read-only, so only the chosen sheet is parsed, and only after
:mod:`skillgrid.importers.xlsx_extent` has measured it: its cells are then walked within
that extent, which the limits bound (a far stray cell is refused, never walked to).
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from skillgrid.domain.errors import LadderError, Problem
from skillgrid.importers.grid import GridRow, build_from_grid, find_header
from skillgrid.importers.labels import looks_like_levels, orientation_hint
from skillgrid.importers.options import Format, ImportOptions, ImportResult
from skillgrid.importers.xlsx_extent import Extent, check_unpacked_size, sheet_extent


@dataclass(frozen=True)
class Sheet:
    """One worksheet read within its extent: its rows, the name problems give it, its title,
    the workbook's other sheets, its merged ranges and the workbook's visible sheets."""

    rows: list[GridRow]
    where: str
    title: str
    others: list[str]
    merged: tuple[Any, ...]
    visible: list[str]


def read_sheet(data: bytes, source: str, name: str | None = None) -> Sheet:
    """The rows of the sheet called ``name`` (default: the one the workbook opens on),
    measured before its cells are walked."""
    import openpyxl  # heavy: imported only when a workbook is read

    with _readable(source):
        archive = zipfile.ZipFile(io.BytesIO(data))
        check_unpacked_size(archive, source)
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
    try:
        sheet = _chosen_sheet(workbook, name, source)
        where = f"{source} [{sheet.title}]"
        with _readable(source):
            extent = sheet_extent(archive, sheet.title, where)
            rows = _rows(sheet, extent)
        others = [ws.title for ws in workbook.worksheets if ws is not sheet]
        visible = [ws.title for ws in workbook.worksheets if ws.sheet_state == "visible"]
        return Sheet(rows, where, sheet.title, others, extent.merged, visible)
    finally:
        workbook.close()


def read_xlsx(data: bytes, source: str, options: ImportOptions) -> ImportResult:
    """Read a ladder from one worksheet; merged cells in or below the header are refused,
    but for a category merged down the first column over the tracks it groups."""
    sheet = read_sheet(data, source, options.sheet)
    skipped = None
    if options.sheet is None and find_header(sheet.rows) is None:
        skipped, sheet = sheet.title, _first_table(data, source, sheet)
    rows, merged, grouped = _set_aside_groups(sheet.merged, sheet.rows)
    _refuse_merged_cells(merged, rows, sheet.where)
    try:
        result = build_from_grid(rows, sheet.where, Format.XLSX, options, strict_width=False)
    except LadderError as error:
        if options.sheet or not sheet.others:
            raise
        names = ", ".join(repr(name) for name in sheet.others)
        hint = Problem(
            f"read sheet {sheet.title!r}; the workbook also has {names}",
            "if the ladder is on another sheet, name it with --sheet",
            source,
        )
        raise LadderError([*error.problems, hint]) from None
    if grouped:
        result = replace(result, warnings=(*result.warnings, grouped))
    if skipped is None:
        return result
    note = (
        f"sheet {skipped!r}, which the workbook opens on, holds no table, so sheet "
        f"{sheet.title!r} was read; to read another, name it with --sheet"
    )
    return replace(result, warnings=(note, *result.warnings))


def _first_table(data: bytes, source: str, opened: Sheet) -> Sheet:
    """The first other visible sheet with a table on it (a workbook that opens on a notes
    sheet); ``opened`` itself when none has one, so its error is the one given."""
    for name in (name for name in opened.visible if name != opened.title):
        try:
            sheet = read_sheet(data, source, name)
        except LadderError:
            continue  # past a limit: not the ladder, or not one to read unasked
        if find_header(sheet.rows) is not None:
            return sheet
    return opened


@contextmanager
def _readable(source: str) -> Iterator[None]:
    """Whatever the zip, XML or openpyxl code raises on a broken file becomes one problem
    (openpyxl raises many kinds, and in read-only mode while the cells are walked)."""
    try:
        yield
    except LadderError:
        raise
    except Exception as error:
        raise LadderError(
            [
                Problem(
                    f"not a readable XLSX workbook ({type(error).__name__}: {error})",
                    "open it in a spreadsheet and save it again as .xlsx (Excel workbook)",
                    source,
                )
            ]
        ) from None


def _chosen_sheet(workbook: Any, name: str | None, source: str) -> Any:
    if name is None:
        return _default_sheet(workbook, source)
    if name not in workbook.sheetnames:
        names = ", ".join(repr(name) for name in workbook.sheetnames)
        raise LadderError(
            [
                Problem(
                    f"no sheet named {name!r}",
                    f"the workbook has: {names}; pass one of them to --sheet",
                    source,
                )
            ]
        )
    return workbook[name]


def _rows(sheet: Any, extent: Extent) -> list[GridRow]:
    """The sheet's rows up to its extent, each as wide as the widest (empty cells as "")."""
    if not extent.rows:
        return []
    values = sheet.iter_rows(
        min_row=1, max_row=extent.rows, min_col=1, max_col=extent.columns, values_only=True
    )
    return [GridRow(number, tuple(map(_text, row))) for number, row in enumerate(values, start=1)]


def _default_sheet(workbook: Any, source: str) -> Any:
    """The sheet the workbook opens on, if it is a visible worksheet; else the first visible."""
    worksheets = workbook.worksheets
    visible = [ws for ws in worksheets if ws.sheet_state == "visible"]
    if workbook.active in visible:
        return workbook.active
    if visible or worksheets:
        return (visible or worksheets)[0]
    raise LadderError(
        [
            Problem(
                "the workbook has no worksheet (only charts)", "save the table as a sheet", source
            )
        ]
    )


def _text(value: Any) -> str:
    if type(value) is str:
        if "\r" in value or "_x000D_" in value:
            return value.replace("_x000D_", "").replace("\r\n", "\n")
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _set_aside_groups(
    ranges: tuple[Any, ...], rows: list[GridRow]
) -> tuple[list[GridRow], tuple[Any, ...], str | None]:
    """A category merged down the table's first column over rows that each name their track
    in the next column ("Technical" over "Code quality" and "Testing") groups those tracks: the
    column is left out, as a heading row over a group of tracks is, and a warning names the
    groups. Returns the rows, the merged ranges still to refuse, and that warning. When any
    other range is merged below the title, or the next column does not name every row's
    track, nothing is set aside."""
    found = find_header(rows)
    if found is None:
        return rows, ranges, None
    header = rows[found]
    body = [row for row in rows[found + 1 :] if row.filled()]
    first = min(_first_filled(row) for row in [header, *body])
    below = [m for m in ranges if m.max_row >= header.number]
    groups = [
        m
        for m in below
        if m.min_col == m.max_col == first + 1 and header.number < m.min_row < m.max_row
    ]
    names = header.get(first + 1).strip()
    labels = [label for row in body if (label := row.get(first).strip())]
    if (
        not groups
        or len(groups) != len(below)
        or not names
        or looks_like_levels([names])
        or looks_like_levels(labels)  # a level merged over rows: not a group of tracks
        or orientation_hint(header.get(first)) == "levels"
        or not all(row.get(first + 1).strip() for row in body)
    ):
        return rows, ranges, None
    kept = [_without(row, first, row.number < header.number) for row in rows]
    shown = ", ".join(repr(label[:40]) for label in labels[:5]) + (" …" if len(labels) > 5 else "")
    warning = (
        f"column {first + 1} ({header.get(first).strip() or 'no heading'}: {shown}) groups the "
        f"tracks named in column {first + 2}, so it was left out; tracks are not grouped in a "
        "ladder: to keep a group, write it into the track names ('Group: track')"
    )
    return kept, tuple(m for m in ranges if m not in groups), warning


def _first_filled(row: GridRow) -> int:
    return next((i for i, cell in enumerate(row.cells) if cell.strip()), len(row.cells))


def _without(row: GridRow, column: int, above: bool) -> GridRow:
    """``row`` with the cell at ``column`` emptied; a line above the table (its title) moves
    one column right instead, so that the emptied column is empty from top to bottom."""
    if len(row.cells) <= column or not row.cells[column].strip():
        return row
    cells = [*row.cells, ""] if len(row.cells) == column + 1 else list(row.cells)
    if above and not cells[column + 1].strip():
        cells[column + 1] = cells[column]
    cells[column] = ""
    return GridRow(row.number, tuple(cells))


def _refuse_merged_cells(ranges: tuple[Any, ...], rows: list[GridRow], where: str) -> None:
    header = find_header(rows)
    header_row = rows[header].number if header is not None else 1
    problems = []
    for merged in ranges:
        if merged.max_row < header_row:
            continue  # a title merged across the top of the sheet is fine
        place = "header" if merged.min_row <= header_row else "table"
        grouping = place == "table" and merged.max_col == 1 and merged.max_row > merged.min_row
        problems.append(
            Problem(
                f"merged cells {merged.coord} in the {place}",
                # a category merged down the first column, over the rows that are tracks
                "a label merged down the first column groups the rows beside it: when the "
                "next column names each row's track, delete the first column (write 'Group: "
                "track' to keep the group); otherwise unmerge it and label each row"
                if grouping
                else "unmerge them and give each column its own track or level, and each "
                "cell its own criteria",
                where,
                merged.min_row,
                merged.min_col,
            )
        )
    if problems:
        raise LadderError(problems)
