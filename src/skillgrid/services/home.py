"""Each person's home: what waits on them in the open cycles (their self-assessment, with
its due date; evidence not linked to any criterion), the reviews their direct reports wait
for, and, for an admin, how far each team has got in a cycle."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from skillgrid.domain.assessments import MANAGER, SELF, Actor, Cycle, find_cycle
from skillgrid.domain.errors import NotFound
from skillgrid.domain.people import Person
from skillgrid.domain.reminders import STAGES, overdue_steps, stage, waits_for_manager
from skillgrid.formulas import escape_row
from skillgrid.services.outbox import today_utc
from skillgrid.services.permissions import require_admin
from skillgrid.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Review:
    """A direct report's assessments in an open cycle, as their manager sees them."""

    cycle: Cycle
    person: Person
    states: Mapping[str, str]
    late: frozenset[str] = frozenset()  # the steps of this review past their due date

    @property
    def waiting(self) -> bool:
        """Their self-assessment is submitted and waits for the manager's review."""
        return waits_for_manager(self.states)


@dataclass(frozen=True)
class Progress:
    """How far each team has got in a cycle: team → stage → people (active ones)."""

    cycle: Cycle
    teams: tuple[tuple[str, Mapping[str, int]], ...]

    @property
    def totals(self) -> Mapping[str, int]:
        found: Counter[str] = Counter()
        for _, counts in self.teams:
            found.update(counts)
        return {name: found[name] for name in STAGES}

    def csv(self) -> str:
        """One row a team: its people at each stage, and all of them."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["team", *STAGES, "people"])
        for team, counts in self.teams:
            row = [team, *(counts.get(name, 0) for name in STAGES), sum(counts.values())]
            writer.writerow(escape_row(row))
        return out.getvalue()


@dataclass(frozen=True)
class Home:
    """``own``: each open cycle with the state of the person's self-assessment (None: not
    begun) and its overdue steps (``self`` or none); ``reviews``: the direct reports in the
    open cycles, those waiting first; ``unlinked``: the person's evidence items linked to no
    criterion; ``progress``: for an admin, the newest open cycle team by team."""

    person: Person | None
    own: tuple[tuple[Cycle, str | None, frozenset[str]], ...]
    reviews: tuple[Review, ...]
    unlinked: int
    progress: Progress | None

    @property
    def waiting(self) -> int:
        return sum(review.waiting for review in self.reviews)

    @property
    def overdue(self) -> int:
        """The reviews the manager owes past their due date."""
        return sum(MANAGER in review.late for review in self.reviews)


def home(uow: UnitOfWork, actor: Actor, today: dt.date | None = None) -> Home:
    """What waits on the actor, read in one unit of work (a few statements, whatever the
    size of the organisation; an admin's progress reads every active person once), with
    what is overdue on ``today`` (by default the reminders' day, UTC)."""
    me, day = actor.email or "", today or today_utc()
    with uow:
        cycles = [cycle for cycle in uow.assessments.cycles() if cycle.open]
        person = uow.people.get(me) if me else None
        if person is None or not person.active:
            own: tuple[tuple[Cycle, str | None, frozenset[str]], ...] = ()
            reviews: list[Review] = []
            unlinked = 0
        else:
            mine = {a.cycle: a.state.value for a in uow.assessments.headers(me, SELF)}
            own = tuple(
                (cycle, state, overdue_steps(cycle, {SELF: state} if state else {}, day) & {SELF})
                for cycle in cycles
                for state in [mine.get(cycle.name)]
            )
            reports = [p for p in uow.people.below(me) if p.manager == me and p.active]
            reviews = [
                Review(cycle, report, theirs, overdue_steps(cycle, theirs, day))
                for cycle in (cycles if reports else [])
                for states in [uow.assessments.states(cycle.name, me)]
                for report in reports
                for theirs in [states.get(report.email, {})]
            ]
            unlinked = sum(1 for item in uow.evidence.for_person(me) if not item.criteria)
        progress = _progress(uow, cycles[-1]) if actor.is_admin and cycles else None
    reviews.sort(key=lambda r: (not r.waiting, r.cycle.name, r.person.name.casefold()))
    return Home(person, own, tuple(reviews), unlinked, progress)


def cycle_progress(uow: UnitOfWork, actor: Actor, cycle: str) -> Progress:
    """How far each team has got in ``cycle`` (admins)."""
    require_admin(actor, "see every team's progress")
    with uow:
        found = find_cycle(uow.assessments.cycles(), cycle)
        if found is None:
            raise NotFound(f"no cycle {cycle!r}: `skillgrid cycle list` shows them")
        return _progress(uow, found)


def _progress(uow: UnitOfWork, cycle: Cycle) -> Progress:
    states = uow.assessments.states(cycle.name)
    teams: dict[str, Counter[str]] = {}
    for person in uow.people.people():
        if person.active:
            team = teams.setdefault(person.team or "(no team)", Counter())
            team[stage(states.get(person.email, {}))] += 1
    ordered = sorted(teams.items(), key=lambda item: item[0].casefold())
    return Progress(cycle, tuple((name, dict(counts)) for name, counts in ordered))
