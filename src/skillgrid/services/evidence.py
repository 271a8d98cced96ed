"""Evidence use cases: add an item linked to criteria, change its links (per item, or per
criterion as the assessment page does), list a person's.

Criteria are named by id in one ladder version and stored by identity, so the links hold
across versions. The owner (or an admin) adds and links; the owner, their management chain
and admins can read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace
from typing import Any

from skillgrid.domain.assessments import Actor, Forbidden
from skillgrid.domain.errors import InputError, NotFound, Problem
from skillgrid.domain.evidence import Evidence, check_evidence
from skillgrid.domain.framework import Framework
from skillgrid.domain.people import normal_email
from skillgrid.services.audit import evidence_fields, record, record_change
from skillgrid.services.frameworks import get_framework_in
from skillgrid.services.permissions import may_manage_evidence, may_view
from skillgrid.services.unit_of_work import UnitOfWork


def add_evidence(
    uow: UnitOfWork,
    actor: Actor,
    evidence: Evidence,
    criteria: Iterable[str],
    framework: str,
    version: int | None = None,
) -> Evidence:
    """Store an evidence item of ``evidence.owner`` linked to criteria (ids of ``framework``)."""
    owner = normal_email(evidence.owner)
    checked = check_evidence(replace(evidence, owner=owner))
    with uow.write():
        _may_write(uow, actor, owner)
        ladder = get_framework_in(uow, framework, version)
        uids = uids_of(ladder, criteria)
        stored = add_evidence_in(uow, actor, replace(checked, criteria=frozenset(uids)), ladder)
        uow.commit()
    return stored


def link_evidence(
    uow: UnitOfWork,
    actor: Actor,
    owner: str,
    evidence_id: int,
    criteria: Iterable[str],
    framework: str,
    version: int | None = None,
) -> Evidence:
    """Replace the criteria of ``framework`` an evidence item is linked to; its links to
    criteria of other ladders (or not in this version) stay."""
    owner = normal_email(owner)
    with uow.write():
        _may_write(uow, actor, owner)
        item = next((e for e in uow.evidence.for_person(owner) if e.id == evidence_id), None)
        if item is None:
            raise NotFound(f"{owner} has no evidence #{evidence_id}")
        ladder = get_framework_in(uow, framework, version)
        elsewhere = item.criteria - {c.uid for c in ladder.criteria}
        uids = frozenset(uids_of(ladder, criteria)) | elsewhere
        _set_links(uow, actor, item, uids, ladder)
        uow.commit()
    return replace(item, criteria=uids)


def link_to_criteria(
    uow: UnitOfWork,
    actor: Actor,
    owner: str,
    links: Mapping[str, Collection[int]],
    framework: str,
    version: int | None = None,
) -> list[Evidence]:
    """For each criterion id in ``links``, link exactly the given evidence items of ``owner``
    to it and unlink the person's other items from it; links to criteria not named stay.
    Returns the person's items as they are now."""
    owner = normal_email(owner)
    with uow.write():
        _may_write(uow, actor, owner)
        ladder = get_framework_in(uow, framework, version)
        items = relink_in(uow, actor, owner, ladder, links)
        uow.commit()
    return items


def relink_in(
    uow: UnitOfWork,
    actor: Actor,
    owner: str,
    ladder: Framework,
    links: Mapping[str, Collection[int]],
) -> list[Evidence]:
    """:func:`link_to_criteria` inside the caller's unit of work (the caller has checked that
    the actor may write the owner's evidence). Only the owner's own items can be linked: any
    other number is "not found", whoever it belongs to."""
    items = uow.evidence.for_person(owner)
    named = dict(zip(links, uids_of(ladder, links), strict=True))
    unknown = sorted({n for chosen in links.values() for n in chosen} - {e.id for e in items})
    if unknown:
        raise NotFound(f"{owner} has no evidence #{unknown[0]}")
    now: list[Evidence] = []
    for item in items:
        wanted = {uid for cid, uid in named.items() if item.id in links[cid]}
        criteria = (item.criteria - set(named.values())) | wanted
        if criteria != item.criteria:
            _set_links(uow, actor, item, criteria, ladder)
        now.append(replace(item, criteria=criteria))
    return now


def _set_links(
    uow: UnitOfWork, actor: Actor, item: Evidence, uids: frozenset[str], ladder: Framework
) -> None:
    """Store an item's links and say what changed in the audit trail (criterion ids)."""
    uow.evidence.set_links(item.id or 0, uids)
    ids = {c.uid: c.id for c in ladder.criteria}
    record_change(
        uow,
        actor,
        "link",
        "evidence",
        str(item.id),
        {"criteria": evidence_fields(item, ids)["criteria"]},
        {"criteria": evidence_fields(replace(item, criteria=uids), ids)["criteria"]},
        person=item.owner,
    )


def add_evidence_in(
    uow: UnitOfWork, actor: Actor, evidence: Evidence, framework: Framework
) -> Evidence:
    """Store a checked item inside the caller's unit of work, and say so in the audit trail
    (its text only as having some: it is personal)."""
    stored = uow.evidence.add(evidence)
    ids = {c.uid: c.id for c in framework.criteria}
    record(
        uow,
        actor,
        "add",
        "evidence",
        str(stored.id),
        person=stored.owner,
        after={k: v for k, v in evidence_fields(stored, ids).items() if v not in (None, [])},
    )
    return stored


def list_evidence(uow: UnitOfWork, actor: Actor, owner: str) -> list[Evidence]:
    """A person's evidence, newest first."""
    owner = normal_email(owner)
    with uow:
        _may_read(uow, actor, owner)
        return uow.evidence.for_person(owner)


def criterion_ids(framework: Framework, evidence: Evidence) -> list[str]:
    """The ids, in ``framework``, of the criteria an item is linked to (ladder order)."""
    return [c.id for c in framework.criteria if c.uid in evidence.criteria]


def evidence_rows(framework: Framework, items: Iterable[Evidence]) -> list[dict[str, Any]]:
    """Evidence items as JSON objects, each with its criteria as ids in ``framework``: what
    ``skillgrid evidence list --json`` prints and the API answers."""
    return [
        {
            "id": e.id,
            "title": e.title,
            "url": e.url,
            "source": e.source,
            "date": e.date.isoformat() if e.date else None,
            "text": e.text,
            "criteria": criterion_ids(framework, e),
        }
        for e in items
    ]


def parse_date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(
            [Problem(f"date {text!r} is not a calendar date", "write a real date as YYYY-MM-DD")]
        ) from None


def uids_of(framework: Framework, criteria: Iterable[str]) -> list[str]:
    """The identities of criteria named by id in ``framework``; unknown ids are refused."""
    by_id = {c.id: c.uid for c in framework.criteria}
    wanted = list(dict.fromkeys(criteria))
    unknown = [cid for cid in wanted if cid not in by_id]
    if unknown:
        raise InputError(
            Problem(
                f"unknown criterion {cid!r}",
                f"use an id of {framework.name} "
                f"v{framework.version}, as `skillgrid framework show` lists them",
            )
            for cid in unknown
        )
    return [str(by_id[cid]) for cid in wanted]


def _may_read(uow: UnitOfWork, actor: Actor, owner: str) -> None:
    found, above = uow.people.with_chain(owner)
    if found is None or not may_view(actor, owner, above):
        raise NotFound(f"no person {owner}")


def _may_write(uow: UnitOfWork, actor: Actor, owner: str) -> None:
    _may_read(uow, actor, owner)
    if not may_manage_evidence(actor, owner):
        raise Forbidden(
            f"{actor.email} may not change the evidence of {owner}: only they or an admin may"
        )
