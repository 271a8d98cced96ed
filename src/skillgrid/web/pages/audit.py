"""The audit trail in the browser: a filterable table for admins, and the history of one
assessment on its page (both through the same service as the CLI and the API)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from skillgrid.domain.audit import AuditEntry
from skillgrid.web.deps import CurrentUser, templates_of

router = APIRouter(include_in_schema=False)
PAGE = 50


def changes(entry: AuditEntry) -> list[tuple[str, str, str]]:
    """(field, before, after) rows to show; a rating's uid is left out (the id says it)."""
    before, after = entry.before or {}, entry.after or {}
    rows = []
    for key in dict.fromkeys([*before, *after]):
        was, now = before.get(key), after.get(key)
        if isinstance(was, dict) or isinstance(now, dict):
            was = {k: v for k, v in (was or {}).items() if k != "uid"}
            now = {k: v for k, v in (now or {}).items() if k != "uid"}
        rows.append((key, _shown(was), _shown(now)))
    return rows


def _shown(value: Any) -> str:
    if value is None or value == {}:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and set(value) <= {"rating", "reason", "comment", "needs_review"}:
        return ", ".join(f"{v}" if k == "rating" else f"{k}: {v}" for k, v in value.items())
    return json.dumps(value, ensure_ascii=False)


@router.get("/admin/audit")
def audit_page(
    request: Request,
    user: CurrentUser,
    person: Annotated[str | None, Query(max_length=320)] = None,
    entity: Annotated[str | None, Query(max_length=32)] = None,
    since: Annotated[str | None, Query(max_length=40)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Every change, newest first, with filters (admins only)."""
    from skillgrid.domain.audit import AuditQuery
    from skillgrid.services.audit import ENTITIES, audit_trail, parse_since

    with user:
        query = AuditQuery(
            person=person or None,
            entity=entity or None,
            since=parse_since(since or None),
            limit=PAGE,
            offset=(page - 1) * PAGE,
        )
        found = audit_trail(user.uow, user.actor, query)
        return templates_of(request).TemplateResponse(
            request,
            "audit.html",
            {
                "user": user,
                "rows": [(e, changes(e)) for e in found],
                "filters": {"person": person or "", "entity": entity or "", "since": since or ""},
                "entities": ENTITIES,
                "page": page,
                "more": len(found) == PAGE,
            },
        )
