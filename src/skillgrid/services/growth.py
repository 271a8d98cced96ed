"""A person's growth page: their official levels across cycles, read from the stored
results (one per person and cycle, kept by the writes that change them), and their latest
self-assessment leveled by the same rules."""

from __future__ import annotations

from dataclasses import dataclass

from skillgrid.domain.assessments import SELF, Actor, Assessment, Cycle
from skillgrid.domain.leveling import LevelResult
from skillgrid.domain.people import Person, normal_email
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
    open now."""

    person: Person
    history: tuple[StoredResult, ...]
    self_cycle: str | None
    self_result: LevelResult | None
    open_cycles: tuple[Cycle, ...]

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


def growth(uow: UnitOfWork, actor: Actor, person: str) -> Growth:
    """The data of a person's growth page, read in one unit of work, with the same privacy
    as their report (NotFound for a person the actor may not see)."""
    email = normal_email(person)
    with uow:
        found, above = visible_person(uow, actor, email)
        ladders = Ladders(uow)
        history = stored_history(ladders, email)
        self_history = uow.assessments.history(email, SELF)
        readable = [a for a in self_history if may_read(actor, a, found.manager, above)]
        latest = readable[-1] if readable else None
        if latest is not None and latest is not self_history[-1]:  # read without ratings
            latest = uow.assessments.get(email, latest.cycle, SELF)
    self_result = _leveled(ladders, latest) if latest else None
    open_cycles = tuple(cycle for cycle in ladders.cycles.values() if cycle.open)
    self_cycle = latest.cycle if latest else None
    return Growth(found, history, self_cycle, self_result, open_cycles)


def _leveled(ladders: Ladders, assessment: Assessment) -> LevelResult:
    framework, policy = ladders.of(assessment.cycle)
    return level_assessment(framework, assessment, policy)
