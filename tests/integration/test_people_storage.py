"""People and teams in real SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from skillgrid.domain.assessments import OPERATOR
from skillgrid.domain.errors import InputError
from skillgrid.domain.people import Person, Role, Team
from skillgrid.services import people as services
from skillgrid.services import people_import
from tests.conftest import table_snapshot
from tests.unit.test_people_services import PEOPLE_CSV


def test_people_round_trip_through_the_database(uow_factory) -> None:
    result = people_import.import_people(uow_factory(), PEOPLE_CSV, "people.csv", actor=OPERATOR)
    assert result.teams_created == ("Platform", "SRE")
    services.add_team(uow_factory(), "Infra", actor=OPERATOR)
    services.add_team(uow_factory(), "Networking", parent="Infra", actor=OPERATOR)
    services.add_person(
        uow_factory(),
        Person("dee@example.com", "Dee", "Networking", "bo@example.com"),
        actor=OPERATOR,
    )
    people = {p.email: p for p in services.list_people(uow_factory(), OPERATOR)}
    assert people["ana@example.com"] == Person(
        "ana@example.com", "Ana Lima", "SRE", "bo@example.com", Role.ENGINEER, True
    )
    assert people["dee@example.com"].team == "Networking"
    teams = {
        team.name: (team.parent, count)
        for team, count in services.list_teams(uow_factory(), OPERATOR)
    }
    assert teams == {
        "Infra": (None, 0),
        "Networking": ("Infra", 1),
        "Platform": (None, 1),
        "SRE": (None, 2),
    }
    updated = services.change_person(
        uow_factory(), "cy@example.com", manager="", active=False, actor=OPERATOR
    ).person
    assert (updated.manager, updated.active) == (None, False)


def test_a_refused_import_leaves_the_database_as_it_was(uow_factory, database_url: str) -> None:
    people_import.import_people(uow_factory(), PEOPLE_CSV, "people.csv", actor=OPERATOR)
    before = table_snapshot(database_url)
    cycle = b"name,email,manager_email\nBo,bo@example.com,cy@example.com\nNew,new@example.com,\n"
    with pytest.raises(InputError, match="management cycle"):
        people_import.import_people(uow_factory(), cycle, "cycle.csv", actor=OPERATOR)
    assert table_snapshot(database_url) == before


def test_the_chain_above_lists_managers_nearest_first(uow_factory) -> None:
    chain = (
        b"name,email,manager_email\nHead,head@x.org,\nLead,lead@x.org,head@x.org\n"
        b"Mo,mo@x.org,lead@x.org\nAna,ana@x.org,mo@x.org\n"
    )
    people_import.import_people(uow_factory(), chain, "people.csv", actor=OPERATOR)
    with uow_factory() as uow:
        assert uow.people.with_chain("ana@x.org")[1] == ["mo@x.org", "lead@x.org", "head@x.org"]
        assert uow.people.with_chain("head@x.org")[1] == []
        assert uow.people.with_chain("nobody@x.org")[1] == []


def test_a_person_with_their_chain_comes_in_one_statement_as_the_two_reads_say(
    uow_factory,
) -> None:
    people = [
        Person("head@x.org", "Head", None, None, Role.MANAGER),
        Person("lead@x.org", "Lead", "SRE", "head@x.org", Role.MANAGER, active=False),
        Person("ana@x.org", "Ana", "SRE", "lead@x.org"),
    ]
    with uow_factory().write() as uow:
        uow.people.add_team(Team("SRE"))
        uow.people.save(people)
        uow.commit()
    with uow_factory() as uow:
        for email in ("ana@x.org", "lead@x.org", "head@x.org", "nobody@x.org"):
            together = uow.people.with_chain(email)
            assert together[0] == uow.people.get(email)
        assert uow.people.with_chain("ana@x.org") == (people[2], ["lead@x.org", "head@x.org"])
        assert uow.people.with_chain("nobody@x.org") == (None, [])


def test_a_person_with_everyone_below_comes_in_one_statement_as_the_two_reads_say(
    uow_factory,
) -> None:
    people = [
        Person("head@x.org", "Head", None, None, Role.MANAGER),
        Person("lead@x.org", "Lead", "SRE", "head@x.org", Role.MANAGER),
        Person("ana@x.org", "Ana", "SRE", "lead@x.org"),
        Person("eli@x.org", "Eli", "Web", "head@x.org", active=False),
        Person("solo@x.org", "Solo", "Web", None),
    ]
    with uow_factory().write() as uow:
        uow.people.add_team(Team("SRE"))
        uow.people.add_team(Team("Web"))
        uow.people.save(people)
        uow.commit()
    with uow_factory() as uow:
        for email in ("head@x.org", "lead@x.org", "ana@x.org", "nobody@x.org"):
            me = [p for p in [uow.people.get(email)] if p is not None]
            expected = sorted(me + uow.people.below(email), key=lambda p: p.email)
            assert sorted(uow.people.with_below(email), key=lambda p: p.email) == expected
        assert {p.email for p in uow.people.with_below("head@x.org")} == {
            "head@x.org",
            "lead@x.org",
            "ana@x.org",
            "eli@x.org",
        }


def test_team_sizes_count_everyone_and_those_who_can_be_reviewed(uow_factory) -> None:
    """Reviewable: active, with a manager (who can have an official result)."""
    people = [
        Person("head@x.org", "Head", "SRE", None, Role.MANAGER),  # no manager
        Person("ana@x.org", "Ana", "SRE", "head@x.org"),
        Person("eli@x.org", "Eli", "SRE", "head@x.org", active=False),
        Person("mo@x.org", "Mo", "Web", "head@x.org"),
        Person("free@x.org", "Free", None, "head@x.org"),
    ]
    with uow_factory().write() as uow:
        uow.people.add_team(Team("SRE"))
        uow.people.add_team(Team("Web"))
        uow.people.add_team(Team("Empty"))
        uow.people.save(people)
        uow.commit()
    with uow_factory() as uow:
        assert uow.people.team_sizes() == {"SRE": (3, 1), "Web": (1, 1), None: (1, 1)}
        assert uow.people.team_sizes(["Web", "Empty"]) == {"Web": (1, 1)}


def test_a_team_comes_with_every_team_below_it_and_nothing_else(uow_factory) -> None:
    tree = [
        Team("Org"),
        Team("Infra", "Org"),
        Team("Net", "Infra"),
        Team("Edge", "Net"),
        Team("Web", "Org"),
    ]
    with uow_factory().write() as uow:
        for team in tree:
            uow.people.add_team(team)
        uow.commit()
    with uow_factory() as uow:
        assert sorted(uow.people.team_and_below("Infra"), key=lambda t: t.name) == [
            Team("Edge", "Net"),
            Team("Infra", "Org"),
            Team("Net", "Infra"),
        ]
        assert uow.people.team_and_below("Edge") == [Team("Edge", "Net")]
        assert sorted(t.name for t in uow.people.team_and_below("Org")) == sorted(
            t.name for t in uow.people.teams()
        )
        assert uow.people.team_and_below("Nowhere") == []


def test_a_loop_in_the_team_tree_ends_the_walk_below_a_team(uow_factory, database_url) -> None:
    """The app never makes one; a hand-edited database or an old restore might."""
    from sqlalchemy import create_engine, text

    with uow_factory().write() as uow:
        uow.people.add_team(Team("A"))
        uow.people.add_team(Team("B", "A"))
        uow.commit()
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE teams SET parent_id = (SELECT id FROM teams WHERE name = 'B') "
                "WHERE name = 'A'"
            )
        )
    engine.dispose()
    with uow_factory() as uow:
        found = uow.people.team_and_below("A")
        assert sorted(found, key=lambda t: t.name) == [Team("A", "B"), Team("B", "A")]
