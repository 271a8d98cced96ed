"""Official results: the finalized manager assessment of a cycle, leveled by the rules, with
self and peer ratings beside it (they never feed it), and the history across cycles."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from skillgrid.domain.assessments import (
    MANAGER,
    SELF,
    Actor,
    Assessment,
    Cycle,
    Entry,
    State,
    cycle_key,
)
from skillgrid.domain.errors import NotFound
from skillgrid.domain.evidence import Evidence
from skillgrid.domain.framework import Criterion, Framework
from skillgrid.domain.insight import Summary, stored_result
from skillgrid.domain.leveling import SCALE, LevelResult, Rating, level
from skillgrid.domain.people import Person, normal_email
from skillgrid.domain.policies import Policy, PolicyError, parse_policy
from skillgrid.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class CriterionLine:
    """One criterion of the ladder with the official rating and the others beside it."""

    criterion: Criterion
    official: Entry | None
    others: Mapping[str, Entry]  # rater → entry (self, peers)
    evidence: tuple[Evidence, ...] = ()

    @property
    def differences(self) -> dict[str, str]:
        """Rater → "higher" or "lower" where their rating differs from the official one."""
        rank = {rating: i for i, rating in enumerate(SCALE)}
        official = self.official.rating if self.official else Rating.NOT_YET
        found = {}
        for rater, entry in self.others.items():
            if entry.rating == official:
                continue
            if Rating.NOT_APPLICABLE in (entry.rating, official):
                found[rater] = "n/a"  # one side says the criterion does not apply
            else:
                found[rater] = "higher" if rank[entry.rating] > rank[official] else "lower"
        return found


@dataclass(frozen=True)
class StoredResult:
    """An official result: the cycle, the ladder version it was made on and the levels,
    gaps and progress."""

    cycle: Cycle
    framework: Framework
    result: LevelResult


@dataclass(frozen=True)
class CycleResult(StoredResult):
    """An official result leveled from its ratings, with the assessment and the other
    raters' handed-over assessments beside it."""

    official: Assessment
    others: tuple[Assessment, ...]


@dataclass(frozen=True)
class PersonReport:
    """What a person's report shows for one cycle, and how they moved since the last one."""

    person: Person
    current: CycleResult
    lines: tuple[CriterionLine, ...]
    previous: StoredResult | None
    history: tuple[StoredResult, ...]

    @property
    def change(self) -> dict[str, int]:
        """Track key → level change since the previous official result (tracks in both)."""
        if self.previous is None:
            return {}
        return level_change(self.current.result, self.previous.result)


def level_change(current: LevelResult, previous: LevelResult) -> dict[str, int]:
    """Track key → how many levels a track moved between two results (tracks in both)."""
    before = previous.tracks
    return {key: now - before[key] for key, now in current.tracks.items() if key in before}


def rated_on(framework: Framework, assessment: Assessment) -> int:
    """How many criteria of ``framework`` the assessment rates: a rating kept from a criterion
    a newer version removed (a cycle moved to it) is not one of them."""
    return sum(1 for c in framework.criteria if c.uid in assessment.entries)


def level_assessment(
    framework: Framework, assessment: Assessment, policy: Policy | None = None
) -> LevelResult:
    """Level a stored assessment on the ladder version it was made on."""
    ids = {c.uid: c.id for c in framework.criteria}
    ratings = {ids[uid]: e.rating for uid, e in assessment.entries.items() if uid in ids}
    return level(framework, ratings, policy)


def person_report(
    uow: UnitOfWork,
    actor: Actor,
    person: str,
    cycle: str | None = None,
    policy: str | None = None,
) -> PersonReport:
    """A person's official result (in ``cycle``, or their latest finalized one), the other
    ratings beside it, and their history. The history is the stored results (kept by the
    writes that change them) and only the cycle shown is leveled from its ratings; under
    another ``policy`` than the ladder's, every cycle is leveled again."""
    email = normal_email(person)
    chosen = parse_policy(policy) if policy else None
    with uow:
        found, _ = visible_person(uow, actor, email)
        if cycle is not None:  # a cycle that does not exist is named so, not as unfinalized
            from skillgrid.services.cycles import get_cycle_in

            get_cycle_in(uow, cycle)
        ladders = Ladders(uow)
        if chosen is None:
            history = stored_history(ladders, email)
            shown = _shown(email, [item.cycle.name for item in history], cycle)
            current = _history(ladders, uow.assessments.for_person(email, shown), None)
        else:
            current = _history(ladders, uow.assessments.for_person(email), chosen)
            history = tuple(StoredResult(r.cycle, r.framework, r.result) for r in current)
            shown = _shown(email, [item.cycle.name for item in history], cycle)
        evidence = uow.evidence.for_person(email)
    index = [item.cycle.name for item in history].index(shown)
    this = next((r for r in current if r.cycle.name == shown), None)
    if this is None:  # a stored result whose assessment is no longer finalized
        raise NotFound(f"{email} has no finalized manager assessment in {shown}")
    previous = history[index - 1] if index > 0 else None
    return PersonReport(found, this, tuple(_lines(this, evidence)), previous, history)


def _shown(email: str, cycles: list[str], cycle: str | None) -> str:
    """The cycle the report shows: the one asked for, or the latest with a result."""
    if not cycles:
        raise NotFound(f"{email} has no finalized manager assessment yet")
    cycle = cycle_key(cycle) if cycle is not None else None
    if cycle is not None and cycle not in cycles:
        raise NotFound(f"{email} has no finalized manager assessment in {cycle}")
    return cycle if cycle is not None else cycles[-1]


def stored_history(ladders: Ladders, email: str) -> tuple[StoredResult, ...]:
    """A person's official results as stored, oldest first (inside the open unit of work
    of ``ladders``)."""
    return tuple(
        StoredResult(ladders.cycle(name), *ladders.stored(name, summary))
        for name, summary in ladders.uow.summaries.of_person(email)
    )


class Ladders:
    """The cycles, and the ladder versions and policies they are on, each read once inside
    an open unit of work."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        found = uow.frameworks.of_cycles()
        self.cycles = {cycle.name: cycle for cycle, _, _ in found}
        self.ladders = {cycle.name: (ladder, policy) for cycle, ladder, policy in found}

    def cycle(self, name: str) -> Cycle:
        return self.cycles[name]

    def of(self, name: str) -> tuple[Framework, Policy]:
        """The ladder version a cycle is on, and the ladder's policy."""
        return self.ladders[name]

    def stored(self, name: str, summary: Summary) -> tuple[Framework, LevelResult]:
        framework, policy = self.of(name)
        return framework, stored_result(framework, summary, policy)


def visible_person(uow: UnitOfWork, actor: Actor, email: str) -> tuple[Person, list[str]]:
    """The person and their managers (nearest first), if ``actor`` may see them (inside an
    open unit of work); NotFound otherwise (nothing says the person exists)."""
    from skillgrid.services.permissions import may_view

    found, above = uow.people.with_chain(email)
    if found is None or not may_view(actor, email, above):
        raise NotFound(f"no person {email}")
    return found, above


def _history(
    ladders: Ladders, assessments: list[Assessment], policy: Policy | None
) -> list[CycleResult]:
    """Each cycle (oldest first) in which one of ``assessments`` is the finalized manager
    assessment, leveled by ``policy`` or, when None, by its ladder's."""
    by_cycle: dict[str, list[Assessment]] = {}
    for assessment in assessments:
        by_cycle.setdefault(assessment.cycle, []).append(assessment)
    results = []
    for cycle in ladders.cycles.values():
        assessments = by_cycle.get(cycle.name, [])
        official = next(
            (a for a in assessments if a.rater == MANAGER and a.state is State.FINALIZED), None
        )
        if official is None:
            continue
        framework, ladder_policy = ladders.of(cycle.name)
        others = tuple(  # drafts are their authors' own: only handed-over ratings show
            a for a in assessments if a.rater != MANAGER and a.state is not State.DRAFT
        )
        rule = policy or ladder_policy
        try:
            result = level_assessment(framework, official, rule)
        except PolicyError as error:
            raise PolicyError(
                f"cycle {cycle.name} is on {cycle.framework} v{cycle.version} "
                f"({len(framework.levels)} levels, {len(framework.tracks)} tracks): {error}; "
                "report with --policy, or set the ladder's points tables for this shape"
            ) from None
        results.append(CycleResult(cycle, framework, result, official, others))
    return results


def _lines(result: CycleResult, evidence: list[Evidence]) -> list[CriterionLine]:
    lines = []
    for criterion in result.framework.criteria:
        uid = criterion.uid or ""
        others = {a.rater: a.entries[uid] for a in result.others if uid in a.entries}
        ordered = dict(sorted(others.items(), key=lambda item: (item[0] != SELF, item[0])))
        linked = tuple(item for item in evidence if uid in item.criteria)
        lines.append(CriterionLine(criterion, result.official.entries.get(uid), ordered, linked))
    return lines
