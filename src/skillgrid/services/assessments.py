"""Assessments: rate criteria, submit, finalize, reopen, peer invitations (ratings files
are in :mod:`skillgrid.services.assessment_files`).

Permission rules live here, so every caller (CLI, web, API) inherits them: the author of an
assessment (the person for ``self``, their manager for ``manager``, the peer) or an admin
edits and submits it; only the person's manager or an admin finalizes; a finalized
assessment is read-only. Each write names the revision it read; a stale write is refused.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace

from skillgrid.domain.assessments import (
    MANAGER,
    SELF,
    Actor,
    Assessment,
    AssessmentError,
    Cycle,
    Entry,
    Forbidden,
    State,
    StateError,
    check_entry,
    check_rater,
    next_state,
)
from skillgrid.domain.audit import RATE, rating_changes
from skillgrid.domain.errors import Conflict, InputError, NotFound, Problem
from skillgrid.domain.framework import Framework
from skillgrid.domain.people import Person, normal_email
from skillgrid.domain.policies import Policy
from skillgrid.services.audit import entity_id, record
from skillgrid.services.cycles import cycle_in
from skillgrid.services.outbox import emit
from skillgrid.services.permissions import (
    may_edit,
    may_finalize,
    may_read,
    may_view,
)
from skillgrid.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Context:
    """What an assessment action needs to know, read in one unit of work."""

    person: Person
    cycle: Cycle
    framework: Framework
    rater: str
    current: Assessment | None
    above: tuple[str, ...]  # the person's managers, nearest first
    policy: Policy  # the ladder's leveling rule
    others: tuple[Assessment, ...] = ()  # the other raters' in the cycle, when asked for


def rate(
    uow: UnitOfWork,
    actor: Actor,
    person: str,
    cycle: str,
    rater: str,
    entries: Mapping[str, Entry],
    *,
    revision: int | None = None,
    replace_all: bool = False,
) -> Assessment:
    """Set ratings (criterion id → entry) on a draft or submitted assessment.

    ``revision`` is the revision the caller read (None: the one read now); ``replace_all``
    drops ratings not given (as an import does)."""
    with uow.write():
        context = assessment_context(uow, person, cycle, rater, actor)
        saved = rate_in(uow, actor, context, entries, revision, replace_all)
        uow.commit()
    return saved


def rate_in(
    uow: UnitOfWork,
    actor: Actor,
    context: Context,
    entries: Mapping[str, Entry],
    revision: int | None,
    replace_all: bool,
) -> Assessment:
    """Store ratings inside the caller's unit of work, after the same checks as :func:`rate`
    (who may edit, open cycle, not finalized, the revision read)."""
    person = context.person
    allowed = may_edit(actor, context.rater, person.email, person.manager)
    _require(allowed, actor, "edit", context)
    if not context.cycle.open:
        raise StateError(f"cycle {context.cycle.name} is closed: no more ratings")
    if context.current is None and context.rater not in (SELF, MANAGER):
        raise NotFound(
            f"no peer review of {person.email} by {context.rater} in {context.cycle.name}: "
            f"{person.email} or their manager invites peers first (skillgrid assess invite)"
        )
    current = context.current or Assessment(person.email, context.cycle.name, context.rater)
    if current.state is State.FINALIZED:
        raise StateError("the assessment is finalized and read-only")
    _check_revision(current, revision)
    by_uid = _to_uids(context.framework, entries)
    merged = _merge(current, by_uid, context, replace_all)
    saved = uow.assessments.save(replace(current, entries=merged), current.entries)
    ids = {c.uid: c.id for c in context.framework.criteria}
    before, after = rating_changes(current.entries, merged, ids)
    if before or after:
        record(
            uow,
            actor,
            RATE,
            "assessment",
            entity_id(saved),
            person=person.email,
            before=before,
            after=after,
        )
    if saved.rater == SELF and saved.state is not State.DRAFT:
        _keep_summary(uow, saved, context.cycle)  # a handed-over self-assessment is compared
    return saved


def _keep_summary(
    uow: UnitOfWork, saved: Assessment, cycle: Cycle, finalized: bool = False
) -> None:
    """Keep the stored official result in step, in the same transaction as the change; a
    finalize records who manages the person now, anything else keeps who did then."""
    from skillgrid.services.summaries import refresh_summary

    if saved.rater in (SELF, MANAGER):
        refresh_summary(uow, saved.person, cycle, new_manager=finalized)


def _merge(
    current: Assessment, given: dict[str, Entry], context: Context, replace_all: bool
) -> dict[str, Entry]:
    """New ratings over the stored ones. Ratings of criteria this ladder version removed
    stay archived even when a file replaces the rest; a rating flagged for re-rating keeps
    its flag until the rating itself changes."""
    in_version = {c.uid for c in context.framework.criteria}
    if replace_all:
        merged = {uid: e for uid, e in current.entries.items() if uid not in in_version}
    else:
        merged = dict(current.entries)
    for uid, entry in given.items():
        before = current.entries.get(uid)
        if before is not None and before.needs_review and before.rating is entry.rating:
            entry = replace(entry, needs_review=True, review_reason=before.review_reason)
        merged[uid] = entry
    return merged


def submit(
    uow: UnitOfWork, actor: Actor, person: str, cycle: str, rater: str, revision: int | None = None
) -> Assessment:
    """Hand an assessment over: draft → submitted (by its author or an admin)."""
    return _transition(uow, actor, person, cycle, rater, "submit", revision)


def finalize(
    uow: UnitOfWork,
    actor: Actor,
    person: str,
    cycle: str,
    rater: str = MANAGER,
    revision: int | None = None,
) -> Assessment:
    """Make an assessment official and read-only: submitted → finalized (manager or admin)."""
    return _transition(uow, actor, person, cycle, rater, "finalize", revision)


def reopen(
    uow: UnitOfWork, actor: Actor, person: str, cycle: str, rater: str = MANAGER
) -> Assessment:
    """Take a finalized assessment back to submitted to correct it (admins only; the
    official result it made is withdrawn until it is finalized again)."""
    return _transition(uow, actor, person, cycle, rater, "reopen", None)


def get_assessment(
    uow: UnitOfWork, actor: Actor, person: str, cycle: str, rater: str
) -> tuple[Assessment, Framework]:
    """One assessment (empty draft if none yet) and the ladder version of its cycle."""
    with uow:
        context = assessment_context(uow, person, cycle, rater, actor)
        above = context.above
        assessment = context.current or Assessment(context.person.email, cycle, context.rater)
        if not may_read(actor, assessment, context.person.manager, above):
            if may_view(actor, context.person.email, above):
                raise Forbidden(
                    f"the {context.rater} assessment of {context.person.email} is a draft: "
                    "only its author reads it until it is submitted"
                )
            raise NotFound(f"no person {normal_email(person)}")
        return assessment, context.framework


_EVENTS = {"submit": "submitted", "finalize": "finalized", "reopen": "reopened"}


def _transition(
    uow: UnitOfWork,
    actor: Actor,
    person: str,
    cycle: str,
    rater: str,
    action: str,
    revision: int | None,
) -> Assessment:
    with uow.write():
        context = assessment_context(uow, person, cycle, rater, actor)
        p = context.person
        if action == "finalize" and context.rater != MANAGER:
            raise AssessmentError(
                f"the {context.rater} assessment is not finalized: the manager assessment is "
                "the official result (finalize that one); a self or peer assessment stays "
                "submitted"
            )
        if action == "finalize":
            allowed = may_finalize(actor, context.rater, p.manager)
        elif action == "reopen":
            allowed = actor.is_admin
        else:
            allowed = may_edit(actor, context.rater, p.email, p.manager)
        _require(allowed, actor, action, context)
        if context.current is None:
            raise AssessmentError(f"there is no {context.rater} assessment of {p.email} in {cycle}")
        _check_revision(context.current, revision)
        state = next_state(context.current.state, action)
        saved = uow.assessments.save(replace(context.current, state=state), context.current.entries)
        _keep_summary(uow, saved, context.cycle, finalized=action == "finalize")
        record(
            uow,
            actor,
            action,
            "assessment",
            entity_id(saved),
            person=p.email,
            before={"state": context.current.state.value},
            after={"state": state.value},
        )
        told = {"person": p.email, "cycle": cycle, "rater": context.rater, "by": actor.email}
        emit(uow, f"assessment.{_EVENTS[action]}", {**told, "state": state.value})
        uow.commit()
    return saved


def assessment_context(
    uow: UnitOfWork, person: str, cycle: str, rater: str, actor: Actor, *, others: bool = False
) -> Context:
    """Everything an assessment action needs (with ``others``, the other raters'
    assessments in the cycle too, read in the same statement). Someone who may not see the
    person gets the same 'no person' answer whether or not the person, cycle or rater
    exists; a peer sees the person only once invited to rate them."""
    email = normal_email(person)
    found, chain = uow.people.with_chain(email)
    hidden = NotFound(f"no person {email}")
    if found is None:
        raise hidden
    checked = check_rater(rater, email)
    above = tuple(chain)
    sees = actor.is_admin or may_view(actor, email, above)
    peer = checked not in (SELF, MANAGER) and actor.email == checked
    if not (sees or peer):
        raise hidden
    try:
        the_cycle, framework, policy = cycle_in(uow, cycle)
    except NotFound:
        if not sees:
            raise hidden from None
        raise
    if others:
        every = uow.assessments.for_person(email, cycle)
        current = next((a for a in every if a.rater == checked), None)
    else:
        every, current = [], uow.assessments.get(email, cycle, checked)
    if not sees and current is None:  # naming oneself as a peer proves nothing
        raise hidden
    if checked == MANAGER and found.manager is None:
        raise AssessmentError(f"{email} has no manager on file to write a manager assessment")
    if checked not in (SELF, MANAGER) and uow.people.get(checked) is None:
        raise NotFound(f"no person {checked} to rate {email} as a peer")
    rest = tuple(a for a in every if a is not current)
    return Context(found, the_cycle, framework, checked, current, above, policy, rest)


def _require(allowed: bool, actor: Actor, action: str, context: Context) -> None:
    """Refuse an action: 'not found' to someone who may not even see the person (no hint
    that they exist), 'not allowed' with who may to someone who may see them."""
    if not allowed:
        email = context.person.email
        sees = may_view(actor, email, context.above) or actor.email == context.rater
        if not sees:
            raise NotFound(f"no person {email}")
        who = actor.email or "this operator"
        who_may = {
            "finalize": "the person's manager or an admin",
            "reopen": "an admin",
            "invite a peer for": "the person, their managers or an admin",
        }.get(action, "its author or an admin")
        raise Forbidden(
            f"{who} may not {action} the {context.rater} assessment of {context.person.email}: "
            f"only {who_may} may"
        )


def _check_revision(current: Assessment, revision: int | None) -> None:
    if revision is not None and revision != current.revision:
        raise Conflict(
            f"the assessment is at revision {current.revision}, not {revision}: someone "
            "changed it meanwhile; nothing was stored — reload it and apply your change again"
        )


def unknown_criteria(framework: Framework, criteria: Collection[str]) -> list[Problem]:
    """A problem for each criterion id the ladder version does not have."""
    uids = {c.id for c in framework.criteria}
    return [
        Problem(f"unknown criterion {cid!r}", f"use an id of {framework.name} v{framework.version}")
        for cid in criteria
        if cid not in uids
    ]


def _to_uids(framework: Framework, entries: Mapping[str, Entry]) -> dict[str, Entry]:
    uids = {c.id: c.uid for c in framework.criteria}
    problems = unknown_criteria(framework, entries.keys())
    for cid, entry in entries.items():
        try:
            check_entry(cid, entry)
        except AssessmentError as error:
            problems.append(Problem(str(error), "give the reason why it cannot apply"))
    if problems:
        raise InputError(problems)
    return {str(uids[cid]): entry for cid, entry in entries.items()}


def invite_peer(uow: UnitOfWork, actor: Actor, person: str, cycle: str, peer: str) -> Assessment:
    """Ask a colleague for a peer review: the person, anyone above them or an admin invites;
    only then may the peer rate them."""
    with uow.write():
        context = assessment_context(uow, person, cycle, peer, actor)
        if context.rater in (SELF, MANAGER):
            raise AssessmentError("invite a peer by email; self and manager need no invitation")
        inviter = may_view(actor, context.person.email, context.above)
        _require(inviter, actor, "invite a peer for", context)
        if context.current is not None:
            return context.current
        invited = uow.assessments.save(Assessment(context.person.email, cycle, context.rater))
        record(
            uow,
            actor,
            "invite",
            "assessment",
            entity_id(invited),
            person=invited.person,
            after={"state": invited.state.value},
        )
        uow.commit()
    return invited
