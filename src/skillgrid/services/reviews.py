"""What the assessment and team pages need, read in one unit of work each: the assessment
with the other raters' handed-over ratings beside it, the evidence, what the actor may do;
and a manager's reports with their states and levels."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
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
# whose review is not finalized yet, those left out of the counts for having no manager.
Show = Literal["all", "overdue", "unfinished", "unmanaged"]


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
class Window:
    """Which of the people a filter keeps to list: ``limit`` from ``offset``; a ``clamped``
    window past the last of them shows the last page instead (the page numbers of the web
    page), an unclamped one nobody (the offsets of the API)."""

    offset: int = 0
    limit: int = TEAM_PAGE
    clamped: bool = False

    @classmethod
    def page(cls, number: int) -> Window:
        """Page ``number`` (from 1) of :data:`TEAM_PAGE` people."""
        return cls((max(number, 1) - 1) * TEAM_PAGE, TEAM_PAGE, clamped=True)

    def start(self, matched: int) -> int:
        if self.clamped and self.offset >= matched:
            return max(0, (matched - 1) // self.limit * self.limit)
        return self.offset


@dataclass(frozen=True)
class TeamView:
    """A manager's team in a cycle: every cycle to choose from, the one shown and its
    ladder version; the people a filter keeps, a window of them as rows; and the counts and
    coverage of everyone below the manager, whatever the filter."""

    cycle: Cycle | None
    cycles: tuple[Cycle, ...]
    framework: Framework | None
    rows: tuple[TeamRow, ...]  # the window shown, with official levels per track
    matched: int  # people the filter keeps, on all pages
    offset: int  # the place of the first row among them (from 0)
    limit: int
    teams: tuple[str, ...]  # the teams there are to filter by
    everyone: int
    finalized: int  # people with an official result in the cycle
    unmanaged: tuple[Person, ...]  # with no manager and no official result
    overdue: int  # people with a step of their review past its due date and not done
    coverage: dict[str, list[int]]  # track key → how many reached each level 1..top

    @property
    def top(self) -> int:
        return len(self.framework.levels) if self.framework else 0

    @property
    def head_count(self) -> HeadCount:
        """What levels and coverage rest on, in the words every view uses: the people who
        can have an official result are the active ones with a manager to finalize it (or
        finalized already, before they lost their manager); nobody's review can make one
        for the unmanaged (an admin gives them a manager)."""
        reviewable = self.everyone - len(self.unmanaged)
        return HeadCount(self.finalized, reviewable, len(self.unmanaged))

    @property
    def page(self) -> int:
        return self.offset // self.limit + 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.matched // self.limit))

    @property
    def first(self) -> int:
        """The place of the first row among all matched (1-based)."""
        return self.offset + 1 if self.rows else 0


def team_view(
    uow: UnitOfWork,
    actor: Actor,
    cycle: str | None = None,
    *,
    team: str | None = None,
    show: Show = "all",
    query: str = "",
    window: Window = Window(),
    today: dt.date | None = None,
) -> TeamView:
    """Everyone active below the actor (everyone active for an admin) with their assessment
    states in the cycle (the newest by default): those of one team, of one kind (``show``),
    whose name or email holds ``query`` (in either Unicode form), by email, a window of
    them with their official levels. Counts and coverage are of everyone, counted from the
    stored official results, so a department of thousands is a few statements. Someone
    deactivated has left the team (their history stays). Each row says which steps are
    overdue on ``today`` (by default the reminders' day, UTC)."""
    below = None if actor.is_admin else actor.email or ""
    day = today or today_utc()
    with uow:
        people = uow.people.people() if below is None else uow.people.below(below)
        people = [person for person in people if person.active]
        ladders = Ladders(uow)
        cycles = list(ladders.cycles.values())
        chosen = find_cycle(cycles, cycle) if cycle is not None else None
        if cycle is not None and chosen is None:
            raise NotFound(f"no cycle {cycle!r}")
        chosen = chosen or (cycles[-1] if cycles else None)
        framework, states, overall = None, {}, {}
        reached: Mapping[tuple[str, int], int] = {}  # (track, level) → active people at it
        levels: dict[str, OfficialLevels] | None = None
        if chosen is not None:
            framework, _ = ladders.of(chosen.name)
            states = uow.assessments.states(chosen.name, below)
            if len(people) <= window.limit:  # all on one page: their levels give the counts
                found = uow.summaries.levels(chosen.name, below)  # those who left too
                levels = {p.email: found[p.email] for p in people if p.email in found}
                overall = {email: at.overall for email, at in levels.items()}
                reached = Counter(pair for at in levels.values() for pair in at.tracks.items())
            else:  # counted by the database; levels read for the page only
                overall = uow.summaries.overall_levels(chosen.name, below)
                reached = uow.summaries.reached(chosen.name, below)
        late: dict[str, frozenset[str]] = {}
        # the steps past due for someone who did nothing: when none is, nobody is late
        if chosen is not None and overdue_steps(chosen, {}, day):
            for p in people:
                if steps := overdue_steps(chosen, states.get(p.email, {}), day):
                    late[p.email] = steps
        needle = search_form(query)
        matched = [
            p
            for p in people
            if (team is None or p.team == team)
            and (show != "overdue" or p.email in late)
            and (show != "unfinished" or states.get(p.email, {}).get("manager") != State.FINALIZED)
            and (show != "unmanaged" or (not p.manager and p.email not in overall))
            and (not needle or holds(p.name, needle) or holds(p.email, needle))
        ]
        start = window.start(len(matched))
        shown = matched[start : start + window.limit]
        if levels is None:  # a department bigger than a page: the page's levels only
            emails = [p.email for p in shown]
            levels = uow.summaries.levels_of(chosen.name, emails) if chosen else {}
    top = len(framework.levels) if framework else 0
    return TeamView(
        cycle=chosen,
        cycles=tuple(cycles),
        framework=framework,
        rows=tuple(
            TeamRow(p, states.get(p.email, {}), levels.get(p.email), late.get(p.email, frozenset()))
            for p in shown
        ),
        matched=len(matched),
        offset=start,
        limit=window.limit,
        teams=tuple(sorted({p.team for p in people if p.team})),
        everyone=len(people),
        finalized=sum(1 for p in people if p.email in overall),
        unmanaged=tuple(p for p in people if not p.manager and p.email not in overall),
        overdue=len(late),
        coverage={
            track.key: [
                sum(n for (key, level), n in reached.items() if key == track.key and level >= at)
                for at in range(1, top + 1)
            ]
            for track in framework.tracks
        }
        if framework
        else {},
    )
