"""The audit trail in JSON: read-only, filtered, paged."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Query
from pydantic import Field

from skillgrid.services.audit import Entity
from skillgrid.web.api.errors import ERRORS
from skillgrid.web.api.json_body import StrictJsonRoute
from skillgrid.web.api.models import Answer
from skillgrid.web.api.params import NAME
from skillgrid.web.deps import ApiUser

router = APIRouter(tags=["audit"], responses=ERRORS, route_class=StrictJsonRoute)


class AuditEntryPublic(Answer):
    id: int
    at: dt.datetime = Field(description="When the change was committed (UTC).")
    actor: str = Field(
        description="A person's email, cli/operator, or web/anonymous (a failed sign-in)."
    )
    action: str = Field(description="What was done, e.g. rate, submit, sign_in.")
    entity: Entity = Field(description="The kind of object changed.")
    entity_id: str
    person: str | None = Field(description="The person the change concerns, if any.")
    before: dict[str, Any] | None = Field(
        description="The changed fields before (which fields: by entity and action)."
    )
    after: dict[str, Any] | None = Field(description="The changed fields after.")


class AuditPage(Answer):
    entries: list[AuditEntryPublic]
    limit: int
    offset: int
    next_offset: int | None = Field(description="Ask again with this offset for more.")


@router.get("/audit", response_model=AuditPage)
def audit(
    user: ApiUser,
    person: str | None = Query(
        None, max_length=320, pattern=NAME, description="About this person (email)."
    ),
    entity: Entity | None = Query(None, description="Only this kind of object."),
    entity_id: str | None = Query(
        None, max_length=800, pattern=NAME, description="Only this object."
    ),
    since: str | None = Query(
        None,
        max_length=40,
        description="From this moment on: an RFC 3339 date-time, e.g. 2026-07-01T00:00:00Z.",
        json_schema_extra={"format": "date-time"},
    ),
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0, le=2**31 - 1),
) -> dict[str, Any]:
    """Audit entries the caller may read, newest first: admins all, managers their people's,
    everyone their own (rating changes only their own)."""
    from skillgrid.domain.audit import AuditQuery
    from skillgrid.services.audit import list_audit, parse_timestamp

    with user:
        query = AuditQuery(person, entity, entity_id, parse_timestamp(since), limit, offset)
        entries = list_audit(user.uow, user.actor, query)
        return {
            "entries": entries,
            "limit": limit,
            "offset": offset,
            "next_offset": offset + limit if len(entries) == limit else None,
        }
