"""What a unit of work that only reads sees while others write, on SQLite and PostgreSQL:
each statement the data as it is when it runs (no transaction held open for a page), and,
for a use case that asks for it, one moment across all its statements."""

from __future__ import annotations

from dataclasses import replace

import pytest

from skillgrid.domain.assessments import OPERATOR
from skillgrid.services import people_import
from tests.unit.test_assessment_services import PEOPLE


@pytest.fixture
def uows(uow_factory):  # type: ignore[no-untyped-def]
    people_import.import_people(uow_factory(), PEOPLE, "people.csv", actor=OPERATOR)
    return uow_factory


def _rename(uow_factory, name: str) -> None:  # type: ignore[no-untyped-def]
    with uow_factory().write() as uow:
        found = uow.people.get("ana@x.org")
        uow.people.save([replace(found, name=name)])
        uow.commit()


def _name(uow) -> str:  # type: ignore[no-untyped-def]
    return uow.people.get("ana@x.org").name


@pytest.mark.postgres
def test_a_read_sees_what_was_committed_since_its_previous_statement(uows) -> None:
    with uows() as reader:
        before = _name(reader)
        _rename(uows, "Ana Renamed")
        assert _name(reader) == "Ana Renamed" != before


@pytest.mark.postgres
def test_a_snapshot_sees_one_moment_across_its_statements(uows) -> None:
    with uows().snapshot() as reader:
        before = _name(reader)
        _rename(uows, "Ana Renamed")
        assert _name(reader) == before
    with uows() as later:
        assert _name(later) == "Ana Renamed"
