"""People files as Excel workbooks (what HR systems export): read like the CSV, whatever
the file is named; problems name the sheet, the row and the column; a broken or merged
workbook changes nothing."""

from __future__ import annotations

import io

import openpyxl
import pytest

from skillgrid.domain.assessments import OPERATOR
from skillgrid.domain.errors import InputError
from skillgrid.services import people_import
from skillgrid.services.people_sync import sync_people
from tests.unit.fakes import FakeUnitOfWork
from tests.unit.test_people_services import PEOPLE_CSV


def workbook(rows: list[list[object]], *, title: str = "Export", merge: str | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    kept = io.BytesIO()
    book.save(kept)
    return kept.getvalue()


def csv_rows() -> list[list[object]]:
    return [line.split(",") for line in PEOPLE_CSV.decode().splitlines()]


def test_a_workbook_is_read_as_the_same_people_as_the_csv() -> None:
    from_csv, from_xlsx = FakeUnitOfWork(), FakeUnitOfWork()
    people_import.import_people(from_csv, PEOPLE_CSV, "people.csv", actor=OPERATOR)
    people_import.import_people(from_xlsx, workbook(csv_rows()), "people.xlsx", actor=OPERATOR)
    assert from_xlsx.people.people() == from_csv.people.people()


def test_a_workbook_is_known_by_its_content_whatever_its_name() -> None:
    uow = FakeUnitOfWork()
    people_import.import_people(uow, workbook(csv_rows()), "export-from-hr", actor=OPERATOR)
    assert len(uow.people.people()) == 3


def test_blank_rows_and_numbers_in_cells_are_read_as_text() -> None:
    rows = [["name", "email", "team", "manager_email", "role"], [], ["Bo", "bo@x.org", 42, None]]
    uow = FakeUnitOfWork()
    people_import.import_people(uow, workbook(rows), "people.xlsx", actor=OPERATOR)
    bo = uow.people.get("bo@x.org")
    assert bo is not None and bo.team == "42"


def test_a_bad_row_names_the_sheet_row_and_column_and_changes_nothing() -> None:
    rows = csv_rows()
    rows[2][1] = "ana at example.com"
    uow = FakeUnitOfWork()
    with pytest.raises(InputError, match=r"hr\.xlsx \[Export\], row 3, column 2"):
        people_import.import_people(uow, workbook(rows), "hr.xlsx", actor=OPERATOR)
    assert uow.people.people() == []


def test_merged_cells_are_refused_with_where_they_are() -> None:
    rows = csv_rows()
    rows[2][2] = ""  # Ana's team would be read as empty under a merged "SRE"
    with pytest.raises(InputError, match=r"merged cells C2:C3") as refused:
        people_import.import_people(
            FakeUnitOfWork(), workbook(rows, merge="C2:C3"), "hr.xlsx", actor=OPERATOR
        )
    assert "unmerge them" in str(refused.value)


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04 not really a zip", b"PK\x03\x04" + bytes(200)],
    ids=["truncated", "zeros"],
)
def test_a_broken_workbook_is_one_clear_problem(data: bytes) -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(InputError, match="not a readable XLSX workbook") as refused:
        sync_people(uow, data, "hr.xlsx", actor=OPERATOR)
    assert "save it again as .xlsx" in str(refused.value)
    assert uow.people.people() == []


def test_an_empty_workbook_is_refused_as_an_empty_file() -> None:
    with pytest.raises(InputError, match="the people file is empty"):
        people_import.import_people(FakeUnitOfWork(), workbook([]), "hr.xlsx", actor=OPERATOR)
