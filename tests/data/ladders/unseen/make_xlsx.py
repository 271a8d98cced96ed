"""Rebuild the XLSX ladders of this folder (SkillGrid's own text, in spreadsheet shapes).

Usage (from the repository root)::

    python tests/data/ladders/unseen/make_xlsx.py
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).parent

TRACKS = {
    "Delivery": [
        "• Ships small, well-scoped changes with guidance\n"
        "• Asks for help when blocked for more than a day",
        "• Delivers features end to end within the team\n"
        "• Breaks work into reviewable pull requests",
        "• Leads projects of several engineers to completion\n"
        "• Spots scope creep early and renegotiates it",
        "• Delivers programmes that span several teams\n"
        "• Sets the delivery practices other teams copy",
    ],
    "Craft": [
        "• Writes readable code with tests\n• Follows the team's style guide",
        "• Chooses fitting designs for features\n• Reviews peers' code with useful comments",
        "• Designs services that others build on\n• Pays down technical debt deliberately",
        "• Shapes the architecture of a product area\n• Writes design principles the org adopts",
    ],
    "Collaboration": [
        "• Shares progress in stand-up\n• Takes feedback well",
        "• Pairs with teammates on hard problems\n• Writes clear tickets and docs",
        "• Mentors two or more engineers\n• Resolves disagreements inside the team",
        "• Builds alignment between engineering and product leaders\n• Grows senior engineers",
    ],
}
LEVELS = ["L1 / Junior", "L2 / Mid", "L3 / Senior", "L4 / Staff"]


def _wrap(sheet) -> None:
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def levels_as_columns() -> None:
    """A notes sheet the workbook opens on, then the matrix: a merged title, a blank row,
    tracks as rows, levels as columns, a blank spacer row and column."""
    book = Workbook()
    notes = book.active
    notes.title = "Read me"
    notes.append(["How to use this ladder"])
    notes.append(["Each row is a competency; each column a level. Levels are cumulative."])
    sheet = book.create_sheet("Matrix")
    sheet.append(["Acme Engineering Ladder 2024"])
    sheet.merge_cells("A1:F1")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(["Competency", None, *LEVELS])
    for name, cells in TRACKS.items():
        sheet.append([name, None, *cells])
        if name == "Delivery":
            sheet.append([])
    _wrap(sheet)
    book.active = 0
    book.save(HERE / "acme_levels_columns.xlsx")


SUB = {
    "Technical": {
        "Code quality": ["Writes tested code", "Raises the team's bar", "Sets org standards"],
        "System design": ["Designs a component", "Designs a service", "Designs across services"],
        "Operations": ["Joins on-call", "Runs incidents", "Improves org reliability"],
    },
    "People": {
        "Mentoring": ["Helps new joiners", "Mentors engineers", "Grows leaders"],
        "Communication": ["Writes clear updates", "Presents to the team", "Speaks for the org"],
    },
}


def sub_competencies() -> None:
    """A category merged down column A over its sub-competencies in column B."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Competencies"
    sheet.append(["Category", "Competency", "IC1", "IC2", "IC3"])
    row = 2
    for category, competencies in SUB.items():
        first = row
        for name, cells in competencies.items():
            sheet.append([category if row == first else None, name, *cells])
            row += 1
        sheet.merge_cells(start_row=first, start_column=1, end_row=row - 1, end_column=1)
    _wrap(sheet)
    book.save(HERE / "acme_sub_competencies.xlsx")


if __name__ == "__main__":
    levels_as_columns()
    sub_competencies()
