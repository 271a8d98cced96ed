"""Who may do what: every rule of access, in one place. Each use case takes the acting
account and asks here; routes and commands never decide. docs/concepts.md ("Who may do
what") writes the same rules out as a table, which a test checks route by route.

Who acts: a person through their session or a personal API token (both act as the person
with their role), an admin account, or the local operator (the CLI on the server), who acts
as an admin. About a person, the people who count are the person themself, their manager
and everyone above them (a skip-level manager), and a peer invited to rate them.

Someone who may not even see a person is told "no person" (NotFound), as if the person did
not exist; someone who sees them but may not do a thing is told who may (Forbidden)."""

from __future__ import annotations

from collections.abc import Collection

from skillgrid.domain.assessments import MANAGER, SELF, Actor, Assessment, Forbidden, State


def author_of(assessment_rater: str, person: str, manager: str | None) -> str | None:
    """Whose ratings these are: the person, their manager, or the peer."""
    if assessment_rater == SELF:
        return person
    if assessment_rater == MANAGER:
        return manager
    return assessment_rater


def may_view(actor: Actor, person: str, chain_above: Collection[str]) -> bool:
    """A person's growth, report and evidence: the person, anyone above them in the
    management chain, or an admin."""
    if actor.is_admin:
        return True
    return actor.email is not None and (actor.email == person or actor.email in chain_above)


def may_read(
    actor: Actor, assessment: Assessment, manager: str | None, chain_above: Collection[str]
) -> bool:
    """The author and admins read an assessment at any time; the person and their
    management chain only once it is submitted (a draft is its author's own)."""
    if actor.is_admin:
        return True
    if actor.email is None:
        return False
    if actor.email == author_of(assessment.rater, assessment.person, manager):
        return True
    entitled = actor.email == assessment.person or actor.email in chain_above
    return entitled and assessment.state is not State.DRAFT


def may_edit(actor: Actor, rater: str, person: str, manager: str | None) -> bool:
    """The author edits their own assessment; an admin may edit any."""
    return actor.is_admin or (
        actor.email is not None and actor.email == author_of(rater, person, manager)
    )


def may_finalize(actor: Actor, rater: str, manager: str | None) -> bool:
    """Only the manager assessment is finalized (it is the official result), by the
    person's manager or an admin; a self or peer assessment is never finalized."""
    if rater != MANAGER:
        return False
    return actor.is_admin or (actor.email is not None and actor.email == manager)


def may_manage_evidence(actor: Actor, owner: str) -> bool:
    """Who adds a person's evidence and links it to criteria: the person or an admin."""
    return actor.is_admin or (actor.email is not None and actor.email == owner)


def require_own_account(actor: Actor, account: str, doing: str) -> None:
    """An account's password is changed by whoever holds it, knowing the current one (an
    admin sets a new one with ``skillgrid user add`` or the admin page instead)."""
    if actor.email is None or actor.email != account:
        who = actor.email or "this caller"
        raise Forbidden(f"{who} may not {doing} of {account}: only its holder may")


def require_self_or_admin(actor: Actor, person: str, doing: str) -> None:
    """A person's own settings (such as event mails): the person, or an admin."""
    if not (actor.is_admin or actor.email == person):
        who = actor.email or "this caller"
        raise Forbidden(f"{who} may not {doing} of {person}: only they or an admin may")


def require_admin(actor: Actor, doing: str) -> None:
    """Ladders, cycles, people, teams, accounts, targets, the whole audit trail and the
    org-wide report are an admin's (or the operator's)."""
    if not actor.is_admin:
        who = actor.email or "this caller"
        raise Forbidden(f"{who} may not {doing}: only an admin may")
