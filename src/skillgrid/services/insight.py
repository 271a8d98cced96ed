"""Team and org insight: stored official results (kept in step with every finalize), team
targets, and the team report — coverage against targets, level distribution, calibration of
managers and movement between cycles — read from the summaries, with the same privacy as
everything else (a manager sees teams made of their own reports; an admin sees the org)."""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from skillgrid.domain.assessments import MANAGER, OPERATOR, SELF, Actor, Assessment, Cycle, State
from skillgrid.domain.errors import NotFound
from skillgrid.domain.framework import Framework
from skillgrid.domain.insight import (
    Calibration,
    Candidate,
    Coverage,
    Move,
    Spread,
    Summary,
    Target,
    TargetError,
    check_target,
    closest_count,
    flags_against,
    org_spreads,
    summarize,
)
from skillgrid.domain.people import Team, reports_below
from skillgrid.domain.policies import Policy
from skillgrid.services.audit import record_change
from skillgrid.services.frameworks import get_framework_in
from skillgrid.services.unit_of_work import Slice, UnitOfWork

# summaries ------------------------------------------------------------------------------


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
        uow.insight.delete_summary(person, cycle.name)
        return
    framework = get_framework_in(uow, cycle.framework, cycle.version)
    summary = summary_of(framework, uow.frameworks.policy(cycle.framework), official, mine)
    kept = None if new_manager else uow.insight.stored_manager(person, cycle.name)
    if kept is None:
        found = uow.people.get(person)
        manager = found.manager if found else None
    else:
        manager = kept[0]
    uow.insight.save_summary(person, cycle.name, summary, manager)


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


def rebuild_summaries(
    uow: UnitOfWork,
    framework: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Recompute every stored summary (of one ladder's cycles, or all) from the ratings, in
    one transaction; the manager each was stored under is kept. Returns how many."""
    with uow:
        done = rebuild_in(uow, framework, progress)
        uow.commit()
    return done


def rebuild_in(
    uow: UnitOfWork,
    framework: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """:func:`rebuild_summaries` inside the caller's transaction (a policy change, say)."""
    cycles = [c for c in uow.assessments.cycles() if framework in (None, c.framework)]
    before = uow.insight.stored_managers()
    uow.insight.delete_summaries([c.name for c in cycles])
    managers = {email: boss for email, _, boss in uow.people.directory()}
    done = 0
    for cycle in cycles:
        rows = []
        for (person, name), summary in _recomputed(uow, cycle):
            manager = before[(person, name)] if (person, name) in before else managers.get(person)
            rows.append((person, summary, manager))
            if len(rows) == 500:
                uow.insight.save_summaries(cycle.name, rows)
                done += len(rows)
                rows = []
                if progress:
                    progress(done)
        uow.insight.save_summaries(cycle.name, rows)
        done += len(rows)
    return done


def check_summaries(uow: UnitOfWork) -> list[str]:
    """Where stored summaries differ from a recomputation (empty: all consistent); reads the
    ratings 500 people at a time."""
    with uow:
        stored = {key: summary for key, (summary, _) in uow.insight.summaries().items()}
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
        problems += [f"{p} in {c}: on another team" for p, c in uow.insight.team_drift()]
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


# targets --------------------------------------------------------------------------------


def set_target(uow: UnitOfWork, target: Target, *, actor: Actor = OPERATOR) -> Target:
    """Add or change a team's target on a ladder (one per team, ladder and track)."""
    with uow:
        checked = _checked(uow, target)
        before = _stored_target(uow, checked)
        uow.insight.set_target(checked)
        _record_target(uow, actor, "set", checked, before, checked)
        uow.commit()
    return checked


def remove_target(
    uow: UnitOfWork, team: str, framework: str, track: str, *, actor: Actor = OPERATOR
) -> None:
    """Remove a team's target; the track by key or name, or as stored (a newer version of
    the ladder may have dropped the track)."""
    with uow:
        stored = [t for t in uow.insight.targets(framework) if t.team == team]
        as_stored = next((t for t in stored if t.track.lower() == track.strip().lower()), None)
        checked = as_stored or _checked(uow, Target(team, framework, track, 1, 1))
        before = _stored_target(uow, checked)
        if not uow.insight.remove_target(team, checked.framework, checked.track):
            raise NotFound(f"{team} has no target on {checked.framework} {checked.track}")
        _record_target(uow, actor, "remove", checked, before, None)
        uow.commit()


def _stored_target(uow: UnitOfWork, target: Target) -> Target | None:
    return next(
        (
            t
            for t in uow.insight.targets(target.framework)
            if (t.team, t.track) == (target.team, target.track)
        ),
        None,
    )


def _record_target(
    uow: UnitOfWork,
    actor: Actor,
    action: str,
    target: Target,
    before: Target | None,
    after: Target | None,
) -> None:
    """A target in the audit trail: ``framework/team/track``, its level and head count."""

    def fields(t: Target | None) -> dict[str, Any]:
        return {"level": t.level, "people": t.people} if t else {}

    key = f"{target.framework}/{target.team}/{target.track}"
    record_change(uow, actor, action, "target", key, fields(before), fields(after))


def list_targets(
    uow: UnitOfWork, framework: str | None = None, *, actor: Actor = OPERATOR
) -> list[Target]:
    """Targets of the teams the actor may report on (every team for an admin)."""
    with uow:
        targets = uow.insight.targets(framework)
    if actor.is_admin:
        return targets
    visible = {t.name for t in list_teams(uow, actor)}
    return [t for t in targets if t.team in visible]


def import_targets(
    uow: UnitOfWork, data: bytes, source: str, *, actor: Actor = OPERATOR
) -> list[Target]:
    """Make a ladder's targets exactly those of a YAML file (see docs/concepts.md)."""
    from skillgrid.importers.targets import read_targets

    name, targets = read_targets(data, source)
    with uow:
        ladder = get_framework_in(uow, name, None)
        teams = {t.name for t in uow.people.teams()}
        checked = []
        problems = []
        first: dict[tuple[str, str], int] = {}
        for index, target in enumerate(targets, 1):
            try:
                if target.team not in teams:
                    raise TargetError(f"no team {target.team!r}; add it first (skillgrid team add)")
                found = check_target(target, ladder)
            except TargetError as error:
                problems.append(f"{source}: target {index}: {error}")
                continue
            key = (found.team, found.track)
            if key in first:  # a track's key and its name are the same track
                problems.append(
                    f"{source}: target {index}: {found.team} {found.track} is already set by "
                    f"target {first[key]}; keep one target per team and track"
                )
                continue
            first[key] = index
            checked.append(found)
        if problems:
            raise TargetError("\n".join(problems) + "\nnothing was stored")
        stored = {(t.team, t.track): t for t in uow.insight.targets(name)}
        for old in stored.values():
            uow.insight.remove_target(old.team, old.framework, old.track)
        for target in checked:
            uow.insight.set_target(target)
        kept = {(t.team, t.track): t for t in checked}
        for key in dict.fromkeys([*stored, *kept]):
            target = kept.get(key) or stored[key]
            action = "import" if key in kept else "remove"
            _record_target(uow, actor, action, target, stored.get(key), kept.get(key))
        uow.commit()
    return checked


def export_targets(uow: UnitOfWork, framework: str) -> str:
    """A ladder's targets as the YAML file :func:`import_targets` reads."""
    from skillgrid.importers.targets import write_targets

    with uow:
        get_framework_in(uow, framework, None)
        return write_targets(framework, uow.insight.targets(framework))


def _checked(uow: UnitOfWork, target: Target) -> Target:
    if target.team not in {t.name for t in uow.people.teams()}:
        raise NotFound(f"no team {target.team!r}")
    return check_target(target, get_framework_in(uow, target.framework, None))


# the team report ------------------------------------------------------------------------


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


@dataclass(frozen=True)
class TeamReport:
    team: str | None  # None: the whole org
    cycle: Cycle | None
    previous: Cycle | None
    framework: Framework | None
    teams: tuple[str, ...]  # the team and every team below it
    coverage: tuple[Coverage, ...] = ()
    distribution: tuple[TeamCounts, ...] = ()  # the team (rolled up), then each team in it
    history: tuple[tuple[str, TeamCounts], ...] = ()  # overall levels per cycle of the ladder
    org_deltas: Spread = field(default_factory=lambda: Spread(0, 0.0, 0.0))
    org_levels: Spread = field(default_factory=lambda: Spread(0, 0.0, 0.0))
    calibration: tuple[Calibration, ...] = ()
    movement: tuple[Move, ...] = ()
    criteria: dict[str, str] = field(default_factory=dict)  # id → text of lacking criteria
    children: tuple[str, ...] = ()  # the teams right below (the top teams for the org)

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
        people = uow.people.directory()
        targets = uow.insight.targets()
    tree = _children(teams)
    direct: dict[str | None, int] = {}
    for _, team, _ in people:
        direct[team] = direct.get(team, 0) + 1
    counted: dict[str, int] = {}
    for target in targets:
        counted[target.team] = counted.get(target.team, 0) + 1
    members = _members(people)
    below = _below(actor, people)
    found = []
    for t in teams:
        subtree = _subtree(t.name, tree)
        if _may_see(actor, subtree, members, below):
            total = sum(direct.get(n, 0) for n in subtree)
            found.append(
                TeamInfo(t.name, t.parent, direct.get(t.name, 0), total, counted.get(t.name, 0))
            )
    return found


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
        teams = uow.people.teams()
        people = uow.people.directory() if not actor.is_admin else []
        tree = _children(teams)
        if team is not None and team not in {t.name for t in teams}:
            raise NotFound(f"no team {team!r}")
        names = (
            _subtree(team, tree)
            if team is not None
            else [n for root in sorted(tree.get(None, ())) for n in _subtree(root, tree)]
        )
        slice_: list[str | None] | None = list(names) if team is not None else None
        seen = names if team is not None else None
        if not _may_see(actor, seen, _members(people), _below(actor, people)):
            raise NotFound(f"no team {team!r}" if team else "the org report is for admins")
        cycles = uow.assessments.cycles()
        chosen = _choose_cycle(uow, cycles, cycle)
        if chosen is None:
            return TeamReport(team, None, None, None, tuple(names))
        framework = get_framework_in(uow, chosen.framework, chosen.version)
        same = [c for c in cycles if c.framework == chosen.framework]
        previous = _previous(same, chosen, since)
        history_cycles = [c.name for c in same[: same.index(chosen) + 1]]
        top = len(framework.levels)
        keys = [t.key for t in framework.tracks]
        rolled: dict[str | None, Counts] = {}
        if "distribution" in sections:
            direct = _direct_counts(uow.insight.level_counts(chosen.name), keys, top)
            rolled = _roll_up(direct, names, tree, keys, top)
            if team is None:  # the org: everyone, people on no team too
                rolled[None] = _sum(
                    [*(rolled[n] for n in tree.get(None, ())), direct.get(None)], keys, top
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
            targets = uow.insight.targets(chosen.framework)
            coverage, criteria = _coverage(uow, chosen, framework, names, tree, slice_, targets)
        org_deltas = org_levels = Spread(0, 0.0, 0.0)
        calibration = []
        if "calibration" in sections:
            org_deltas, org_levels = org_spreads(uow.insight.manager_ratings(chosen.name, None))
            below = _below(actor, people)  # a manager sees their own chain's managers only
            calibration = [
                Calibration(m, flags_against(m, org_deltas, org_levels))
                for m in uow.insight.manager_ratings(chosen.name, slice_)
                if actor.is_admin or m.email in below
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
        coverage=tuple(coverage),
        distribution=distribution,
        history=history,
        org_deltas=org_deltas,
        org_levels=org_levels,
        calibration=tuple(calibration),
        movement=tuple(sorted(movement, key=lambda m: (m.track or "", not m.up, m.name))),
        criteria=criteria,
        children=children,
    )


def _choose_cycle(uow: UnitOfWork, cycles: Sequence[Cycle], name: str | None) -> Cycle | None:
    if name is not None:
        found = next((c for c in cycles if c.name == name), None)
        if found is None:
            raise NotFound(f"no cycle {name!r}")
        return found
    with_results = set(uow.insight.cycles_with_results())
    finished = [c for c in cycles if c.name in with_results] or list(cycles)
    return finished[-1] if finished else None


def _previous(same: list[Cycle], chosen: Cycle, since: str | None) -> Cycle | None:
    if since is not None:
        found = next((c for c in same if c.name == since), None)
        if found is None:
            raise NotFound(f"no cycle {since!r} on {chosen.framework} to compare with")
        if same.index(found) >= same.index(chosen):
            raise TargetError(
                f"movement is measured from an earlier cycle: {since} is not before {chosen.name}"
            )
        return found
    index = same.index(chosen)
    return same[index - 1] if index > 0 else None


def _children(teams: Sequence[Team]) -> dict[str | None, list[str]]:
    tree: dict[str | None, list[str]] = {}
    for t in teams:
        tree.setdefault(t.parent, []).append(t.name)
    return tree


def _subtree(team: str | None, tree: dict[str | None, list[str]]) -> list[str]:
    """The team and every team below it, each team before the teams below it."""
    if team is None:
        return []
    found, seen, queue = [], {team}, deque([team])
    while queue:
        name = queue.popleft()
        found.append(name)
        for child in sorted(tree.get(name, ())):
            if child not in seen:
                seen.add(child)
                queue.append(child)
    return found


def _members(people: Sequence[tuple[str, str | None, str | None]]) -> dict[str | None, list[str]]:
    found: dict[str | None, list[str]] = {}
    for email, team, _ in people:
        found.setdefault(team, []).append(email)
    return found


def _below(actor: Actor, people: Sequence[tuple[str, str | None, str | None]]) -> set[str]:
    if actor.is_admin or actor.email is None:
        return set()
    return reports_below(actor.email, {email: boss for email, _, boss in people}) | {actor.email}


def _may_see(
    actor: Actor,
    teams: Sequence[str] | None,
    members: dict[str | None, list[str]],
    below: set[str],
) -> bool:
    """Admins see every team and the org; anyone else a team whose people are all themselves
    or below them in the management chain (and that has people)."""
    if actor.is_admin:
        return True
    if teams is None:
        return False
    people = [email for team in teams for email in members.get(team, ())]
    return bool(people) and all(email in below for email in people)


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


def _through(missing: str, level: int, level_of: dict[str, int]) -> tuple[str, ...]:
    """The unmet criterion ids at levels ≤ ``level``, in ladder order."""
    return tuple(cid for cid in missing.split() if level_of.get(cid, 0) <= level)


def _coverage(
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
            target.team, _subtree(target.team, tree)
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
