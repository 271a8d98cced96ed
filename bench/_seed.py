"""A busy review week on a copy of the template, set up through SkillGrid's own services and
repositories (not HTTP): a new open cycle, a sample of whole teams (engineers, their
managers) and an admin with accounts and live browser sessions, and about half of the
sampled engineers already part-way through their self-assessment (a draft, or submitted and
so shown beside the manager's ratings), some managers with a draft review of their own."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from skillgrid.db import migrate
from skillgrid.db.engine import make_engine, make_session_factory
from skillgrid.db.unit_of_work import SqlAlchemyUnitOfWork
from skillgrid.domain.accounts import Account, WebSession
from skillgrid.domain.assessments import MANAGER, OPERATOR, SELF, Actor, Assessment, Entry, State
from skillgrid.domain.leveling import Rating
from skillgrid.domain.people import Person, Role, Team
from skillgrid.services import org_tree
from skillgrid.services.accounts import hash_password
from skillgrid.services.cycles import open_cycle
from skillgrid.services.frameworks import get_framework_in

CYCLE = "2027-H1"
LADDER = "sre"
ADMIN = "admin@example.com"
RATINGS = ("not_yet", "developing", "meets", "exceeds")
RATING_WEIGHTS = (15, 30, 40, 15)


@dataclass
class User:
    """A signed-in browser: its account's email, session cookie and form token."""

    email: str
    cookie: str
    csrf: str


@dataclass
class Engineer(User):
    """An engineer and what their browser knows of their self-assessment."""

    manager: str = ""
    revision: int = 0  # the one to send with the next save
    state: str = "none"  # none, draft or submitted
    ratings: dict[str, str] = field(default_factory=dict)  # criterion id → rating
    busy: bool = False  # a save of theirs is on its way


@dataclass
class Manager(User):
    reports: list[str] = field(default_factory=list)
    team: str | None = None  # a team (theirs) whose insight page they may see


@dataclass
class Week:
    engineers: list[Engineer]
    managers: list[Manager]
    admin: User
    criteria: list[str]  # ids of the cycle's ladder version, in ladder order


def prepare(url: str, engineers: int, seed: int = 7) -> Week:
    """Open the cycle, sign the sample in and pre-seed the week on the database at ``url``."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    factory = make_session_factory(engine)

    def make() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(factory)

    rng = random.Random(seed)
    cycle = open_cycle(make(), CYCLE, LADDER, actor=OPERATOR)
    with make() as uow:
        framework = get_framework_in(uow, LADDER, cycle.version)
        everyone = uow.people.people()
        teams = uow.people.teams()
    criteria = {c.id: str(c.uid) for c in framework.criteria}
    chosen = _sample(rng, everyone, engineers)
    with make().write() as uow:
        users = _sign_in(uow, [*chosen, ADMIN])
        uow.commit()
    week = _week(users, everyone, teams, chosen, list(criteria))
    with make().write() as uow:
        uow.assessments.add_many(_assessments(rng, week, criteria))
        uow.commit()
    engine.dispose()
    return week


def _sample(rng: random.Random, everyone: list[Person], wanted: int) -> list[str]:
    """Whole teams of engineers, picked at random until there are ``wanted`` engineers,
    then their managers."""
    by_team: dict[str | None, list[Person]] = {}
    for person in everyone:
        if person.role is Role.ENGINEER and person.manager and person.active:
            by_team.setdefault(person.team, []).append(person)
    names = sorted(by_team, key=str)
    rng.shuffle(names)
    engineers: list[Person] = []
    for name in names:
        if len(engineers) >= wanted:
            break
        engineers += by_team[name]
    managers = sorted({str(p.manager) for p in engineers})
    return [p.email for p in engineers] + managers


def _sign_in(uow: SqlAlchemyUnitOfWork, emails: list[str]) -> dict[str, User]:
    """An account (one argon2 hash shared by all: hashing is not what is measured) and a
    live session for each; accounts already there (the demo's) are kept."""
    password_hash = hash_password(secrets.token_urlsafe(16))
    now = dt.datetime.now(dt.UTC)
    users = {}
    for email in emails:
        if uow.accounts.get(email) is None:
            uow.accounts.save(Account(email, password_hash, False))
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        digest = hashlib.sha256(token.encode()).hexdigest()
        uow.accounts.add_session(WebSession(digest, email, csrf, now + dt.timedelta(days=1)), now)
        users[email] = User(email, f"skillgrid_session={token}", csrf)
    return users


def _week(
    users: dict[str, User],
    everyone: list[Person],
    teams: Sequence[Team],
    chosen: list[str],
    criteria: list[str],
) -> Week:
    people = {p.email: p for p in everyone}
    tree, sizes = org_tree.children(teams), dict(Counter(p.team for p in everyone))
    reports: dict[str, list[str]] = {}
    for person in everyone:
        reports.setdefault(str(person.manager), []).append(person.email)
    engineers, managers = [], []
    for email in chosen:
        user, person = users[email], people[email]
        if person.role is Role.ENGINEER:
            engineers.append(Engineer(email, user.cookie, user.csrf, str(person.manager)))
            continue
        below = _below(email, reports) | {email}
        mine = Counter(people[e].team for e in below)
        reach = org_tree.Reach(Actor(email, Role.MANAGER), sizes, mine, frozenset(below))
        team = person.team if reach.may_see(org_tree.subtree(person.team, tree)) else None
        managers.append(Manager(email, user.cookie, user.csrf, reports.get(email, []), team))
    return Week(engineers, managers, users[ADMIN], criteria)


def _below(manager: str, reports: dict[str, list[str]]) -> set[str]:
    """Everyone below ``manager`` in the chart (``reports``: manager → direct reports)."""
    found: set[str] = set()
    stack = list(reports.get(manager, ()))
    while stack:
        person = stack.pop()
        if person not in found:
            found.add(person)
            stack.extend(reports.get(person, ()))
    return found


def _assessments(rng: random.Random, week: Week, uids: dict[str, str]) -> list[Assessment]:
    """Half the engineers part-way through: a draft with some ratings, or submitted with
    all; for a third of the submitted ones the manager has a draft review."""
    made = []
    for engineer in week.engineers:
        roll = rng.random()
        if roll >= 0.5:
            continue
        submitted = roll < 0.2
        count = len(week.criteria) if submitted else rng.randrange(5, len(week.criteria))
        engineer.ratings = {cid: _rating(rng) for cid in week.criteria[:count]}
        engineer.state = "submitted" if submitted else "draft"
        engineer.revision = 1  # what add_many stores
        state = State.SUBMITTED if submitted else State.DRAFT
        entries = {uids[c]: Entry(Rating(r)) for c, r in engineer.ratings.items()}
        made.append(Assessment(engineer.email, CYCLE, SELF, state, entries))
        if submitted and rng.random() < 1 / 3:
            review = {uids[c]: Entry(Rating(_rating(rng))) for c in week.criteria}
            made.append(Assessment(engineer.email, CYCLE, MANAGER, State.DRAFT, review))
    return made


def _rating(rng: random.Random) -> str:
    return rng.choices(RATINGS, RATING_WEIGHTS)[0]
