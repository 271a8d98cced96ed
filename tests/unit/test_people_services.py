"""People and teams: one manager each, no management cycles, imports all or nothing."""

from __future__ import annotations

import pytest

from skillgrid.domain.assessments import OPERATOR
from skillgrid.domain.errors import Conflict, InputError, NotFound
from skillgrid.domain.people import PeopleError, Person, Role, manager_cycle
from skillgrid.services import people as services
from skillgrid.services import people_import
from tests.unit.fakes import FakeUnitOfWork

PEOPLE_CSV = (
    b"name,email,team,manager_email,role\n"
    b"Bo Chen,BO@example.com,SRE,,manager\n"
    b"Ana Lima,ana@example.com,SRE,bo@example.com,\n"
    b"Cy Diaz,cy@example.com,Platform,ana@example.com,engineer\n"
)


def test_import_adds_people_and_creates_missing_teams() -> None:
    uow = FakeUnitOfWork()
    result = people_import.import_people(uow, PEOPLE_CSV, "people.csv", actor=OPERATOR)
    assert (result.added, result.updated, result.teams_created) == (3, 0, ("Platform", "SRE"))
    bo = uow.people.get("bo@example.com")
    assert bo is not None and bo.role is Role.MANAGER
    assert uow.people.get("cy@example.com").manager == "ana@example.com"  # type: ignore[union-attr]


def test_reimport_updates_by_email() -> None:
    uow = FakeUnitOfWork()
    people_import.import_people(uow, PEOPLE_CSV, "people.csv", actor=OPERATOR)
    again = people_import.import_people(
        uow, PEOPLE_CSV.replace(b"Cy Diaz", b"Cy D."), "people.csv", actor=OPERATOR
    )
    assert (again.added, again.updated) == (0, 3)
    assert uow.people.get("cy@example.com").name == "Cy D."  # type: ignore[union-attr]


def test_a_management_cycle_is_refused_and_nothing_changes() -> None:
    uow = FakeUnitOfWork()
    people_import.import_people(uow, PEOPLE_CSV, "people.csv", actor=OPERATOR)
    before = uow.people.people()
    with pytest.raises(InputError, match="management cycle"):
        services.change_person(uow, "bo@example.com", manager="cy@example.com", actor=OPERATOR)
    assert uow.people.people() == before


def test_a_cycle_inside_one_import_is_refused() -> None:
    uow = FakeUnitOfWork()
    data = b"name,email,manager_email\nA,a@x.org,b@x.org\nB,b@x.org,a@x.org\n"
    with pytest.raises(InputError, match="management cycle"):
        people_import.import_people(uow, data, "p.csv", actor=OPERATOR)
    assert uow.people.people() == [] and uow.commits == 0


def test_bad_rows_are_all_reported_with_their_place() -> None:
    uow = FakeUnitOfWork()
    data = (
        b"name,email,team,manager_email,role\n"
        b"A,not-an-email,,,\nB,b@x.org,,,boss\nB again,b@x.org,Ops,,\n,c@x.org,,,\n"
    )
    with pytest.raises(InputError) as caught:
        people_import.import_people(uow, data, "p.csv", actor=OPERATOR)
    places = [(p.row, p.column) for p in caught.value.problems]
    assert places == [(2, 2), (3, 5), (4, 2), (5, 1)]
    assert "appears twice" in caught.value.problems[2].message


def test_a_team_name_longer_than_any_team_may_have_is_refused_where_it_is() -> None:
    # a team made from the file would have no page and take no target
    uow = FakeUnitOfWork()
    data = f"name,email,team,manager_email,role\nA,a@x.org,{'T' * 201},,\n".encode()
    with pytest.raises(InputError) as caught:
        people_import.import_people(uow, data, "p.csv", actor=OPERATOR)
    (problem,) = caught.value.problems
    assert (problem.row, problem.column) == (2, 3) and "201 characters" in problem.message
    assert uow.people.teams() == []


def test_add_person_checks_email_team_manager_and_duplicates() -> None:
    uow = FakeUnitOfWork()
    services.add_team(uow, "SRE", actor=OPERATOR)
    services.add_person(
        uow, Person("Bo@Example.com ", "Bo", "SRE", None, Role.MANAGER), actor=OPERATOR
    )
    with pytest.raises(Conflict):
        services.add_person(uow, Person("bo@example.com", "Bo again"), actor=OPERATOR)
    with pytest.raises(PeopleError, match="not an email"):
        services.add_person(uow, Person("bo", "Bo"), actor=OPERATOR)
    with pytest.raises(InputError, match="no team 'Ops'"):
        services.add_person(uow, Person("ana@example.com", "Ana", "Ops"), actor=OPERATOR)
    with pytest.raises(InputError, match=r"manager zed@example\.com is not on file"):
        services.add_person(
            uow, Person("ana@example.com", "Ana", None, "zed@example.com"), actor=OPERATOR
        )
    with pytest.raises(PeopleError, match="their own manager"):
        services.add_person(
            uow, Person("ana@example.com", "Ana", None, "ana@example.com"), actor=OPERATOR
        )


def test_teams_nest_and_need_an_existing_parent() -> None:
    uow = FakeUnitOfWork()
    services.add_team(uow, "Infra", actor=OPERATOR)
    services.add_team(uow, "SRE", parent="Infra", actor=OPERATOR)
    with pytest.raises(NotFound):
        services.add_team(uow, "Net", parent="Nope", actor=OPERATOR)
    with pytest.raises(Conflict):
        services.add_team(uow, "SRE", actor=OPERATOR)
    assert [(t.name, t.parent) for t, _ in services.list_teams(uow, OPERATOR)] == [
        ("Infra", None),
        ("SRE", "Infra"),
    ]


def test_a_management_chain_that_loops_is_found() -> None:
    managers = {"a": None, "b": "a", "c": "b", "d": "a"}
    assert manager_cycle(managers) is None
    assert manager_cycle({**managers, "a": "c"}) == ["a", "c", "b", "a"]


def test_reimport_keeps_what_the_file_does_not_say() -> None:
    uow = FakeUnitOfWork()
    people_import.import_people(uow, PEOPLE_CSV, "people.csv", actor=OPERATOR)
    services.change_person(uow, "cy@example.com", active=False, actor=OPERATOR)
    assert uow.accounts.ended == uow.accounts.revoked == ["cy@example.com"]
    people_import.import_people(
        uow,
        b"name,email\nBo Chen,bo@example.com\nCy Diaz,cy@example.com\n",
        "p.csv",
        actor=OPERATOR,
    )
    bo, cy = uow.people.get("bo@example.com"), uow.people.get("cy@example.com")
    assert bo is not None and (bo.role, bo.team) == (Role.MANAGER, "SRE")
    assert cy is not None and (cy.active, cy.manager, cy.team) == (
        False,
        "ana@example.com",
        "Platform",
    )
    blank_role = b"name,email,team,manager_email,role\nBo Chen,bo@example.com,SRE,,\n"
    people_import.import_people(uow, blank_role, "p.csv", actor=OPERATOR)
    assert uow.people.get("bo@example.com").role is Role.MANAGER  # type: ignore[union-attr]


def test_a_tab_separated_export_is_read_as_the_same_people() -> None:
    from_csv, from_tsv = FakeUnitOfWork(), FakeUnitOfWork()
    people_import.import_people(from_csv, PEOPLE_CSV, "people.csv", actor=OPERATOR)
    tsv = PEOPLE_CSV.replace(b",", b"\t")
    people_import.import_people(from_tsv, tsv, "people.tsv", actor=OPERATOR)
    assert from_tsv.people.people() == from_csv.people.people()
    with pytest.raises(InputError, match=r"x\.tsv, row 3, column 2"):  # its row and column
        people_import.import_people(
            FakeUnitOfWork(), tsv.replace(b"ana@", b"ana "), "x.tsv", actor=OPERATOR
        )


def test_deactivating_a_manager_hands_their_reports_to_the_next_manager_up() -> None:
    # their reviews must have someone who may write and finalize them: the next one up
    uow = FakeUnitOfWork()
    more = PEOPLE_CSV + b"Dee Park,dee@example.com,Platform,ana@example.com,engineer\n"
    people_import.import_people(uow, more, "people.csv", actor=OPERATOR)
    services.change_person(uow, "ana@example.com", active=False, actor=OPERATOR)
    assert uow.people.get("cy@example.com").manager == "bo@example.com"  # type: ignore[union-attr]
    assert uow.people.get("dee@example.com").manager == "bo@example.com"  # type: ignore[union-attr]
    handed = [e for e in uow.audit.entries if e.entity_id in ("cy@example.com", "dee@example.com")]
    assert [e.action for e in handed][-2:] == ["update", "update"]
    assert handed[-1].before["manager"] == "ana@example.com"
    assert handed[-1].after["manager"] == "bo@example.com"


def test_reports_skip_managers_who_left_and_at_the_top_have_none() -> None:
    uow = FakeUnitOfWork()
    people_import.import_people(uow, PEOPLE_CSV, "people.csv", actor=OPERATOR)
    services.change_person(uow, "bo@example.com", active=False, actor=OPERATOR)
    assert uow.people.get("ana@example.com").manager is None  # type: ignore[union-attr]
    services.change_person(uow, "ana@example.com", manager="bo@example.com", actor=OPERATOR)
    services.change_person(uow, "ana@example.com", active=False, actor=OPERATOR)
    assert uow.people.get("cy@example.com").manager is None  # type: ignore[union-attr]
