"""Official results: the finalized manager assessment of a cycle, leveled by the rules, with
self and peer ratings beside it (they never feed it), and the history across cycles."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from skillgrid.domain.assessments import MANAGER, SELF, Actor, Assessment, Cycle, Entry, State
from skillgrid.domain.errors import NotFound
from skillgrid.domain.evidence import Evidence
from skillgrid.domain.framework import Criterion, Framework
from skillgrid.domain.leveling import SCALE, LevelResult, Rating, level
from skillgrid.domain.people import Person, normal_email
from skillgrid.domain.policies import Policy, PolicyError, parse_policy
from skillgrid.services.frameworks import get_framework_in
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
class CycleResult:
    cycle: Cycle
    framework: Framework
    result: LevelResult
    official: Assessment
    others: tuple[Assessment, ...]


@dataclass(frozen=True)
class PersonReport:
    """What a person's report shows for one cycle, and how they moved since the last one."""

    person: Person
    current: CycleResult
    lines: tuple[CriterionLine, ...]
    previous: CycleResult | None
    history: tuple[CycleResult, ...]

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
    ratings beside it, and their history."""
    email = normal_email(person)
    chosen = parse_policy(policy) if policy else None
    with uow:
        found, _ = visible_person(uow, actor, email)
        history = _history(uow, uow.assessments.for_person(email), chosen)
        evidence = uow.evidence.for_person(email) if history else []
    return _report(found, history, evidence, cycle)


def visible_person(uow: UnitOfWork, actor: Actor, email: str) -> tuple[Person, list[str]]:
    """The person and their managers (nearest first), if ``actor`` may see them (inside an
    open unit of work); NotFound otherwise (nothing says the person exists)."""
    from skillgrid.domain.assessments import may_view

    found = uow.people.get(email)
    above = uow.people.chain_above(email) if found is not None else []
    if found is None or not may_view(actor, email, above):
        raise NotFound(f"no person {email}")
    return found, above


def _report(
    person: Person, history: list[CycleResult], evidence: list[Evidence], cycle: str | None
) -> PersonReport:
    email = person.email
    if not history:
        raise NotFound(f"{email} has no finalized manager assessment yet")
    index = len(history) - 1
    if cycle is not None:
        names = [item.cycle.name for item in history]
        if cycle not in names:
            raise NotFound(f"{email} has no finalized manager assessment in {cycle}")
        index = names.index(cycle)
    current = history[index]
    return PersonReport(
        person,
        current,
        tuple(_lines(current, evidence)),
        history[index - 1] if index > 0 else None,
        tuple(history),
    )


def _history(
    uow: UnitOfWork, assessments: list[Assessment], policy: Policy | None
) -> list[CycleResult]:
    by_cycle: dict[str, list[Assessment]] = {}
    for assessment in assessments:
        by_cycle.setdefault(assessment.cycle, []).append(assessment)
    results = []
    for cycle in uow.assessments.cycles():
        assessments = by_cycle.get(cycle.name, [])
        official = next(
            (a for a in assessments if a.rater == MANAGER and a.state is State.FINALIZED), None
        )
        if official is None:
            continue
        framework = get_framework_in(uow, cycle.framework, cycle.version)
        others = tuple(  # drafts are their authors' own: only handed-over ratings show
            a for a in assessments if a.rater != MANAGER and a.state is not State.DRAFT
        )
        rule = policy or uow.frameworks.policy(cycle.framework)
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
