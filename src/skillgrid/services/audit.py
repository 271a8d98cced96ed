"""The audit trail: record a change inside the caller's unit of work, and list entries for
whoever may read them (see :mod:`skillgrid.domain.audit`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Literal, get_args

from skillgrid.domain.assessments import Actor, Assessment
from skillgrid.domain.audit import (
    RATE,
    AuditEntry,
    AuditQuery,
    actor_name,
    changed,
    personal,
    scope_of,
)
from skillgrid.domain.errors import InputError, NotFound, Problem
from skillgrid.domain.evidence import Evidence
from skillgrid.domain.people import Person, normal_email
from skillgrid.services.permissions import require_admin
from skillgrid.services.unit_of_work import UnitOfWork

MAX_PAGE = 500
Entity = Literal[
    "account",
    "assessment",
    "cycle",
    "evidence",
    "framework",
    "person",
    "scim_token",
    "target",
    "team",
    "token",
    "webhook",
]  # what an entry is about: the API's answers and filters take this type
ENTITIES: tuple[str, ...] = get_args(Entity)


def record(
    uow: UnitOfWork,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: str,
    *,
    person: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add an entry to the open unit of work: it commits (or rolls back) with the change."""
    uow.audit.add(AuditEntry(actor_name(actor), action, entity, entity_id, person, before, after))


def record_change(
    uow: UnitOfWork,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: str,
    before: dict[str, Any],
    after: dict[str, Any],
    *,
    person: str | None = None,
) -> None:
    """Record only the fields that differ; nothing when nothing does."""
    was, now = changed(before, after)
    if was or now:
        record(uow, actor, action, entity, entity_id, person=person, before=was, after=now)


def entity_id(assessment: Assessment) -> str:
    """How the audit trail names an assessment: ``person/cycle/rater``."""
    return f"{assessment.person}/{assessment.cycle}/{assessment.rater}"


def person_fields(person: Person) -> dict[str, Any]:
    return {
        "name": person.name,
        "team": person.team,
        "manager": person.manager,
        "role": person.role.value,
        "active": person.active,
    }


def evidence_fields(item: Evidence, ids: Mapping[str | None, str]) -> dict[str, Any]:
    """An evidence item as the trail shows it: its text only as having some."""
    return {
        "title": item.title,
        "url": item.url,
        "date": item.date.isoformat() if item.date else None,
        "source": item.source,
        "text": personal(item.text),
        "criteria": sorted(ids.get(uid, uid) for uid in item.criteria),
    }


def list_audit(uow: UnitOfWork, actor: Actor, query: AuditQuery) -> list[AuditEntry]:
    """Entries the actor may read, newest first. Asking about a person one may not see is
    answered 'no person', as everywhere else."""
    if query.entity is not None and query.entity not in ENTITIES:
        raise InputError(
            [Problem(f"unknown entity {query.entity!r}", f"use one of {', '.join(ENTITIES)}")]
        )
    if not 1 <= query.limit <= MAX_PAGE or query.offset < 0:
        raise InputError([Problem("limit is 1 to 500, offset 0 or more", "page through")])
    if query.person is not None:
        query = replace(query, person=normal_email(query.person))
    with uow:
        asked = query.person
        if (
            not actor.is_admin
            and asked not in (None, actor.email)
            and not _above(uow, actor, asked)
        ):
            raise NotFound(f"no person {asked}")
        return readable(uow, actor, uow.audit.find(query, scope_of(actor)))


DRAFT_HIDDEN = {"ratings": "hidden: a draft is its author's own until it is submitted"}


def readable(uow: UnitOfWork, actor: Actor, entries: list[AuditEntry]) -> list[AuditEntry]:
    """The entries as ``actor`` may read them (inside an open unit of work): a rating change
    made by someone else in an assessment that is still a draft shows who made it and
    when, not the ratings (an admin reads everything)."""
    if actor.is_admin:
        return entries
    others = {e.entity_id for e in entries if e.action == RATE and e.actor != actor.email}
    if not others:
        return entries
    drafts = uow.assessments.drafts(sorted(others))
    return [
        replace(e, before=None, after=DRAFT_HIDDEN)
        if e.action == RATE and e.actor != actor.email and e.entity_id in drafts
        else e
        for e in entries
    ]


def audit_trail(uow: UnitOfWork, actor: Actor, query: AuditQuery) -> list[AuditEntry]:
    """The whole trail, filtered as asked: the admin's view (others read their part of it
    with :func:`list_audit`)."""
    require_admin(actor, "read the whole audit trail")
    return list_audit(uow, actor, query)


def _above(uow: UnitOfWork, actor: Actor, person: str | None) -> bool:
    """Whether the actor is above ``person`` in the management chain."""
    return person is not None and actor.email in uow.people.with_chain(person)[1]


def parse_since(text: str | None) -> dt.datetime | None:
    """``YYYY-MM-DD`` (midnight UTC) or an ISO date-time (UTC unless it names a zone)."""
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            [Problem(f"since {text!r} is not a date", "write YYYY-MM-DD or an ISO date-time")]
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


_RFC3339 = re.compile(
    r"(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})"
)


def parse_timestamp(text: str | None) -> dt.datetime | None:
    """An RFC 3339 date-time (``2026-07-01T00:00:00Z``), exactly what OpenAPI's
    ``date-time`` format means; a leap second counts as the second before it."""
    if text is None:
        return None
    found = _RFC3339.fullmatch(text)
    moment = None
    if found:
        day, minutes, seconds, fraction, zone = found.groups()
        seconds = min(seconds, "59")
        fraction = (fraction or "")[:7]
        zone = "+00:00" if zone in ("Z", "z") else zone
        try:
            moment = dt.datetime.fromisoformat(f"{day}T{minutes}:{seconds}{fraction}{zone}")
        except ValueError:
            moment = None
    if moment is None:
        raise InputError(
            [
                Problem(
                    f"since {text!r} is not an RFC 3339 date-time",
                    "write e.g. 2026-07-01T00:00:00Z",
                )
            ]
        )
    return moment
