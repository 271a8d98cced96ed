"""XLSX export: a formatted sheet (wrapped text, frozen header) that reads back exactly."""

from __future__ import annotations

import io

from skillgrid.domain.framework import Framework
from skillgrid.exporters.table import table_rows
from skillgrid.formulas import store_as_text


def write_xlsx(framework: Framework) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Ladder"
    rows = table_rows(framework)
    for row in rows:
        sheet.append(row)
    store_as_text(sheet)
    header_row = 3 if framework.title else 1
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=header_row):
        for cell in row:
            cell.alignment = wrap
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    if framework.title:
        sheet["A1"].font = Font(bold=True, size=14)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    sheet.column_dimensions["A"].width = 18
    for column in range(2, len(framework.tracks) + 2):
        sheet.column_dimensions[get_column_letter(column)].width = 45
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
