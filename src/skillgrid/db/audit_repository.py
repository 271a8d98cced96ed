"""The audit trail: append and list. There is no update or delete here, on purpose."""

from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Any

from sqlalchemy import Integer, Select, and_, bindparam, insert, or_, select
from sqlalchemy.orm import Session

from skillgrid.db.base import aware, table
from skillgrid.db.people_repository import is_below
from skillgrid.db.tables import AuditEntryRow, PersonRow
from skillgrid.domain.audit import RATE, AuditEntry, AuditQuery, AuditScope

_ADD = insert(table(AuditEntryRow))  # a statement of its own: no ORM flush at commit


class SqlAuditRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, entry: AuditEntry) -> None:
        """Record ``entry`` in the caller's transaction: a rollback drops it with the change."""
        self.session.execute(
            _ADD,
            {
                # UTC: SQLite keeps a time's digits and drops its offset
                "at": (entry.at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC),
                "actor": entry.actor,
                "action": entry.action,
                "entity": entry.entity,
                "entity_id": entry.entity_id,
                "person": entry.person,
                "before": _dump(entry.before),
                "after": _dump(entry.after),
            },
        )

    def find(self, query: AuditQuery, scope: AuditScope | None) -> list[AuditEntry]:
        """Entries matching ``query`` within ``scope`` (None: all), newest first."""
        filters = {
            "person": query.person,
            "entity": query.entity,
            "entity_id": query.entity_id,
            "since": query.since,
        }
        given = tuple(name for name, value in filters.items() if value is not None)
        statement = _finder(given, scoped=scope is not None)
        params: dict[str, object] = {name: filters[name] for name in given}
        params |= {"limit": query.limit, "offset": query.offset}
        if scope is not None:
            params["below"] = scope.me
        return [_entry(row) for row in self.session.execute(statement, params).all()]


_audit = AuditEntryRow.__table__
_COLUMNS = tuple(  # as AuditEntry takes them
    _audit.c[name]
    for name in ("actor", "action", "entity", "entity_id", "person", "before", "after", "at", "id")
)
_people = PersonRow.__table__
_OWN = and_(  # about ``me`` (given as ``below``): rating changes only when they made them
    _audit.c.person == bindparam("below"),
    or_(_audit.c.action != RATE, _audit.c.actor == bindparam("below")),
)
_SCOPE = or_(_OWN, _audit.c.person.in_(select(_people.c.email).where(is_below(_people.c.id))))


@functools.cache
def _finder(given: tuple[str, ...], scoped: bool) -> Select[Any]:
    """The statement for one combination of filters (the values are bound), built once."""
    statement = select(*_COLUMNS)
    for name in given:  # the filters are named after their columns, but for "since"
        if name == "since":
            statement = statement.where(_audit.c.at >= bindparam(name))
        else:
            statement = statement.where(_audit.c[name] == bindparam(name))
    if scoped:
        statement = statement.where(_SCOPE)
    return (
        statement.order_by(_audit.c.at.desc(), _audit.c.id.desc())
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
    )


def _dump(value: dict[str, object] | None) -> str | None:
    return None if value is None else json.dumps(value, sort_keys=True, default=str)


def _entry(row: Any) -> AuditEntry:
    """An entry from a row of ``_COLUMNS``."""
    actor, action, entity, entity_id, person, before, after, at, id_ = row
    changes = (json.loads(before) if before else None, json.loads(after) if after else None)
    return AuditEntry(actor, action, entity, entity_id, person, *changes, aware(at), id_)
