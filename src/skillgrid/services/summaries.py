"""Stored official results: one summary per person and cycle, written in the same
transaction as each finalize (and each change that can alter it), so team and org reports
read summaries instead of millions of ratings; rebuilt and checked from the ratings on
demand."""

from __future__ import annotations

from collections.abc import Iterable

from skillgrid.domain.assessments import MANAGER, SELF, Assessment, Cycle, State
from skillgrid.domain.framework import Framework
from skillgrid.domain.insight import Summary, summarize
from skillgrid.domain.policies import Policy
from skillgrid.services.frameworks import get_framework_in
from skillgrid.services.unit_of_work import UnitOfWork


def summary_of(
    framework: Framework, policy: Policy, official: Assessment, mine: Assessment | None
) -> Summary:
    """The summary of an official (finalized manager) assessment, with the person's handed
    over self-assessment beside it for calibration."""
    from skillgrid.services.results import level_assessment

    result = level_assessment(framework, official, policy)
    official_ratings = {uid: e.rating for uid, e in official.entries.items()}
    self_ratings = {uid: e.rating for uid, e in mine.entries.items()} if mine else None
    return summarize(framework, result, official_ratings, self_ratings)


def refresh_summary(
    uow: UnitOfWork, person: str, cycle: Cycle, *, new_manager: bool = True
) -> None:
    """Bring the stored summary of ``person`` in ``cycle`` in step with their assessments,
    inside the caller's transaction: stored while a finalized manager assessment exists,
    removed otherwise. The manager recorded is the person's manager now on a finalize
    (``new_manager``); any other change keeps the one the result was stored under."""
    assessments = uow.assessments.for_person(person, cycle.name)
    official, mine = _official_and_self(assessments)
    if official is None:
        uow.summaries.delete_summary(person, cycle.name)
        return
    framework = get_framework_in(uow, cycle.framework, cycle.version)
    summary = summary_of(framework, uow.frameworks.policy(cycle.framework), official, mine)
    kept = None if new_manager else uow.summaries.stored_manager(person, cycle.name)
    if kept is None:
        found = uow.people.get(person)
        manager = found.manager if found else None
    else:
        manager = kept[0]
    uow.summaries.save_summary(person, cycle.name, summary, manager)


def _official_and_self(
    assessments: Iterable[Assessment],
) -> tuple[Assessment | None, Assessment | None]:
    official = mine = None
    for a in assessments:
        if a.rater == MANAGER and a.state is State.FINALIZED:
            official = a
        elif a.rater == SELF and a.state is not State.DRAFT:
            mine = a
    return official, mine


def rebuild_summaries(uow: UnitOfWork, framework: str | None = None) -> int:
    """Recompute every stored summary (of one ladder's cycles, or all) from the ratings, in
    one transaction; the manager each was stored under is kept. Returns how many."""
    with uow.write():
        done = rebuild_in(uow, framework)
        uow.commit()
    return done


def rebuild_in(uow: UnitOfWork, framework: str | None = None) -> int:
    """:func:`rebuild_summaries` inside the caller's transaction (a policy change, say)."""
    cycles = [c for c in uow.assessments.cycles() if framework in (None, c.framework)]
    before = uow.summaries.stored_managers()
    uow.summaries.delete_summaries([c.name for c in cycles])
    managers = {email: boss for email, _, boss in uow.people.directory()}
    done = 0
    for cycle in cycles:
        rows = []
        for (person, name), summary in _recomputed(uow, cycle):
            manager = before[(person, name)] if (person, name) in before else managers.get(person)
            rows.append((person, summary, manager))
            if len(rows) == 500:
                uow.summaries.save_summaries(cycle.name, rows)
                done += len(rows)
                rows = []
        uow.summaries.save_summaries(cycle.name, rows)
        done += len(rows)
    return done


def check_summaries(uow: UnitOfWork) -> list[str]:
    """Where stored summaries differ from a recomputation (empty: all consistent); reads the
    ratings 500 people at a time, all at one moment (the app may be writing meanwhile)."""
    with uow.snapshot():
        stored = {key: summary for key, (summary, _) in uow.summaries.summaries().items()}
        expected: set[tuple[str, str]] = set()
        problems = []
        for cycle in uow.assessments.cycles():
            for key, summary in _recomputed(uow, cycle):
                expected.add(key)
                if key not in stored:
                    problems.append(f"{key[0]} in {key[1]}: missing")
                elif stored[key] != summary:
                    problems.append(f"{key[0]} in {key[1]}: differs")
        problems += [f"{p} in {c}: stale" for p, c in sorted(stored.keys() - expected)]
        problems += [f"{p} in {c}: on another team" for p, c in uow.summaries.team_drift()]
    return problems


def _recomputed(uow: UnitOfWork, cycle: Cycle) -> Iterable[tuple[tuple[str, str], Summary]]:
    """(person, cycle) and the summary of each official result in a cycle, from ratings."""
    ladder = get_framework_in(uow, cycle.framework, cycle.version)
    policy = uow.frameworks.policy(cycle.framework)
    people = uow.assessments.finalized_people(cycle.name)
    for start in range(0, len(people), 500):
        chunk = people[start : start + 500]
        by_person: dict[str, list[Assessment]] = {}
        for a in uow.assessments.in_cycle(cycle.name, chunk):
            by_person.setdefault(a.person, []).append(a)
        for person in chunk:
            official, mine = _official_and_self(by_person.get(person, []))
            assert official is not None
            yield (person, cycle.name), summary_of(ladder, policy, official, mine)
