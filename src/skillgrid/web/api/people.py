"""People, assessments, results and the team in JSON (the same services as the pages)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from skillgrid.domain.assessments import NOT_STARTED
from skillgrid.services.reviews import Show, TeamRow
from skillgrid.web.api.errors import ERRORS
from skillgrid.web.api.json_body import StrictJsonRoute
from skillgrid.web.api.models import (
    AssessmentPublic,
    AssessmentRef,
    CyclePublic,
    EvidenceList,
    Me,
    Paged,
    RatingValue,
    StateChange,
    StepValue,
    TeamView,
)
from skillgrid.web.api.params import (
    NAME,
    TEXT,
    CycleFilter,
    CycleName,
    Email,
    Limit,
    Offset,
    Rater,
    Search,
    TeamFilter,
)
from skillgrid.web.api.report_models import PersonResults
from skillgrid.web.deps import ApiUser

router = APIRouter(tags=["people and assessments"], responses=ERRORS, route_class=StrictJsonRoute)
NAMED_UNMANAGED = 100  # people with no manager named on every page of the team (all counted)


class RatingIn(BaseModel):
    rating: RatingValue
    reason: str | None = Field(None, max_length=2000, pattern=TEXT)
    comment: str | None = Field(None, max_length=5000, pattern=TEXT)


class AssessmentUpdate(BaseModel):
    """All the ratings of an assessment (criteria left out are no longer rated)."""

    revision: int = Field(
        ..., ge=0, le=2**31 - 1, description="The revision you read (0 for a new one)."
    )
    ratings: dict[str, RatingIn] = Field(default_factory=dict, max_length=2000)


class Transition(BaseModel):
    revision: int = Field(..., ge=0, le=2**31 - 1)


EvidenceNumber = Annotated[int, Field(ge=1, le=2**31 - 1)]


class EvidenceLinks(BaseModel):
    """Which of the person's evidence items are linked to some criteria."""

    framework: str = Field("sre", max_length=100, pattern=NAME)
    version: int | None = Field(None, ge=1, le=2**31 - 1, description="Default: newest.")
    links: dict[str, list[EvidenceNumber]] = Field(
        ...,
        max_length=2000,
        description="Criterion id → the evidence numbers to link to it (the person's other "
        "items are unlinked from it); criteria not named keep their links.",
    )


def _assessment_json(assessment: Any, framework: Any) -> dict[str, Any]:
    """The assessment as the API answers it, its ratings in the ladder's order."""
    entries = assessment.entries
    return {
        "person": assessment.person,
        "cycle": assessment.cycle,
        "rater": assessment.rater,
        "state": assessment.state.value if assessment.started else NOT_STARTED,
        "revision": assessment.revision,
        "framework": {"name": framework.name, "version": framework.version},
        "ratings": {
            c.id: {
                "rating": e.rating.value,
                "reason": e.reason,
                "comment": e.comment,
                "needs_review": e.needs_review,
                "review_reason": e.review_reason,
            }
            for c in framework.criteria
            if (e := entries.get(c.uid)) is not None
        },
    }


@router.get("/me", response_model=Me)
def me(user: ApiUser) -> dict[str, Any]:
    """Who is calling, and with which role."""
    with user:
        return {"email": user.email, "role": user.actor.role.value}


@router.get("/cycles", response_model=list[CyclePublic])
def cycles(user: ApiUser) -> list[dict[str, Any]]:
    """Review cycles, oldest first."""
    from skillgrid.services.cycles import list_cycles

    with user:
        return [c.to_dict() for c in list_cycles(user.uow)]


@router.put("/cycles/{cycle}/due", response_model=CyclePublic)
def put_due_dates(
    user: ApiUser, cycle: CycleName, body: dict[StepValue, dt.date | None]
) -> dict[str, Any]:
    """Set a cycle's due dates; a step left out has none (admins)."""
    from skillgrid.domain.assessments import STEPS
    from skillgrid.services.cycles import set_due_dates

    with user:
        dates = {step: body.get(step) for step in STEPS}  # type: ignore[call-overload]
        return set_due_dates(user.uow, cycle, dates, actor=user.actor).to_dict()


class NotificationSettings(BaseModel):
    event_mails: bool = Field(
        ...,
        description="Mails about the person's own review (e.g. 'your assessment is finalized').",
    )


@router.get("/people/{email}/notifications", response_model=NotificationSettings)
def get_notifications(user: ApiUser, email: Email) -> dict[str, Any]:
    """Whether the person gets event mails (the person or an admin)."""
    from skillgrid.services.reminders import event_mails_wanted

    with user:
        return {"event_mails": event_mails_wanted(user.uow, email, actor=user.actor)}


@router.put("/people/{email}/notifications", response_model=NotificationSettings)
def put_notifications(user: ApiUser, email: Email, body: NotificationSettings) -> dict[str, Any]:
    """Turn the person's event mails on or off (the person or an admin)."""
    from skillgrid.services.reminders import set_event_mails

    with user:
        wanted = set_event_mails(user.uow, email, body.event_mails, actor=user.actor)
        return {"event_mails": wanted}


@router.get("/people/{email}/results", response_model=PersonResults)
def results(user: ApiUser, email: Email, cycle: CycleFilter = None) -> dict[str, Any]:
    """A person's official result (latest or in a cycle), ratings beside it, history."""
    from skillgrid.reports.person import report_data
    from skillgrid.services.results import person_report

    with user:
        return report_data(person_report(user.uow, user.actor, email, cycle))


@router.get("/people/{email}/assessments/{cycle}/{rater}", response_model=AssessmentPublic)
def get_assessment(user: ApiUser, email: Email, cycle: CycleName, rater: Rater) -> dict[str, Any]:
    """One assessment with its revision (write it back with PUT)."""
    from skillgrid.services.assessments import get_assessment as read

    with user:
        assessment, framework = read(user.uow, user.actor, email, cycle, rater)
        return _assessment_json(assessment, framework)


@router.put("/people/{email}/assessments/{cycle}/{rater}", response_model=AssessmentPublic)
def put_assessment(
    user: ApiUser, email: Email, cycle: CycleName, rater: Rater, body: AssessmentUpdate
) -> dict[str, Any]:
    """Replace the ratings; 409 when the revision is not the current one. The answer is the
    assessment as this write left it: its revision is the one to send next (read again
    after the commit, it could be another writer's, whose ratings the next write would then
    overwrite unseen)."""
    from skillgrid.domain.assessments import Entry
    from skillgrid.domain.leveling import Rating
    from skillgrid.services import assessments
    from skillgrid.services.cycles import cycle_in

    with user:
        entries = {
            cid: Entry(Rating(r.rating), r.reason, r.comment) for cid, r in body.ratings.items()
        }
        saved = assessments.rate(
            user.uow,
            user.actor,
            email,
            cycle,
            rater,
            entries,
            revision=body.revision,
            replace_all=True,
        )
        _, framework, _ = cycle_in(user.uow, cycle)  # the ladder version the cycle is on
        return _assessment_json(saved, framework)


@router.post(
    "/people/{email}/assessments/{cycle}/{peer}/invite",
    status_code=201,
    response_model=AssessmentRef,
)
def invite(user: ApiUser, email: Email, cycle: CycleName, peer: Rater) -> dict[str, Any]:
    """Ask a colleague for a peer review (the person, their managers or an admin)."""
    from skillgrid.services.assessments import invite_peer

    with user:
        invited = invite_peer(user.uow, user.actor, email, cycle, peer)
        return {
            "person": invited.person,
            "cycle": invited.cycle,
            "rater": invited.rater,
            "state": invited.state.value,
            "revision": invited.revision,
        }


@router.post("/people/{email}/assessments/{cycle}/{rater}/submit", response_model=StateChange)
def submit(
    user: ApiUser, email: Email, cycle: CycleName, rater: Rater, body: Transition
) -> dict[str, Any]:
    """draft → submitted (the author or an admin)."""
    from skillgrid.services.assessments import submit as do_submit

    with user:
        saved = do_submit(user.uow, user.actor, email, cycle, rater, body.revision)
        return {"state": saved.state.value, "revision": saved.revision}


@router.post("/people/{email}/assessments/{cycle}/{rater}/finalize", response_model=StateChange)
def finalize(
    user: ApiUser, email: Email, cycle: CycleName, rater: Rater, body: Transition
) -> dict[str, Any]:
    """submitted → finalized (the person's manager or an admin)."""
    from skillgrid.services.assessments import finalize as do_finalize

    with user:
        saved = do_finalize(user.uow, user.actor, email, cycle, rater, body.revision)
        return {"state": saved.state.value, "revision": saved.revision}


@router.get("/team", response_model=TeamView)
def team(
    user: ApiUser,
    cycle: CycleFilter = None,
    team: TeamFilter = None,
    show: Annotated[
        Show,
        Query(
            description="all, overdue (a step past its due date), unfinished, or unmanaged "
            "(no manager and no official result, so in no count)."
        ),
    ] = "all",
    q: Search = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The caller's reports (everyone for an admin) by email, filtered as the team page
    does and a page at a time: states and official levels in a cycle, counts of everyone."""
    from skillgrid.reports.team import based_on_data
    from skillgrid.services.reviews import Window, team_view

    with user:
        view = team_view(
            user.uow,
            user.actor,
            cycle,
            team=team,
            show=show,
            query=q or "",
            window=Window(offset, limit),
        )
    return {
        "cycle": view.cycle.name if view.cycle else None,
        "people": [_member_json(r) for r in view.rows],
        **Paged.fields(view.matched, limit, offset),
        "everyone": view.everyone,
        "overdue": view.overdue,
        "based_on": based_on_data(view.head_count, view.unmanaged, view.cycle, NAMED_UNMANAGED),
    }


def _member_json(row: TeamRow) -> dict[str, Any]:
    official = row.official
    return {
        "email": row.person.email,
        "name": row.person.name,
        "team": row.person.team,
        "states": row.states,
        "overall": official.overall if official else None,
        "tracks": dict(official.tracks) if official else None,
    }


LadderQuery = Annotated[str, Query(max_length=100, pattern=NAME, description="A ladder's name.")]
VersionQuery = Annotated[int | None, Query(ge=1, le=2**31 - 1, description="Default: newest.")]


@router.get("/people/{email}/evidence", response_model=EvidenceList)
def evidence(
    user: ApiUser,
    email: Email,
    framework: LadderQuery = "sre",
    version: VersionQuery = None,
) -> dict[str, Any]:
    """A person's evidence, newest first, with the criteria (ids in a ladder version) each
    item is linked to (the person, their managers or an admin)."""
    from skillgrid.services.evidence import list_evidence
    from skillgrid.services.frameworks import get_framework

    with user:
        return _evidence_json(
            email,
            list_evidence(user.uow, user.actor, email),
            get_framework(user.uow, framework, version),
        )


@router.put("/people/{email}/evidence/links", response_model=EvidenceList)
def link_evidence(user: ApiUser, email: Email, body: EvidenceLinks) -> dict[str, Any]:
    """Link existing evidence to criteria, and unlink it, as the assessment page does (the
    person or an admin); 404 for an evidence number that is not the person's."""
    from skillgrid.services.evidence import link_to_criteria
    from skillgrid.services.frameworks import get_framework

    with user:
        links = {cid: set(numbers) for cid, numbers in body.links.items()}
        items = link_to_criteria(user.uow, user.actor, email, links, body.framework, body.version)
        return _evidence_json(email, items, get_framework(user.uow, body.framework, body.version))


def _evidence_json(email: str, items: Any, framework: Any) -> dict[str, Any]:
    from skillgrid.services.evidence import evidence_rows

    return {
        "person": email.strip().lower(),
        "framework": {"name": framework.name, "version": framework.version},
        "items": evidence_rows(framework, items),
    }
