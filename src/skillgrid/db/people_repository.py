"""People and teams: rows ↔ domain objects. Adds and reads; the unit of work commits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    bindparam,
    case,
    func,
    literal,
    null,
    select,
    union_all,
    update,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import QueryableAttribute, Session, aliased
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.sqltypes import NullType

from skillgrid.db.tables import PersonRow, TeamRow
from skillgrid.domain.people import Person, Role, Team

# Every page about a person reads them and their managers: statements built once.
_people, _teams = PersonRow.__table__, TeamRow.__table__
_bosses = _people.alias("manager")
_PEOPLE = (
    select(
        _people.c.email,
        _people.c.name,
        _teams.c.name,
        _bosses.c.email,
        _people.c.role,
        _people.c.active,
    )
    .outerjoin(_teams, _teams.c.id == _people.c.team_id)
    .outerjoin(_bosses, _bosses.c.id == _people.c.manager_id)
    .order_by(_people.c.email)
)
_PERSON = _PEOPLE.where(_people.c.email == bindparam("email"))
_parents = _teams.alias("parent")
_TEAMS = (
    select(_teams.c.name, _parents.c.name)
    .outerjoin(_parents, _parents.c.id == _teams.c.parent_id)
    .order_by(_teams.c.name)
)
_reviewable = and_(_people.c.active.is_(True), _people.c.manager_id.is_not(None))
_TEAM_SIZES = (
    select(_teams.c.name, func.count(), func.count(case((_reviewable, 1))))
    .select_from(_people)
    .outerjoin(_teams, _teams.c.id == _people.c.team_id)
    .group_by(_teams.c.name)
)
_NAMED_TEAM_SIZES = _TEAM_SIZES.where(_teams.c.name.in_(bindparam("teams", expanding=True)))
_UNMANAGED = _PEOPLE.where(_people.c.active.is_(True), _people.c.manager_id.is_(None))
_NAMED_UNMANAGED = _UNMANAGED.where(_teams.c.name.in_(bindparam("teams", expanding=True)))
_top = (  # the team named ``team``, with its parent
    select(_teams.c.id, _teams.c.name, _parents.c.name.label("parent"))
    .outerjoin(_parents, _parents.c.id == _teams.c.parent_id)
    .where(_teams.c.name == bindparam("team"))
    .cte("subtree", recursive=True)
)
_inner = _teams.alias("inner")
_subtree = _top.union(  # not UNION ALL: a team met again (a loop) ends the walk
    select(_inner.c.id, _inner.c.name, _top.c.name).join(_top, _inner.c.parent_id == _top.c.id)
)
_TEAM_AND_BELOW = select(_subtree.c.name, _subtree.c.parent)
_first = (
    select(_people.c.manager_id.label("id"), literal(1).label("depth"))
    .where(_people.c.email == bindparam("email"))
    .cte("chain", recursive=True)
)
_chain = _first.union_all(
    select(_people.c.manager_id, _first.c.depth + 1)
    .join(_first, _people.c.id == _first.c.id)
    .where(_first.c.depth < 1000)  # a loop in the chain stops here
)
# the person (depth 0) and each manager up the chain (depth 1, 2, …), in one round trip
_WITH_CHAIN = union_all(
    _PERSON.order_by(None).add_columns(literal(0).label("depth")),
    select(_people.c.email, *(null() for _ in range(5)), _chain.c.depth).join(
        _chain, _people.c.id == _chain.c.id
    ),
).order_by("depth")


# everyone below the manager given as ``below``, down the management chain (a loop in the
# chain stops after 1,000 steps)
_reports = _people.alias("report")
_below = (
    select(_reports.c.id, literal(1).label("depth"))
    .join(_bosses, _bosses.c.id == _reports.c.manager_id)
    .where(_bosses.c.email == bindparam("below"))
    .cte("below", recursive=True)
)
_BELOW_IDS = select(
    _below.union_all(
        select(_reports.c.id, _below.c.depth + 1)
        .join(_below, _reports.c.manager_id == _below.c.id)
        .where(_below.c.depth < 1000)
    ).c.id
)


class _Among(FunctionElement[Any]):
    """``id IN (ids)``, written ``id = ANY(ARRAY(ids))`` for PostgreSQL: its planner
    guesses a walk down the management chain at hundreds of rows, so for ``IN`` it reads
    every row of the table (10,000 people) to match them, where an array of ids is looked
    up key by key: 0.7 → 0.25 ms a walk for a team of 9 among 10,000 people."""

    type = NullType()  # not Boolean, which SQLite would compare with 1: "IN (…) = 1"
    inherit_cache = True


@compiles(_Among)
def _in(element: _Among, compiler: SQLCompiler, **kw: Any) -> str:
    column, ids = element.clauses
    return compiler.process(column.in_(ids.element), **kw)


@compiles(_Among, "postgresql")
def _any_array(element: _Among, compiler: SQLCompiler, **kw: Any) -> str:
    column, ids = element.clauses
    return f"{compiler.process(column, **kw)} = ANY(ARRAY{compiler.process(ids, **kw)})"


def is_below(column: ColumnElement[int] | QueryableAttribute[int]) -> ColumnElement[bool]:
    """Whether the person whose id is in ``column`` is below the manager given as the
    ``below`` parameter, for statements that read only the part of the organisation a
    manager sees."""
    return _Among(column, _BELOW_IDS.scalar_subquery())


_BELOW = _PEOPLE.where(is_below(_people.c.id))
# the person (given as ``below``) and everyone below them, in one round trip
_WITH_BELOW = union_all(
    _PEOPLE.order_by(None).where(_people.c.email == bindparam("below")),
    _BELOW.order_by(None),
)


class SqlPeopleRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def teams(self) -> list[Team]:
        return [Team(name, parent) for name, parent in self.session.execute(_TEAMS).all()]

    def team_and_below(self, team: str) -> list[Team]:
        """The team and every team below it (none when there is no such team): a report on
        one team reads its part of the tree, not the whole org's."""
        rows = self.session.execute(_TEAM_AND_BELOW, {"team": team}).all()
        return [Team(name, parent) for name, parent in rows]

    def add_team(self, team: Team) -> None:
        parent_id = self._team_id(team.parent) if team.parent else None
        self.session.add(TeamRow(name=team.name, parent_id=parent_id))
        self.session.flush()

    def rename_team(self, old: str, new: str) -> None:
        self.session.execute(update(TeamRow).where(TeamRow.name == old).values(name=new))

    def people(self) -> list[Person]:
        return [_person(row) for row in self.session.execute(_PEOPLE).all()]

    def directory(self) -> list[tuple[str, str | None, str | None]]:
        """(email, team, manager email) of everyone: what privacy checks and head counts
        need, read as plain rows (thousands of people)."""
        manager = aliased(PersonRow)
        query = (
            select(PersonRow.email, TeamRow.name, manager.email)
            .outerjoin(TeamRow, TeamRow.id == PersonRow.team_id)
            .outerjoin(manager, manager.id == PersonRow.manager_id)
        )
        return [(email, team, boss) for email, team, boss in self.session.execute(query)]

    def below(self, email: str) -> list[Person]:
        """Everyone below ``email`` in the management chain, by email."""
        return [_person(row) for row in self.session.execute(_BELOW, {"below": email}).all()]

    def with_below(self, email: str) -> list[Person]:
        """The person (when there is one) and everyone below them in the management chain."""
        return [_person(row) for row in self.session.execute(_WITH_BELOW, {"below": email})]

    def team_sizes(self, teams: Sequence[str] | None = None) -> dict[str | None, tuple[int, int]]:
        """Team name → (people on it, of them the active ones with a manager: those who can
        have an official result), None for people on no team; of the teams named only, when
        given."""
        if teams is None:
            rows = self.session.execute(_TEAM_SIZES)
        else:
            rows = self.session.execute(_NAMED_TEAM_SIZES, {"teams": list(teams)})
        return {name: (people, can) for name, people, can in rows.all()}

    def unmanaged(self, teams: Sequence[str] | None = None) -> list[Person]:
        """The active people with no manager (by email), on the teams named when given,
        else everyone's: who no review can give an official result."""
        query = _UNMANAGED if teams is None else _NAMED_UNMANAGED
        return [_person(row) for row in self.session.execute(query, {"teams": list(teams or ())})]

    def get(self, email: str) -> Person | None:
        row = self.session.execute(_PERSON, {"email": email}).first()
        return _person(row) if row is not None else None

    def with_chain(self, email: str) -> tuple[Person | None, list[str]]:
        """The person and their managers (nearest first), in one statement: every page
        about a person asks both."""
        rows = self.session.execute(_WITH_CHAIN, {"email": email}).all()
        if not rows or rows[0][-1] != 0:
            return None, []
        return _person(rows[0][:-1]), [row[0] for row in rows[1:]]

    def save(self, people: list[Person]) -> None:
        """Insert or update ``people`` by email; managers may be among them."""
        rows = {
            row.email: row
            for row in self.session.scalars(
                select(PersonRow).where(PersonRow.email.in_([p.email for p in people]))
            )
        }
        for person in people:
            row = rows.get(person.email) or PersonRow(email=person.email)
            row.name, row.role, row.active = person.name, person.role.value, person.active
            row.team_id = self._team_id(person.team) if person.team else None
            rows[person.email] = row
            self.session.add(row)
        self.session.flush()
        for person in people:
            rows[person.email].manager_id = self._person_id(person.manager)
        self.session.flush()

    def _team_id(self, name: str) -> int:
        team_id = self.session.scalar(select(TeamRow.id).where(TeamRow.name == name))
        if team_id is None:
            raise LookupError(f"team {name!r}")
        return team_id

    def _person_id(self, email: str | None) -> int | None:
        if email is None:
            return None
        return self.session.scalar(select(PersonRow.id).where(PersonRow.email == email))


_ROLES = {role.value: role for role in Role}  # a lookup: Role(value) is slow by thousands


def _person(row: Sequence[Any]) -> Person:
    email, name, team, manager, role, active = row
    return Person(email, name, team, manager, _ROLES[role], bool(active))
