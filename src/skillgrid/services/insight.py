"""The team report: coverage against targets, level distribution, calibration of managers
and movement between cycles for a team (with the teams below it) or the whole org — read
from the stored official results, with the same privacy as everything else (a manager sees
teams made of their own reports; an admin sees the org)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from skillgrid.domain.assessments import Actor, Cycle, find_cycle
from skillgrid.domain.errors import NotFound
from skillgrid.domain.framework import Framework
from skillgrid.domain.insight import (
    Calibration,
    Coverage,
    HeadCount,
    Move,
    Spread,
    TargetError,
    flags_against,
)
from skillgrid.domain.people import Person
from skillgrid.services import org_tree
from skillgrid.services.coverage import of_targets
from skillgrid.services.frameworks import get_framework_in
from skillgrid.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class TeamCounts:
    """People per level (index = level 0..N) in a slice of the org, overall and per track."""

    name: str | None
    people: int
    overall: tuple[int, ...]
    tracks: dict[str, tuple[int, ...]]

    def mean(self, track: str | None = None) -> float | None:
        counts = self.overall if track is None else self.tracks.get(track, ())
        total = sum(counts)
        return sum(i * n for i, n in enumerate(counts)) / total if total else None


@dataclass(frozen=True)
class TeamInfo:
    name: str
    parent: str | None
    people: int  # on the team itself
    total: int  # with the teams below
    targets: int

    def to_dict(self) -> dict[str, object]:
        """The team as JSON shows it (the API, ``skillgrid team list --json``)."""
        return {
            "name": self.name,
            "parent": self.parent,
            "people": self.people,
            "people_with_subteams": self.total,
            "targets": self.targets,
        }


@dataclass(frozen=True)
class TeamReport:
    team: str | None  # None: the whole org
    cycle: Cycle | None
    previous: Cycle | None
    framework: Framework | None
    teams: tuple[str, ...]  # the team and every team below it
    cycles: tuple[Cycle, ...] = ()  # every cycle, oldest first (to pick another)
    coverage: tuple[Coverage, ...] = ()
    distribution: tuple[TeamCounts, ...] = ()  # the team (rolled up), then each team in it
    history: tuple[tuple[str, TeamCounts], ...] = ()  # overall levels per cycle of the ladder
    org_deltas: Spread = field(default_factory=lambda: Spread(0, 0.0, 0.0))
    org_levels: Spread = field(default_factory=lambda: Spread(0, 0.0, 0.0))
    calibration: tuple[Calibration, ...] = ()
    movement: tuple[Move, ...] = ()
    criteria: dict[str, str] = field(default_factory=dict)  # id → text of lacking criteria
    children: tuple[str, ...] = ()  # the teams right below (the top teams for the org)
    # team (None: the org) → (people finalized in the cycle, people who can be): what the
    # numbers rest on
    reviewed: dict[str | None, tuple[int, int]] = field(default_factory=dict)
    # the active people of the team (with the teams below) or org who have no manager: in
    # no count on purpose (no review can make their result official)
    unmanaged: tuple[Person, ...] = ()

    @property
    def based_on(self) -> tuple[int, int]:
        """(finalized, reviewable) of the report's team or org."""
        return self.reviewed.get(self.team, (0, 0))

    @property
    def head_count(self) -> HeadCount:
        """What the numbers rest on, in the words every view uses."""
        return HeadCount(*self.based_on, len(self.unmanaged))

    def heatmap(self) -> tuple[TeamCounts, ...]:
        """The team (or org) itself and each team right below it, rolled up."""
        below = set(self.children)
        return tuple(c for c in self.distribution if c.name == self.team or c.name in below)

    @property
    def levels(self) -> range:
        return range(len(self.framework.levels) + 1) if self.framework else range(0)


SECTIONS = frozenset({"coverage", "distribution", "calibration", "movement"})


def list_teams(uow: UnitOfWork, actor: Actor) -> list[TeamInfo]:
    """The teams the actor may report on, with head counts and targets."""
    with uow:
        teams = uow.people.teams()
        reach = org_tree.reach(uow, actor)
        counted = uow.insight.target_counts()
    totals = org_tree.subtree_totals(org_tree.children(teams), reach)
    return [
        TeamInfo(t.name, t.parent, reach.sizes.get(t.name, 0), total, counted.get(t.name, 0))
        for t in teams
        for total, visible in [totals.get(t.name, (0, False))]
        if visible or actor.is_admin
    ]


def team_report(
    uow: UnitOfWork,
    actor: Actor,
    team: str | None = None,
    cycle: str | None = None,
    since: str | None = None,
    sections: frozenset[str] = SECTIONS,
) -> TeamReport:
    """Coverage, distribution, calibration and movement of a team (and the teams below it)
    or, for ``team`` None, of the whole org (admins only), in a cycle (by default the newest
    with official results), with movement since ``since`` (by default the cycle before on
    the same ladder)."""
    with uow:
        teams = uow.people.teams() if team is None else uow.people.team_and_below(team)
        tree = org_tree.children(teams)
        if team is not None and not teams:
            raise NotFound(f"no team {team!r}")
        names = (
            org_tree.subtree(team, tree)
            if team is not None
            else [n for root in sorted(tree.get(None, ())) for n in org_tree.subtree(root, tree)]
        )
        slice_: list[str | None] | None = list(names) if team is not None else None
        seen = names if team is not None else None
        reach = org_tree.reach(uow, actor, seen)
        if not reach.may_see(seen):
            raise NotFound(f"no team {team!r}" if team else "the org report is for admins")
        cycles = uow.assessments.cycles()
        chosen = _choose_cycle(uow, cycles, cycle)
        if chosen is None:
            return TeamReport(team, None, None, None, tuple(names), tuple(cycles))
        framework = get_framework_in(uow, chosen.framework, chosen.version)
        same = [c for c in cycles if c.framework == chosen.framework]
        previous = _previous(same, chosen, since)
        history_cycles = [c.name for c in same[: same.index(chosen) + 1]]
        top = len(framework.levels)
        keys = [t.key for t in framework.tracks]
        rolled: dict[str | None, Counts] = {}
        if sections & {"distribution", "coverage"}:  # coverage says how many were reviewed
            # coverage needs the overall counts only; the distribution every track's too
            by = keys if "distribution" in sections else []
            counted = uow.insight.level_counts(chosen.name, slice_, tracks=bool(by))
            direct = _direct_counts(counted, by, top)
            rolled = _roll_up(direct, names, tree, by, top)
            if team is None:  # the org: everyone, people on no team too
                rolled[None] = _sum(
                    [*(rolled[n] for n in tree.get(None, ())), direct.get(None)], by, top
                )
        distribution: tuple[TeamCounts, ...] = ()
        history: tuple[tuple[str, TeamCounts], ...] = ()
        children = tuple(sorted(tree.get(team, ())))
        if team is None and len(children) == 1:  # one top team: show the units below it
            children = tuple(sorted(tree.get(children[0], ()))) or children
        if "distribution" in sections:
            distribution = tuple(
                _team_counts(name, rolled[name], keys) for name in (team, *children)
            )
            over_time = uow.insight.overall_counts(history_cycles, slice_)
            history = tuple((name, _overall(name, over_time, top)) for name in history_cycles)
        coverage: list[Coverage] = []
        criteria: dict[str, str] = {}
        if "coverage" in sections:
            targets = uow.insight.targets(chosen.framework, names if team else None)
            coverage, criteria = of_targets(uow, chosen, framework, names, tree, slice_, targets)
        unmanaged = tuple(uow.people.unmanaged(seen if team else None)) if rolled else ()
        if unmanaged:  # finalized before they lost their manager: counted, not left out
            emails = [p.email for p in unmanaged]
            official = set(uow.assessments.finalized_people(chosen.name, emails))
            can = dict(reach.reviewable)
            for person in unmanaged:
                if person.email in official:
                    can[person.team] = can.get(person.team, 0) + 1
            reach = replace(reach, reviewable=can)
            unmanaged = tuple(p for p in unmanaged if p.email not in official)
        reviewed = _reviewed(reach, rolled, names, tree, team)
        coverage = [
            replace(c, unreviewed=max(0, reviewable - finalized))
            for c in coverage
            for finalized, reviewable in [reviewed.get(c.target.team, (0, 0))]
        ]
        org_deltas = org_levels = Spread(0, 0.0, 0.0)
        calibration = []
        if "calibration" in sections:
            org = uow.insight.pooled_ratings(chosen.name)
            org_deltas, org_levels = org.report_means, org.level
            calibration = [  # a manager sees their own chain's managers only
                Calibration(m, flags_against(m, org_deltas, org_levels))
                for m in uow.insight.manager_ratings(chosen.name, slice_)
                if actor.is_admin or m.email in reach.people
            ]
        movement = []
        if "movement" in sections and previous is not None:
            movement = uow.insight.moves(previous.name, chosen.name, slice_)
    return TeamReport(
        team=team,
        cycle=chosen,
        previous=previous,
        framework=framework,
        teams=tuple(names),
        cycles=tuple(cycles),
        coverage=tuple(coverage),
        distribution=distribution,
        history=history,
        org_deltas=org_deltas,
        org_levels=org_levels,
        calibration=tuple(calibration),
        movement=tuple(sorted(movement, key=lambda m: (m.track or "", not m.up, m.name, m.email))),
        criteria=criteria,
        children=children,
        reviewed=reviewed,
        unmanaged=unmanaged,
    )


def _reviewed(
    reach: org_tree.Reach,
    rolled: dict[str | None, Counts],
    names: Sequence[str],
    tree: dict[str | None, list[str]],
    team: str | None,
) -> dict[str | None, tuple[int, int]]:
    """Team (None: the org) → (finalized, reviewable), each with the teams below it."""
    if not rolled:
        return {}
    heads: dict[str | None, int] = {}
    for name in reversed(names):  # every team before the teams below it
        heads[name] = reach.reviewable.get(name, 0) + sum(
            heads.get(c, 0) for c in tree.get(name, ())
        )
    if team is None:
        heads[None] = sum(reach.reviewable.values())
    return {name: (sum(rolled[name][None]), heads.get(name, 0)) for name in rolled}


def _choose_cycle(uow: UnitOfWork, cycles: Sequence[Cycle], name: str | None) -> Cycle | None:
    if name is not None:
        found = find_cycle(cycles, name)
        if found is None:
            raise NotFound(f"no cycle {name!r}")
        return found
    with_results = set(uow.summaries.cycles_with_results())
    finished = [c for c in cycles if c.name in with_results] or list(cycles)
    return finished[-1] if finished else None


def _previous(same: list[Cycle], chosen: Cycle, since: str | None) -> Cycle | None:
    if since is not None:
        found = find_cycle(same, since)
        if found is None:
            raise NotFound(f"no cycle {since!r} on {chosen.framework} to compare with")
        if same.index(found) >= same.index(chosen):
            raise TargetError(
                f"movement is measured from an earlier cycle: {since} is not before {chosen.name}"
            )
        return found
    index = same.index(chosen)
    return same[index - 1] if index > 0 else None


Counts = dict[str | None, list[int]]  # track (None: overall) → people per level 0..N


def _direct_counts(
    rows: Sequence[tuple[str | None, str | None, int, int]], keys: list[str], top: int
) -> dict[str | None, Counts]:
    """team → its own members' counts."""
    found: dict[str | None, Counts] = {}
    for team, track, level, n in rows:
        counts = found.get(team)
        if counts is None:
            counts = found[team] = {key: [0] * (top + 1) for key in [None, *keys]}
        row = counts.get(track)
        if row is not None and 0 <= level <= top:
            row[level] += n
    return found


def _sum(parts: Iterable[Counts | None], keys: list[str], top: int) -> Counts:
    total: Counts = {key: [0] * (top + 1) for key in [None, *keys]}
    for part in parts:
        if part:
            for key, row in part.items():
                into = total[key]
                for i, n in enumerate(row):
                    into[i] += n
    return total


def _roll_up(
    direct: dict[str | None, Counts],
    names: Sequence[str],
    tree: dict[str | None, list[str]],
    keys: list[str],
    top: int,
) -> dict[str | None, Counts]:
    """Each team's counts with the teams below it, children first (one pass)."""
    rolled: dict[str | None, Counts] = {}
    for name in reversed(names):  # names lists every team before the teams below it
        below = [rolled[child] for child in tree.get(name, ()) if child in rolled]
        rolled[name] = _sum([direct.get(name), *below], keys, top)
    return rolled


def _team_counts(name: str | None, counts: Counts, keys: list[str]) -> TeamCounts:
    overall = counts[None]
    return TeamCounts(name, sum(overall), tuple(overall), {key: tuple(counts[key]) for key in keys})


def _overall(cycle: str, rows: Sequence[tuple[str, int, int]], top: int) -> TeamCounts:
    """People per overall level in one cycle (tracks are per cycle: ask for that cycle)."""
    overall = [0] * (top + 1)
    for name, level, n in rows:
        if name == cycle and 0 <= level <= top:
            overall[level] += n
    return TeamCounts(None, sum(overall), tuple(overall), {})
