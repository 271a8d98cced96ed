"""SCIM tokens and provisioned resources: rows ↔ domain objects. The unit of work commits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.orm import Session

from skillgrid.db.base import aware
from skillgrid.db.tables import PersonRow, ScimResourceRow, ScimTokenRow, TeamRow
from skillgrid.domain.scim import USER, Equals, ScimRecord, ScimToken

_COLUMNS = {"name": ScimResourceRow.name_key, "external_id": ScimResourceRow.external_id}


class SqlScimRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_token(self, name: str, token_hash: str, now: dt.datetime) -> None:
        self.session.add(ScimTokenRow(name=name, token_hash=token_hash, created_at=now))
        self.session.flush()

    def tokens(self) -> list[ScimToken]:
        rows = self.session.execute(
            select(ScimTokenRow.name, ScimTokenRow.created_at, ScimTokenRow.revoked).order_by(
                ScimTokenRow.name
            )
        )
        return [ScimToken(name, aware(created), bool(revoked)) for name, created, revoked in rows]

    def has_token(self, name: str) -> bool:
        query = select(ScimTokenRow.id).where(ScimTokenRow.name == name)
        return self.session.scalar(query) is not None

    def revoke_token(self, name: str) -> bool:
        result = self.session.execute(
            update(ScimTokenRow)
            .where(ScimTokenRow.name == name, ScimTokenRow.revoked.is_(False))
            .values(revoked=True)
            .returning(ScimTokenRow.id)
        )
        return result.scalar() is not None

    def token_name(self, token_hash: str) -> str | None:
        """The name of the live token with this hash, or None."""
        return self.session.scalar(
            select(ScimTokenRow.name).where(
                ScimTokenRow.token_hash == token_hash, ScimTokenRow.revoked.is_(False)
            )
        )

    def get(self, kind: str, resource_id: str) -> ScimRecord | None:
        row = self.session.execute(_records(kind).where(ScimResourceRow.id == resource_id)).first()
        return _record(kind, row) if row is not None else None

    def linked(self, kind: str, key: str) -> ScimRecord | None:
        """The resource linked to the person (email) or team (name) ``key``, if any."""
        column = PersonRow.email if kind == USER else TeamRow.name
        row = self.session.execute(_records(kind).where(column == key)).first()
        return _record(kind, row) if row is not None else None

    def page(
        self, kind: str, where: Equals | None, offset: int, limit: int
    ) -> tuple[int, list[ScimRecord]]:
        """How many resources match, and the ``limit`` of them from ``offset``, oldest first."""
        query = _records(kind)
        if where is not None:
            if where.column == "id":
                query = query.where(ScimResourceRow.id == where.value)
            elif where.column == "name":
                query = query.where(ScimResourceRow.name_key == where.value.lower())
            else:
                query = query.where(_COLUMNS[where.column] == where.value)
        total = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = self.session.execute(
            query.order_by(ScimResourceRow.created_at, ScimResourceRow.id)
            .offset(offset)
            .limit(limit)
        )
        return total, [_record(kind, row) for row in rows]

    def members(self, team: str) -> list[tuple[str, str, str]]:
        """(SCIM id, email, name) of the provisioned people in ``team``, oldest first."""
        rows = self.session.execute(
            select(ScimResourceRow.id, PersonRow.email, PersonRow.name)
            .join(PersonRow, PersonRow.id == ScimResourceRow.person_id)
            .join(TeamRow, TeamRow.id == PersonRow.team_id)
            .where(TeamRow.name == team)
            .order_by(ScimResourceRow.created_at, ScimResourceRow.id)
        )
        return [(rid, email, name) for rid, email, name in rows]

    def save(self, record: ScimRecord) -> None:
        """Insert or update ``record`` (by id), linked to its person or team."""
        if record.kind == USER:
            query = select(PersonRow.id).where(PersonRow.email == record.key)
        else:
            query = select(TeamRow.id).where(TeamRow.name == record.key)
        linked = self.session.scalar(query)
        row = self.session.get(ScimResourceRow, record.id)
        if row is None:
            row = ScimResourceRow(id=record.id, kind=record.kind, created_at=record.created)
        if record.kind == USER:
            row.person_id = linked
        else:
            row.team_id = linked
        row.name, row.name_key = record.name, record.name.lower()
        row.external_id, row.payload = record.external_id, record.payload
        row.modified_at, row.version = record.modified, record.version
        self.session.add(row)
        self.session.flush()

    def remove(self, kind: str, resource_id: str) -> None:
        self.session.execute(
            delete(ScimResourceRow).where(
                ScimResourceRow.kind == kind, ScimResourceRow.id == resource_id
            )
        )


def _records(kind: str) -> Select[*tuple[Any, ...]]:
    key = PersonRow.email if kind == USER else TeamRow.name
    linked = PersonRow.id == ScimResourceRow.person_id
    if kind != USER:
        linked = TeamRow.id == ScimResourceRow.team_id
    return (
        select(
            ScimResourceRow.id,
            key,
            ScimResourceRow.name,
            ScimResourceRow.external_id,
            ScimResourceRow.payload,
            ScimResourceRow.created_at,
            ScimResourceRow.modified_at,
            ScimResourceRow.version,
        )
        .join(PersonRow if kind == USER else TeamRow, linked)
        .where(ScimResourceRow.kind == kind)
    )


def _record(kind: str, row: Any) -> ScimRecord:
    rid, key, name, external, payload, created, modified, version = row
    return ScimRecord(
        rid, kind, key, name, external, payload, aware(created), aware(modified), version
    )
