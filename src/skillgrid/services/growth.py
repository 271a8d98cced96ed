"""A person's growth page: their official levels across cycles, read from the stored
results (one per person and cycle, kept by the writes that change them), and their latest
self-assessment leveled by the same rules."""

from __future__ import annotations

from dataclasses import dataclass

from skillgrid.domain.assessments import SELF, Actor, Cycle
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
        readable = [
            a
            for a in uow.assessments.headers(email, SELF)
            if may_read(actor, a, found.manager, above)
        ]
        self_cycle = readable[-1].cycle if readable else None
        self_result = _leveled_self(uow, ladders, email, self_cycle) if self_cycle else None
    open_cycles = tuple(cycle for cycle in ladders.cycles.values() if cycle.open)
    return Growth(found, history, self_cycle, self_result, open_cycles)


def _leveled_self(uow: UnitOfWork, ladders: Ladders, email: str, cycle: str) -> LevelResult | None:
    assessment = uow.assessments.get(email, cycle, SELF)
    if assessment is None:
        return None
    framework, policy = ladders.of(cycle)
    return level_assessment(framework, assessment, policy)
