"""People and teams: rows ↔ domain objects. Adds and reads; the unit of work commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from skillgrid.db.tables import PersonRow, TeamRow
from skillgrid.domain.people import Person, Role, Team


class SqlPeopleRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def teams(self) -> list[Team]:
        parent = aliased(TeamRow)
        query = (
            select(TeamRow.name, parent.name)
            .outerjoin(parent, parent.id == TeamRow.parent_id)
            .order_by(TeamRow.name)
        )
        return [Team(name, parent_name) for name, parent_name in self.session.execute(query)]

    def add_team(self, team: Team) -> None:
        parent_id = self._team_id(team.parent) if team.parent else None
        self.session.add(TeamRow(name=team.name, parent_id=parent_id))
        self.session.flush()

    def people(self) -> list[Person]:
        return self._people(None)

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

    def get(self, email: str) -> Person | None:
        found = self._people(email)
        return found[0] if found else None

    def chain_above(self, email: str) -> list[str]:
        """The person's manager, their manager, and so on up (nearest first)."""
        chain: list[str] = []
        current = self.session.scalar(select(PersonRow.manager_id).where(PersonRow.email == email))
        while current is not None and len(chain) < 1000:
            row = self.session.execute(
                select(PersonRow.email, PersonRow.manager_id).where(PersonRow.id == current)
            ).one()
            chain.append(row.email)
            current = row.manager_id
        return chain

    def _people(self, email: str | None) -> list[Person]:
        manager = aliased(PersonRow)
        query = (
            select(PersonRow, TeamRow.name, manager.email)
            .outerjoin(TeamRow, TeamRow.id == PersonRow.team_id)
            .outerjoin(manager, manager.id == PersonRow.manager_id)
            .order_by(PersonRow.email)
        )
        if email is not None:
            query = query.where(PersonRow.email == email)
        return [
            Person(row.email, row.name, team, boss, Role(row.role), row.active)
            for row, team, boss in self.session.execute(query)
        ]

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
