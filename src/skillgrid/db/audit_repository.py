"""The audit trail: append and list. There is no update or delete here, on purpose."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from skillgrid.db.people_repository import BELOW
from skillgrid.db.tables import AuditEntryRow, PersonRow
from skillgrid.domain.audit import RATE, AuditEntry, AuditQuery, AuditScope


class SqlAuditRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, entry: AuditEntry) -> None:
        """Record ``entry`` in the caller's transaction: a rollback drops it with the change."""
        self.session.add(
            AuditEntryRow(
                at=entry.at or dt.datetime.now(dt.UTC),
                actor=entry.actor,
                action=entry.action,
                entity=entry.entity,
                entity_id=entry.entity_id,
                person=entry.person,
                before=_dump(entry.before),
                after=_dump(entry.after),
            )
        )

    def find(self, query: AuditQuery, scope: AuditScope | None) -> list[AuditEntry]:
        """Entries matching ``query`` within ``scope`` (None: all), newest first."""
        statement = select(AuditEntryRow)
        if query.person is not None:
            statement = statement.where(AuditEntryRow.person == query.person)
        if query.entity is not None:
            statement = statement.where(AuditEntryRow.entity == query.entity)
        if query.entity_id is not None:
            statement = statement.where(AuditEntryRow.entity_id == query.entity_id)
        if query.since is not None:
            statement = statement.where(AuditEntryRow.at >= query.since)
        if scope is not None:
            own = and_(
                AuditEntryRow.person == scope.me,
                or_(AuditEntryRow.action != RATE, AuditEntryRow.actor == scope.me),
            )
            people = PersonRow.__table__
            below = select(people.c.email).where(people.c.id.in_(BELOW))
            statement = statement.where(or_(own, AuditEntryRow.person.in_(below)))
        statement = (
            statement.order_by(AuditEntryRow.at.desc(), AuditEntryRow.id.desc())
            .limit(query.limit)
            .offset(query.offset)
        )
        params = {"below": scope.me if scope is not None else None}
        return [_entry(row) for row in self.session.scalars(statement, params)]


def _dump(value: dict[str, object] | None) -> str | None:
    return None if value is None else json.dumps(value, sort_keys=True, default=str)


def _entry(row: AuditEntryRow) -> AuditEntry:
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=dt.UTC)  # SQLite keeps no zone
    return AuditEntry(
        row.actor,
        row.action,
        row.entity,
        row.entity_id,
        row.person,
        json.loads(row.before) if row.before else None,
        json.loads(row.after) if row.after else None,
        at,
        row.id,
    )
