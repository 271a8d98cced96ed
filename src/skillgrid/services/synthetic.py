"""A synthetic organisation of any size on the SRE ladder, with a realistic shape: a head of
engineering, then divisions, departments and groups of up to eight units under a lead each,
down to teams of up to ten engineers under one manager;
most people at levels 1–3 and few at 5–6; people grow between cycles; some managers rate
leniently or harshly; people rate themselves a little higher than their managers do.

Built in bulk (a few statements per 500 people) so 10,000 people × 4 cycles × 90 criteria
(7.2 million ratings with the self-assessments) loads in minutes; official results are
stored as on finalize, through the same code.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from skillgrid.domain.assessments import MANAGER, OPERATOR, SELF, Assessment, Entry, State
from skillgrid.domain.errors import Conflict
from skillgrid.domain.framework import Framework
from skillgrid.domain.insight import Target
from skillgrid.domain.leveling import SCALE, Rating
from skillgrid.services import accounts, cycles, frameworks, people, summaries, targets
from skillgrid.services.demo import DEMO_PASSWORD, FIRST
from skillgrid.services.people_import import import_people
from skillgrid.services.unit_of_work import UnitOfWork

SENIORITY = (1, 2, 3, 4, 5, 6)
SENIORITY_WEIGHTS = (25, 30, 22, 13, 7, 3)  # skewed toward the lower levels
LAST = (
    "Lima Chen Diaz Okafor Novak Khan Moreau Sato Petrov Alvarez Berg Costa Haddad Brown Kim "
    "Rossi Adams Shah Meyer Wu Singh Laurent Zhou Li Nasser Garcia Müller Ivanova Tanaka Silva"
).split()


@dataclass(frozen=True)
class Synthetic:
    people: int
    teams: int
    cycles: tuple[str, ...]
    assessments: int
    accounts: tuple[tuple[str, str], ...]
    password: str


@dataclass
class _Person:
    email: str
    name: str
    team: str
    manager: str | None
    role: str
    tracks: dict[str, int]  # the level they really work at, per track


def build_synthetic(
    make: Callable[[], UnitOfWork],
    size: int,
    cycle_count: int,
    seed: int = 11,
    progress: Callable[[str, int, int], None] | None = None,
) -> Synthetic:
    """Build the organisation into an empty database; ``progress(step, done, total)``."""
    if size < 10 or cycle_count < 1:
        raise Conflict("a synthetic organisation needs at least 10 people and 1 cycle")
    if people.list_people(make(), OPERATOR):
        raise Conflict("the database already has people: the demo goes into an empty one")
    rng = random.Random(seed)
    ladder = frameworks.install_builtin(make(), actor=OPERATOR).framework
    keys = [t.key for t in ladder.tracks]
    roster, teams = _roster(rng, size, keys)
    for name, parent in teams:
        people.add_team(make(), name, parent, actor=OPERATOR)
    csv = "name,email,team,manager_email,role\n" + "".join(
        f"{p.name},{p.email},{p.team},{p.manager or ''},{p.role}\n" for p in roster
    )
    import_people(make(), csv.encode(), "synthetic-people.csv", actor=OPERATOR)
    for target in _targets(rng, teams, keys):
        targets.set_target(make(), target, actor=OPERATOR)
    shown = [("admin@example.com", "admin"), (roster[0].email, "head of engineering")]
    managers = [p for p in roster[1:] if p.role == "manager"]
    team_manager = next((p for p in managers if p.team.endswith(" team")), managers[-1])
    if roster[1] is not team_manager:
        shown += [(roster[1].email, f"lead, {roster[1].team}")]
    shown += [(team_manager.email, f"manager, {team_manager.team}")]
    accounts.add_user(make(), "admin@example.com", DEMO_PASSWORD, admin=True, actor=OPERATOR)
    for email, _ in shown[1:]:
        accounts.add_user(make(), email, DEMO_PASSWORD, actor=OPERATOR)
    bias = {p.email: rng.choices((-1, 0, 1), (1, 8, 1))[0] for p in roster if p.role == "manager"}
    names = _cycle_names(cycle_count)
    rated = [p for p in roster if p.manager is not None]
    total = len(rated) * cycle_count
    made = 0
    for index, name in enumerate(names):
        cycles.open_cycle(make(), name, "sre", actor=OPERATOR)
        if index:
            _grow(rng, rated, keys)
        last = index == cycle_count - 1
        for start in range(0, len(rated), 500):
            chunk = rated[start : start + 500]
            _load_chunk(make, ladder, rng, name, chunk, bias, last)
            made += len(chunk)
            if progress:
                progress("assessments", made, total)
        if not last:
            cycles.set_cycle_open(make(), name, False, actor=OPERATOR)
    return Synthetic(len(roster), len(teams), tuple(names), made * 2, tuple(shown), DEMO_PASSWORD)


def _cycle_names(count: int) -> list[str]:
    """Half-year cycles ending with 2026-H2, oldest first."""
    halves = [(2026 - i // 2, 2 - i % 2) for i in range(count)]
    return [f"{year}-H{half}" for year, half in reversed(halves)]


def _roster(
    rng: random.Random, size: int, keys: list[str]
) -> tuple[list[_Person], list[tuple[str, str | None]]]:
    """A head of engineering, then units of up to eight under a lead each (divisions,
    departments, groups) down to teams of up to ten engineers under a manager."""
    used: set[str] = set()

    def person(team: str, manager: str | None, role: str, seniority: int) -> _Person:
        while True:
            first, last = rng.choice(FIRST[::2]), rng.choice(LAST)
            email = f"{first}.{last}.{rng.randrange(10_000)}@example.com".lower()
            if email not in used:
                used.add(email)
                break
        tracks = {
            key: max(0, min(6, seniority + rng.choices((-1, 0, 1), (2, 6, 2))[0])) for key in keys
        }
        return _Person(email, f"{first} {last}", team, manager, role, tracks)

    teams: list[tuple[str, str | None]] = [("Engineering", None)]
    head = person("Engineering", None, "manager", 6)
    roster = [head]

    def unit(size: int, name: str, lead: _Person, depth: int) -> None:
        """``size`` people below ``lead``: a team of engineers when it fits one, else up to
        eight smaller units, each with a lead of its own (so no one manages more than ten)."""
        if size <= 10:
            for _ in range(size):
                level = rng.choices(SENIORITY, SENIORITY_WEIGHTS)[0]
                roster.append(person(name, lead.email, "engineer", level))
            return
        parts = min(8, -(-size // 11))  # ceil(size / 11), at most 8
        shares = [size // parts + (1 if i < size % parts else 0) for i in range(parts)]
        for i, share in enumerate(shares):
            child = f"{name}.{i + 1}" if depth else f"Division {chr(65 + i)}"
            label = child if share - 1 > 10 else f"{child} team"
            teams.append((label, name))
            seniority = rng.choice((3, 4, 4, 5)) if share - 1 <= 10 else 5
            child_lead = person(label, lead.email, "manager", seniority)
            roster.append(child_lead)
            unit(share - 1, label, child_lead, depth + 1)

    unit(size - 1, "Engineering", head, 0)
    return roster, teams


def _targets(
    rng: random.Random, teams: list[tuple[str, str | None]], keys: list[str]
) -> list[Target]:
    """Two targets per team and three per larger unit, as on-call rotations need."""
    found = []
    for name, parent in teams:
        if parent is None:
            continue
        is_department = not name.endswith(" team")
        for key in rng.sample(keys, 3 if is_department else 2):
            level = rng.choice((3, 4)) if is_department else rng.choice((2, 3, 3, 4))
            people_needed = rng.choice((3, 5, 8)) if is_department else rng.choice((1, 2, 2, 3))
            found.append(Target(name, "sre", key, level, people_needed))
    return found


def _grow(rng: random.Random, rated: list[_Person], keys: list[str]) -> None:
    """Between cycles about one person in six grows a level on one track."""
    for p in rated:
        if rng.random() < 0.17:
            key = rng.choice(keys)
            p.tracks[key] = min(6, p.tracks[key] + 1)


def _load_chunk(
    make: Callable[[], UnitOfWork],
    ladder: Framework,
    rng: random.Random,
    cycle: str,
    chunk: list[_Person],
    bias: dict[str, int],
    last: bool,
) -> None:
    made = []
    results = []
    for p in chunk:
        true = _ratings(ladder, rng, p.tracks)  # where they really stand
        lean = bias.get(p.manager or "", 0)
        official = {uid: Entry(_lean(e.rating, rng, lean)) for uid, e in true.items()}
        mine = {uid: Entry(_shift(e.rating, rng, 0.2, 0.05)) for uid, e in true.items()}
        finalized = not last or rng.random() < 0.9
        state = State.FINALIZED if finalized else State.SUBMITTED
        made.append(Assessment(p.email, cycle, SELF, State.SUBMITTED, mine))
        made.append(Assessment(p.email, cycle, MANAGER, state, official))
        if finalized:
            results.append((p.email, made[-1], made[-2], p.manager))
    with make().write() as uow:
        policy = uow.frameworks.policy("sre")
        uow.assessments.add_many(made)
        uow.summaries.save_summaries(
            cycle,
            [
                (email, summaries.summary_of(ladder, policy, official, mine), manager)
                for email, official, mine, manager in results
            ],
        )
        uow.commit()


def _ratings(ladder: Framework, rng: random.Random, tracks: dict[str, int]) -> dict[str, Entry]:
    """Met through a person's level on each track, mixed just above it, mostly not yet
    beyond."""
    found = {}
    rand = rng.random
    for c in ladder.criteria:
        reached = tracks[c.track]
        if c.level <= reached:
            rating = Rating.EXCEEDS if rand() < 0.2 else Rating.MEETS
        elif c.level == reached + 1:
            r = rand()
            rating = Rating.MEETS if r < 0.45 else Rating.DEVELOPING if r < 0.9 else Rating.NOT_YET
        else:
            rating = Rating.DEVELOPING if rand() < 0.25 else Rating.NOT_YET
        found[c.uid or c.id] = Entry(rating)
    return found


def _lean(rating: Rating, rng: random.Random, lean: int) -> Rating:
    """A lenient (+1) or harsh (−1) manager moves about a third of ratings a step."""
    return _step(rating, lean) if lean and rng.random() < 0.35 else rating


def _shift(rating: Rating, rng: random.Random, up: float, down: float) -> Rating:
    r = rng.random()
    return _step(rating, 1) if r < up else _step(rating, -1) if r < up + down else rating


def _step(rating: Rating, by: int) -> Rating:
    index = SCALE.index(rating) + by
    return SCALE[max(0, min(len(SCALE) - 1, index))]
