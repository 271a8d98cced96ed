"""Coverage of team targets in one cycle: for each target of a team (and the teams below
it), how many people hold it and, for a miss, the people closest to closing it (fewest
unmet criteria of the track up to the target's level) and exactly what they lack."""

from __future__ import annotations

import heapq
from collections.abc import Sequence

from skillgrid.domain.assessments import Cycle
from skillgrid.domain.framework import Framework
from skillgrid.domain.insight import Candidate, Coverage, Target, closest_count
from skillgrid.services.org_tree import subtree
from skillgrid.services.unit_of_work import Slice, UnitOfWork


def _through(missing: str, level: int, level_of: dict[str, int]) -> tuple[str, ...]:
    """The unmet criterion ids at levels ≤ ``level``, in ladder order."""
    return tuple(cid for cid in missing.split() if level_of.get(cid, 0) <= level)


def of_targets(
    uow: UnitOfWork,
    cycle: Cycle,
    framework: Framework,
    names: Sequence[str],
    tree: dict[str | None, list[str]],
    slice_: Slice,
    targets: Sequence[Target],
) -> tuple[list[Coverage], dict[str, str]]:
    """Each target of the teams in ``names`` against its own team's people (and the teams
    below it); for a miss, the people closest to closing it and what they lack. One read of
    the targets' tracks in the cycle; the rest is counting."""
    wanted = set(names)
    mine = [t for t in targets if t.team in wanted]
    buckets = uow.insight.track_levels(cycle.name, {t.track for t in mine}, slice_)
    subtrees: dict[str, list[str]] = {}
    level_of = {c.id: c.level for c in framework.criteria}
    top = len(framework.levels)
    unmet_by_level: dict[tuple[int, str], list[int]] = {}

    def unmet(person: int, track: str, missing: str, level: int) -> int:
        """Unmet criteria of the track at levels ≤ ``level`` (each row parsed once)."""
        found = unmet_by_level.get((person, track))
        if found is None:
            found = [0] * (top + 2)
            for cid in missing.split():
                found[level_of.get(cid, 0)] += 1
            for i in range(1, top + 2):
                found[i] += found[i - 1]
            unmet_by_level[(person, track)] = found
        return found[min(level, top + 1)]

    results = []
    for target in mine:
        teams = subtrees.get(target.team) or subtrees.setdefault(
            target.team, subtree(target.team, tree)
        )
        holders: list[int] = []
        pool: list[tuple[int, int, str]] = []
        for team in teams:
            for row in buckets.get((team, target.track), ()):
                if row[0] >= target.level:
                    holders.append(row[1])
                else:
                    pool.append(row)
        below: list[tuple[int, int, int, tuple[str, ...]]] = []
        if len(holders) < target.people:
            ranked = heapq.nsmallest(
                closest_count(target.people - len(holders)),
                (
                    (unmet(person, target.track, missing, target.level), person, level, missing)
                    for level, person, missing in pool
                ),
            )
            below = [
                (count, person, level, _through(missing, target.level, level_of))
                for count, person, level, missing in ranked
            ]
        results.append((target, holders, below))
    shown = {p for t, h, _ in results if 0 < len(h) <= t.people for p in h}
    shown |= {person for _, _, below in results for _, person, _, _ in below}
    people = uow.insight.people_named(shown)
    texts = {c.id: c.text for c in framework.criteria}
    coverage: list[Coverage] = []
    criteria: dict[str, str] = {}
    for target, holders, below in results:
        named = (
            tuple(sorted(people[p][1] for p in holders))
            if 0 < len(holders) <= target.people
            else ()
        )
        closest = tuple(
            Candidate(*people[person], level, unmet, lacking)
            for unmet, person, level, lacking in below
        )
        closest = tuple(sorted(closest, key=lambda c: (c.unmet, c.name, c.email)))
        criteria.update((cid, texts.get(cid, "")) for c in closest for cid in c.lacking)
        coverage.append(Coverage(target, len(holders), named, closest))
    return coverage, criteria
