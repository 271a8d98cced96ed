"""Build the bad XLSX ladders of ``expected.yaml`` (no binaries are committed).

``tests/integration/test_bad_input.py`` calls :func:`build` into a temporary directory. To
look at the files or to reproduce a case by hand, run from the repository root::

    python tests/data/bad/make_xlsx.py /tmp/bad-xlsx
    skillgrid framework validate /tmp/bad-xlsx/merged_header.xlsx

Every workbook is a small SRE ladder (levels as rows, tracks as columns) that went wrong
in one way only.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

TITLE = "SRE career ladder"
HEADER = ["Level", "Incident Response", "Observability", "Automation"]
BODY = [
    ["SRE I", "Follows the runbook during incidents", "Reads dashboards", "Writes small scripts"],
    [
        "SRE II",
        "Leads the response to most incidents",
        "Adds alerts for new services",
        "Automates toil",
    ],
    [
        "Senior SRE",
        "Runs the incident review",
        "Defines SLOs and error budgets",
        "Builds self-service tooling",
    ],
    [
        "Staff SRE",
        "Shapes the on-call policy",
        "Sets the observability strategy",
        "Sets the automation roadmap",
    ],
]


def _ladder_sheet(sheet, rows: list[list[str]]) -> None:  # type: ignore[no-untyped-def]
    """Title in A1 (merged over the header width, which is allowed), header on row 3."""
    sheet["A1"] = TITLE
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row, start=1):
            if value:
                sheet.cell(row=r, column=c, value=value)


def unknown_sheet(path: Path) -> None:
    """A good ladder on sheet 'Ladder' (and a 'Notes' sheet); the test asks for --sheet Nope."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Ladder"
    _ladder_sheet(sheet, [HEADER, *BODY])
    workbook.create_sheet("Notes")["A1"] = "Reviewed by the SRE leads, March"
    workbook.save(path)


def merged_header(path: Path) -> None:
    """'Observability' spans C3:D3 (two columns of criteria under one merged heading)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Ladder"
    header = ["Level", "Incident Response", "Observability", "", "Automation"]
    body = [
        ["SRE I", "Follows the runbook", "Reads dashboards", "Reads logs", "Writes small scripts"],
        ["SRE II", "Leads most incidents", "Adds alerts", "Adds log fields", "Automates toil"],
        ["Senior SRE", "Runs the review", "Defines SLOs", "Designs tracing", "Builds tooling"],
    ]
    _ladder_sheet(sheet, [header, *body])
    sheet.merge_cells("C3:D3")
    workbook.save(path)


def merged_body(path: Path) -> None:
    """One 'Automation' criterion merged down over SRE II and Senior SRE (D5:D6)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Ladder"
    _ladder_sheet(sheet, [HEADER, *BODY])
    sheet["D5"] = "Automates toil and builds self-service tooling"
    sheet.merge_cells("D5:D6")
    workbook.save(path)


def merged_body_draft_sheet(path: Path) -> None:
    """Like :func:`merged_body`, on the only sheet, named 'draft v2' (lower case)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "draft v2"
    _ladder_sheet(sheet, [HEADER, *BODY])
    sheet["D5"] = "Automates toil and builds self-service tooling"
    sheet.merge_cells("D5:D6")
    workbook.save(path)


def far_cell(path: Path) -> None:
    """A good ladder, and a note typed far off at ALL2000: the sheet's used range (its
    <dimension>) becomes A1:ALL2000, two million cells to walk for a 5 KB file."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Ladder"
    _ladder_sheet(sheet, [HEADER, *BODY])
    sheet["ALL2000"] = "draft, do not share"
    workbook.save(path)


def corrupt(path: Path) -> None:
    """Random bytes under an .xlsx name (a failed download or a mangled attachment)."""
    path.write_bytes(random.Random(20240301).randbytes(2048))


BUILDERS = {
    "unknown_sheet.xlsx": unknown_sheet,
    "merged_header.xlsx": merged_header,
    "merged_body.xlsx": merged_body,
    "merged_body_draft_sheet.xlsx": merged_body_draft_sheet,
    "far_cell.xlsx": far_cell,
    "corrupt.xlsx": corrupt,
}


def build(directory: Path) -> dict[str, Path]:
    """Write every workbook into ``directory``; return file name → path."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, builder in BUILDERS.items():
        builder(directory / name)
        paths[name] = directory / name
    return paths


if __name__ == "__main__":
    for written in build(Path(sys.argv[1] if len(sys.argv) > 1 else ".")).values():
        print(written)
