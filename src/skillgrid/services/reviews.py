"""What the assessment and team pages need, read in one unit of work each: the assessment
with the other raters' handed-over ratings beside it, the evidence, what the actor may do;
and a manager's reports with their states and levels."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from skillgrid.domain.assessments import Actor, Assessment, Cycle, State, find_cycle
from skillgrid.domain.audit import AuditEntry, AuditQuery, scope_of
from skillgrid.domain.errors import NotFound
from skillgrid.domain.evidence import Evidence
from skillgrid.domain.framework import Framework
from skillgrid.domain.insight import HeadCount, OfficialLevels
from skillgrid.domain.leveling import LevelResult
from skillgrid.domain.people import Person, holds, search_form
from skillgrid.domain.reminders import overdue_steps
from skillgrid.services.assessments import assessment_context
from skillgrid.services.audit import entity_id, readable
from skillgrid.services.outbox import today_utc
from skillgrid.services.permissions import (
    may_edit,
    may_finalize,
    may_manage_evidence,
    may_read,
    may_view,
)
from skillgrid.services.results import Ladders, level_assessment
from skillgrid.services.unit_of_work import UnitOfWork

HISTORY = 50  # changes of an assessment shown on its page, newest first
TEAM_PAGE = 100  # people a page of the team page lists: a department reads in pages

# Which rows of the team page to list: everyone, those with a step past its due date, those
# whose review is not finalized yet.
Show = Literal["all", "overdue", "unfinished"]


@dataclass(frozen=True)
class ReviewView:
    person: Person
    cycle: Cycle
    framework: Framework
    assessment: Assessment
    others: tuple[Assessment, ...]
    evidence: tuple[Evidence, ...]
    result: LevelResult
    can_edit: bool
    can_finalize: bool
    can_link_evidence: bool  # add the person's evidence and link it (the person or an admin)
    history: tuple[AuditEntry, ...] = ()  # the changes to this assessment the actor may read
    late: frozenset[str] = frozenset()  # this assessment's step, when past its due date

    def open_levels(self) -> set[int]:
        """The levels shown unfolded: the current overall level and the next one."""
        current = self.result.overall
        return {level for level in (current, current + 1) if level >= 1} or {1}


def review_view(
    uow: UnitOfWork,
    actor: Actor,
    person: str,
    cycle: str,
    rater: str,
    today: dt.date | None = None,
) -> ReviewView:
    """An assessment's page: it, what the actor may do with it, and whether its step is
    overdue on ``today`` (by default the reminders' day, UTC)."""
    with uow:
        context = assessment_context(uow, person, cycle, rater, actor, others=True)
        p = context.person
        above = context.above
        assessment = context.current or Assessment(p.email, cycle, context.rater)
        if not may_read(actor, assessment, p.manager, above):
            raise NotFound(f"no {context.rater} assessment of {p.email} in {cycle} for you")
        others = tuple(
            a
            for a in context.others
            if a.state is not State.DRAFT and may_read(actor, a, p.manager, above)
        )
        evidence = (
            tuple(uow.evidence.for_person(p.email)) if may_view(actor, p.email, above) else ()
        )
        trail = AuditQuery(entity="assessment", entity_id=entity_id(assessment), limit=HISTORY)
        history = tuple(readable(uow, actor, uow.audit.find(trail, scope_of(actor))))
        step, day = context.rater, today or today_utc()  # a peer's has no step, so no date
        late = overdue_steps(context.cycle, {step: assessment.state.value}, day) & {step}
        editable = assessment.state is not State.FINALIZED and context.cycle.open
        can_edit = editable and may_edit(actor, context.rater, p.email, p.manager)
        return ReviewView(
            person=p,
            cycle=context.cycle,
            framework=context.framework,
            assessment=assessment,
            others=others,
            evidence=evidence,
            result=level_assessment(context.framework, assessment, context.policy),
            can_edit=can_edit,
            can_finalize=assessment.state is State.SUBMITTED
            and may_finalize(actor, context.rater, p.manager),
            can_link_evidence=can_edit and may_manage_evidence(actor, p.email),
            history=history,
            late=late,
        )


@dataclass(frozen=True)
class TeamRow:
    person: Person
    states: dict[str, str]  # rater → state in the cycle
    official: OfficialLevels | None
    late: frozenset[str] = frozenset()  # the steps of their review past their due date


@dataclass(frozen=True)
class TeamPage:
    """The rows a filter keeps, one page of them: ``matched`` on all pages, ``page`` of
    ``pages``, and the teams there are to filter by."""

    rows: tuple[TeamRow, ...]
    matched: int
    page: int
    pages: int
    teams: tuple[str, ...]

    @property
    def first(self) -> int:
        """The place of the page's first row among all matched (1-based)."""
        return (self.page - 1) * TEAM_PAGE + 1 if self.rows else 0


@dataclass(frozen=True)
class TeamView:
    """A manager's team in a cycle: every cycle to choose from, the one shown and its
    ladder version, and a row per person below the manager."""

    cycle: Cycle | None
    cycles: tuple[Cycle, ...]
    framework: Framework | None
    rows: tuple[TeamRow, ...]

    @property
    def top(self) -> int:
        return len(self.framework.levels) if self.framework else 0

    @property
    def reviewable(self) -> int:
        """People who can have an official result: active, with a manager to finalize it
        (or finalized already, before they lost their manager)."""
        return sum(
            1
            for row in self.rows
            if row.person.active and (row.person.manager or row.official is not None)
        )

    @property
    def unmanaged(self) -> tuple[Person, ...]:
        """The active people shown with no manager and no official result: nobody's review
        can make one, so they are left out of :attr:`reviewable` (an admin gives them one)."""
        return tuple(
            row.person
            for row in self.rows
            if row.person.active and not row.person.manager and row.official is None
        )

    @property
    def head_count(self) -> HeadCount:
        """What levels and coverage rest on, in the words every view uses."""
        return HeadCount(self.finalized, self.reviewable, len(self.unmanaged))

    @property
    def overdue(self) -> int:
        """People with a step of their review past its due date and not done."""
        return sum(1 for row in self.rows if row.late)

    @property
    def finalized(self) -> int:
        """People with an official result in the cycle: what levels and coverage rest on."""
        return sum(1 for row in self.rows if row.official is not None)

    def matching(
        self, *, team: str | None = None, show: Show = "all", query: str = ""
    ) -> list[TeamRow]:
        """The rows of one team, of one kind (``show``), whose name or email holds ``query``
        (in either Unicode form), in the rows' order (by email)."""
        needle = search_form(query)
        return [
            row
            for row in self.rows
            if (team is None or row.person.team == team)
            and (show != "overdue" or row.late)
            and (show != "unfinished" or row.states.get("manager") != State.FINALIZED)
            and (holds(row.person.name, needle) or holds(row.person.email, needle))
        ]

    def select(
        self, *, team: str | None = None, show: Show = "all", query: str = "", page: int = 1
    ) -> TeamPage:
        """The rows :meth:`matching` keeps, a page of :data:`TEAM_PAGE` at a time (past the
        last page: the last). The counts and coverage above stay those of everyone."""
        matched = self.matching(team=team, show=show, query=query)
        pages = max(1, -(-len(matched) // TEAM_PAGE))
        page = min(max(page, 1), pages)
        start = (page - 1) * TEAM_PAGE
        teams = sorted({row.person.team for row in self.rows if row.person.team})
        return TeamPage(
            tuple(matched[start : start + TEAM_PAGE]), len(matched), page, pages, tuple(teams)
        )

    @property
    def coverage(self) -> dict[str, list[int]]:
        """Track key → how many people reached each level 1..top (officially)."""
        if self.framework is None:
            return {}
        leveled = [row.official for row in self.rows if row.official is not None]
        return {
            track.key: [
                sum(1 for r in leveled if r.tracks[track.key] >= level)
                for level in range(1, self.top + 1)
            ]
            for track in self.framework.tracks
        }


def team_view(
    uow: UnitOfWork, actor: Actor, cycle: str | None = None, today: dt.date | None = None
) -> TeamView:
    """Everyone active below the actor (everyone active for an admin), by email, with their
    assessment states in the cycle (the newest by default) and their official levels there,
    if finalized — read from the stored official results, so a department of hundreds is a
    few statements. Someone deactivated has left the team (their history stays). Each row
    says which steps are overdue on ``today`` (by default the reminders' day, UTC)."""
    below = None if actor.is_admin else actor.email or ""
    with uow:
        people = uow.people.people() if below is None else uow.people.below(below)
        people = [person for person in people if person.active]
        ladders = Ladders(uow)
        cycles = list(ladders.cycles.values())
        chosen = find_cycle(cycles, cycle) if cycle is not None else None
        if cycle is not None and chosen is None:
            raise NotFound(f"no cycle {cycle!r}")
        chosen = chosen or (cycles[-1] if cycles else None)
        if chosen is None:
            return TeamView(None, (), None, tuple(TeamRow(p, {}, None) for p in people))
        framework, _ = ladders.of(chosen.name)
        states = uow.assessments.states(chosen.name, below)
        levels = uow.summaries.levels(chosen.name, below)
    day = today or today_utc()
    rows = tuple(
        TeamRow(p, mine, levels.get(p.email), overdue_steps(chosen, mine, day))
        for p in people
        for mine in [states.get(p.email, {})]
    )
    return TeamView(chosen, tuple(cycles), framework, rows)
