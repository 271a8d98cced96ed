"""Excel workbooks (openpyxl): one sheet, chosen by ``--sheet`` or the first one."""

from __future__ import annotations

import datetime
import io
from typing import Any

from skillgrid.domain.errors import LadderError, Problem
from skillgrid.importers.grid import GridRow, build_from_grid, find_header
from skillgrid.importers.options import Format, ImportOptions, ImportResult


def read_xlsx(data: bytes, source: str, options: ImportOptions) -> ImportResult:
    """Read a ladder from one worksheet; merged cells in or below the header are refused."""
    import openpyxl  # heavy: imported only when a workbook is read

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds on files it cannot read
        raise LadderError(
            [
                Problem(
                    f"not a readable XLSX workbook ({type(error).__name__}: {error})",
                    "open it in a spreadsheet and save it again as .xlsx (Excel workbook)",
                    source,
                )
            ]
        ) from None
    if options.sheet is not None and options.sheet not in workbook.sheetnames:
        names = ", ".join(repr(name) for name in workbook.sheetnames)
        raise LadderError(
            [
                Problem(
                    f"no sheet named {options.sheet!r}",
                    f"the workbook has: {names}; pass one of them to --sheet",
                    source,
                )
            ]
        )
    sheet = workbook[options.sheet] if options.sheet else _default_sheet(workbook, source)
    where = f"{source} [{sheet.title}]"
    rows = [
        GridRow(number, tuple(map(_text, values)))
        for number, values in enumerate(
            sheet.iter_rows(min_row=1, min_col=1, values_only=True), start=1
        )
    ]
    _refuse_merged_cells(sheet, rows, where)
    title = sheet.title
    others = [ws.title for ws in workbook.worksheets if ws is not sheet]
    del workbook, sheet  # let the workbook's many objects go before building the ladder
    try:
        return build_from_grid(rows, where, Format.XLSX, options, strict_width=False)
    except LadderError as error:
        if options.sheet or not others:
            raise
        names = ", ".join(repr(name) for name in others)
        hint = Problem(
            f"read sheet {title!r}; the workbook also has {names}",
            "if the ladder is on another sheet, name it with --sheet",
            source,
        )
        raise LadderError([*error.problems, hint]) from None


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
                "the workbook has no worksheet (only charts)", "save the ladder as a sheet", source
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


def _refuse_merged_cells(sheet: Any, rows: list[GridRow], where: str) -> None:
    header = find_header(rows)
    header_row = rows[header].number if header is not None else 1
    problems = []
    for merged in sheet.merged_cells.ranges:
        if merged.max_row < header_row:
            continue  # a title merged across the top of the sheet is fine
        place = "header" if merged.min_row <= header_row else "table"
        problems.append(
            Problem(
                f"merged cells {merged.coord} in the {place}",
                "unmerge them and give each column its own track or level, and each cell "
                "its own criteria",
                where,
                merged.min_row,
                merged.min_col,
            )
        )
    if problems:
        raise LadderError(problems)
