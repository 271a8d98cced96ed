"""People files: CSV, tab-separated (named ``.tsv`` or ``.tab``) or an Excel workbook (named
``.xlsx``, or any file that is one: the sheet it opens on), with header
``name,email,team,manager_email,role``.

``team``, ``manager_email`` and ``role`` may be empty (role defaults to engineer). Each
person appears once; every problem is reported with its row and column.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from skillgrid.domain.errors import InputError, Problem
from skillgrid.domain.people import EMAIL, Person, Role, normal_email
from skillgrid.importers.delimited import csv_delimiter, parse_rows
from skillgrid.importers.grid import GridRow
from skillgrid.importers.text import decode

COLUMNS = ("name", "email", "team", "manager_email", "role")
MAX_TEAM_NAME = 200
ZIP = b"PK\x03\x04"  # how an XLSX workbook (a zip archive) begins
HINT = "start the file with the header name,email,team,manager_email,role"


@dataclass(frozen=True)
class PeopleFile:
    """People read from a file, the columns it has, and who had no role written; where each
    person is (email → row) and each column is (name → column), counting from 1."""

    people: list[Person]
    columns: frozenset[str]
    blank_roles: frozenset[str]
    rows: Mapping[str, int] = field(default_factory=dict)
    column_numbers: Mapping[str, int] = field(default_factory=dict)


def read_people(data: bytes, source: str) -> PeopleFile:
    """The people of a CSV, TSV or XLSX file, or an InputError listing every problem."""
    rows, source = _rows(data, source)
    if not rows:
        raise InputError([Problem("the people file is empty", HINT, source)])
    # "Manager Email" and "manager-email", as HR exports write it, read as manager_email
    header = ["_".join(cell.lower().replace("-", " ").split()) for cell in rows[0].cells]
    if "name" not in header and "email" not in header:  # a title, or no header at all
        first = ", ".join(cell.strip() for cell in rows[0].cells if cell.strip())
        hint = f"{HINT}, deleting any title row above it"
        raise InputError(
            [
                Problem(
                    f"{first!r} is not the header",
                    hint,
                    source,
                    rows[0].number,
                )
            ]
        )
    unknown = [
        Problem(
            f"column {rows[0].cells[at].strip()!r} is not one SkillGrid reads",
            f"delete the column, keeping {', '.join(COLUMNS)}",
            source,
            rows[0].number,
            at + 1,
        )
        for at, name in enumerate(header)
        if name and name not in COLUMNS
    ]
    if unknown:
        raise InputError(unknown)
    if "name" not in header or "email" not in header:
        raise InputError([Problem(f"the header is {', '.join(header)!r}", HINT, source, 1)])
    column = {name: header.index(name) for name in COLUMNS if name in header}
    people: list[Person] = []
    first_row: dict[str, int] = {}
    problems: list[Problem] = []
    for row in rows[1:]:
        person = _read_row(row, column, first_row, problems, source)
        if person is not None:
            people.append(person)
    if problems:
        raise InputError(problems)
    role_at = column.get("role")
    blank = {
        normal_email(row.get(column["email"]))
        for row in rows[1:]
        if role_at is None or not row.get(role_at).strip()
    }
    return PeopleFile(
        people,
        frozenset(column),
        frozenset(blank),
        dict(first_row),
        {name: at + 1 for name, at in column.items()},
    )


def _rows(data: bytes, source: str) -> tuple[list[GridRow], str]:
    """The file's rows that hold anything, and the name its problems give it (a workbook's
    names its sheet). A workbook is known by its name or, whatever its name, its content."""
    if source.lower().endswith(".xlsx") or data.startswith(ZIP):
        from skillgrid.importers.xlsx import read_sheet

        sheet = read_sheet(data, source)
        if sheet.merged:  # a merged team reads as blank below its first row
            first = sheet.merged[0]
            hint = "unmerge them and write each person's team, manager and role in their row"
            if first.max_row == 1:  # a title merged across the top
                hint = f"delete the title row above the header and {HINT}"
            where = (sheet.where, first.min_row, first.min_col)
            raise InputError([Problem(f"merged cells {first.coord}", hint, *where)])
        return [row for row in sheet.rows if row.filled()], sheet.where
    text = decode(data, source)
    delimiter = "\t" if source.lower().endswith((".tsv", ".tab")) else csv_delimiter(text)
    rows = parse_rows(text, delimiter, source)
    return [row for row in rows if row.filled()], source


def _read_row(
    row: GridRow,
    column: dict[str, int],
    first_row: dict[str, int],
    problems: list[Problem],
    source: str,
) -> Person | None:
    def cell(name: str) -> str:
        return row.get(column[name]).strip() if name in column else ""

    def problem(message: str, hint: str, name: str) -> None:
        problems.append(Problem(message, hint, source, row.number, column[name] + 1))

    found = len(problems)
    email, manager = normal_email(cell("email")), normal_email(cell("manager_email")) or None
    role = cell("role").lower() or Role.ENGINEER.value
    if not EMAIL.fullmatch(email):
        problem(f"{cell('email')!r} is not an email address", "write name@example.com", "email")
    elif email in first_row:
        problem(
            f"{email} appears twice (first at row {first_row[email]})",
            "a person is in one place: keep one row for them",
            "email",
        )
    if manager and not EMAIL.fullmatch(manager):
        problem(
            f"manager {manager!r} is not an email address",
            "write name@example.com",
            "manager_email",
        )
    if role not in Role.__members__.values():
        roles = ", ".join(r.value for r in Role)
        problem(f"role {cell('role')!r} is unknown", f"use one of {roles}", "role")
    if not cell("name"):
        problem("the name is empty", "give each person a name", "name")
    if len(cell("team")) > MAX_TEAM_NAME:  # as a team made any other way
        problem(
            f"the team name has {len(cell('team')):,} characters",
            f"a team's name is at most {MAX_TEAM_NAME} characters: shorten it",
            "team",
        )
    first_row.setdefault(email, row.number)
    if len(problems) > found:
        return None
    return Person(email, cell("name"), cell("team") or None, manager, Role(role))
