"""A person's growth page: their official levels across cycles, read from the stored
results (one per person and cycle, kept by the writes that change them), and their latest
self-assessment leveled by the same rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from skillgrid.domain.assessments import MANAGER, SELF, Actor, Assessment, Cycle
from skillgrid.domain.leveling import LevelResult
from skillgrid.domain.people import Person, normal_email
from skillgrid.domain.reminders import overdue_steps
from skillgrid.services.outbox import today_utc
from skillgrid.services.permissions import may_read
from skillgrid.services.results import (
    Ladders,
    StoredResult,
    level_assessment,
    level_change,
    stored_history,
    visible_person,
)
from skillgrid.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Growth:
    """What a growth page shows: the official results (oldest first; none until a manager
    finalizes), the latest self-assessment the viewer may read, leveled, and the cycles
    open now, each with the steps of the person's review there that are overdue."""

    person: Person
    history: tuple[StoredResult, ...]
    self_cycle: str | None
    self_result: LevelResult | None
    open_cycles: tuple[Cycle, ...]
    late: dict[str, frozenset[str]] = field(default_factory=dict)  # open cycle → its steps

    @property
    def official(self) -> StoredResult | None:
        """The latest official result."""
        return self.history[-1] if self.history else None

    @property
    def top(self) -> int:
        """The highest level of the ladder the page charts."""
        shown = self.official.result if self.official else self.self_result
        return shown.top if shown else 0

    @property
    def change(self) -> dict[str, int]:
        """Track key → level change since the previous official result (tracks in both)."""
        if len(self.history) < 2:
            return {}
        return level_change(self.history[-1].result, self.history[-2].result)


def growth(uow: UnitOfWork, actor: Actor, person: str, today: dt.date | None = None) -> Growth:
    """The data of a person's growth page, read in one unit of work, with the same privacy
    as their report (NotFound for a person the actor may not see); the steps of their review
    overdue on ``today`` (by default the reminders' day, UTC) in each open cycle."""
    email = normal_email(person)
    day = today or today_utc()
    with uow:
        found, above = visible_person(uow, actor, email)
        ladders = Ladders(uow)
        history = stored_history(ladders, email)
        self_history = uow.assessments.history(email, SELF)
        readable = [a for a in self_history if may_read(actor, a, found.manager, above)]
        latest = readable[-1] if readable else None
        if latest is not None and latest is not self_history[-1]:  # read without ratings
            latest = uow.assessments.get(email, latest.cycle, SELF)
        open_cycles = tuple(cycle for cycle in ladders.cycles.values() if cycle.open)
        # the manager reviews' states only where one could be overdue: a statement less on
        # most days, for the most read page of a review week
        reviews = (
            uow.assessments.headers(email, MANAGER)
            if any(_past(cycle, MANAGER, day) for cycle in open_cycles)
            else []
        )
    self_result = _leveled(ladders, latest) if latest else None
    self_cycle = latest.cycle if latest else None
    states: dict[str, dict[str, str]] = {}
    for a in (*self_history, *reviews):
        states.setdefault(a.cycle, {})[a.rater] = a.state.value
    late = {c.name: overdue_steps(c, states.get(c.name, {}), day) for c in open_cycles}
    return Growth(found, history, self_cycle, self_result, open_cycles, late)


def _past(cycle: Cycle, step: str, day: dt.date) -> bool:
    """Whether ``step`` of ``cycle`` was due before ``day``."""
    due = cycle.due.steps()[step]
    return due is not None and due < day


def _leveled(ladders: Ladders, assessment: Assessment) -> LevelResult:
    framework, policy = ladders.of(assessment.cycle)
    return level_assessment(framework, assessment, policy)
