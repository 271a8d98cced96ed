"""A people file (CSV, TSV or a workbook, as HR exports it) imported: everyone in it added
or updated, all or nothing; and the checks and the merge over what is stored that the HR
sync shares."""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from skillgrid.domain.assessments import Actor
from skillgrid.domain.errors import InputError, Problem
from skillgrid.domain.people import Person, Team
from skillgrid.services.audit import record
from skillgrid.services.people import check_references, record_people
from skillgrid.services.permissions import require_admin
from skillgrid.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from skillgrid.importers.people import PeopleFile


@dataclass(frozen=True)
class PeopleImport:
    """What a CSV import did."""

    added: int
    updated: int
    teams_created: tuple[str, ...]


def import_people(uow: UnitOfWork, data: bytes, source: str, *, actor: Actor) -> PeopleImport:
    """Add or update people from CSV ``name,email,team,manager_email,role``; teams that do
    not exist yet are created. All or nothing: every problem is reported with its row.

    For people already on file, a column the file does not have (or a blank role) keeps
    what is stored, and the active flag is never changed by an import."""
    require_admin(actor, "import people")
    from skillgrid.importers.people import read_people

    read = read_people(data, source)
    with uow.write():
        known = {p.email: p for p in uow.people.people()}
        check_managers(read, known, source)
        people = [merged_from_file(person, known.get(person.email), read) for person in read.people]
        teams = {team.name for team in uow.people.teams()}
        missing_teams = sorted({p.team for p in people if p.team and p.team not in teams})
        check_references(uow, people, extra_teams=set(missing_teams))
        for name in missing_teams:
            uow.people.add_team(Team(name))
            record(uow, actor, "add", "team", name, after={"parent": None, "source": source})
        uow.people.save(people)
        moved = [p.email for p in people if p.email in known and known[p.email].team != p.team]
        uow.summaries.follow_teams(moved)  # team reports count people where they are now
        record_people(uow, actor, people, known)
        uow.commit()
    updated = sum(1 for p in people if p.email in known)
    return PeopleImport(len(people) - updated, updated, tuple(missing_teams))


def check_managers(
    read: PeopleFile, known: Mapping[str, Person], source: str, leaving: Set[str] = frozenset()
) -> None:
    """Each manager a file names is in the file or stays on file, found by row and column,
    before the checks that know people only by email (a sync's ``leaving``: a manager not in
    the file that it would deactivate under their reports)."""
    in_file = {person.email for person in read.people}
    column = read.column_numbers.get("manager_email")
    problems = []
    for person in read.people:
        manager = person.manager
        if manager is None or manager in in_file:
            continue
        if manager in leaving:
            what = f"manager {manager} is not in the file, so this sync would deactivate them"
            hint = "add the manager's row (the file should be the whole export)"
        elif manager not in known:
            what = f"manager {manager} is neither in the file nor on file"
            hint = "add the manager's row, or correct the email"
        else:
            continue
        problems.append(Problem(what, hint, source, read.rows.get(person.email), column))
    if problems:
        raise InputError(problems)


def merged_from_file(person: Person, stored: Person | None, read: PeopleFile) -> Person:
    """``person`` as a file gives them, over what is stored of them: a column the file
    does not have (or a blank role) keeps what is stored, and so does the active flag."""
    if stored is None:
        return person
    return replace(
        person,
        team=person.team if "team" in read.columns else stored.team,
        manager=person.manager if "manager_email" in read.columns else stored.manager,
        role=stored.role if person.email in read.blank_roles else person.role,
        active=stored.active,
    )
