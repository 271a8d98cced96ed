"""A person's growth page: their official levels across cycles, read from the stored
results (one per person and cycle, kept by the writes that change them), and their latest
self-assessment leveled by the same rules."""

from __future__ import annotations

from dataclasses import dataclass

from skillgrid.domain.assessments import SELF, Actor, Cycle, may_read
from skillgrid.domain.framework import Framework
from skillgrid.domain.insight import Summary, stored_result
from skillgrid.domain.leveling import LevelResult
from skillgrid.domain.people import Person, normal_email
from skillgrid.domain.policies import Policy
from skillgrid.services.frameworks import get_framework_in
from skillgrid.services.results import level_assessment, level_change, visible_person
from skillgrid.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class StoredResult:
    """An official result as stored: the cycle, the ladder version it was made on and the
    levels, gaps and progress."""

    cycle: Cycle
    framework: Framework
    result: LevelResult


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
        ladders = _Ladders(uow, {cycle.name: cycle for cycle in uow.assessments.cycles()})
        history = tuple(ladders.stored(name, s) for name, s in uow.summaries.of_person(email))
        readable = [
            a
            for a in uow.assessments.headers(email, SELF)
            if may_read(actor, a, found.manager, above)
        ]
        self_cycle = readable[-1].cycle if readable else None
        self_result = ladders.leveled_self(email, self_cycle) if self_cycle else None
    open_cycles = tuple(cycle for cycle in ladders.cycles.values() if cycle.open)
    return Growth(found, history, self_cycle, self_result, open_cycles)


class _Ladders:
    """The ladder versions and policies of the cycles a page shows, each read once."""

    def __init__(self, uow: UnitOfWork, cycles: dict[str, Cycle]) -> None:
        self.uow, self.cycles = uow, cycles
        self.policies: dict[str, Policy] = {}
        self.versions: dict[tuple[str, int | None], Framework] = {}

    def of(self, cycle: Cycle) -> tuple[Framework, Policy]:
        name, version = cycle.framework, cycle.version
        if name not in self.policies:
            self.policies[name] = self.uow.frameworks.policy(name)
        if (name, version) not in self.versions:
            self.versions[name, version] = get_framework_in(self.uow, name, version)
        return self.versions[name, version], self.policies[name]

    def stored(self, name: str, summary: Summary) -> StoredResult:
        cycle = self.cycles[name]
        framework, policy = self.of(cycle)
        return StoredResult(cycle, framework, stored_result(framework, summary, policy))

    def leveled_self(self, email: str, name: str) -> LevelResult | None:
        assessment = self.uow.assessments.get(email, name, SELF)
        if assessment is None:
            return None
        framework, policy = self.of(self.cycles[name])
        return level_assessment(framework, assessment, policy)
