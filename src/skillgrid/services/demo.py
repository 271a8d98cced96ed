"""A demo organisation on the SRE ladder: three teams, 25 people, three review cycles with
plausible ratings and evidence, and accounts to sign in with. Built through the same
services as real data, so every rule holds."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from skillgrid.domain.assessments import MANAGER, OPERATOR, SELF, Entry
from skillgrid.domain.errors import Conflict
from skillgrid.domain.evidence import Evidence
from skillgrid.domain.framework import Framework
from skillgrid.domain.insight import Target
from skillgrid.domain.leveling import SCALE, Rating
from skillgrid.services import (
    accounts,
    assessments,
    cycles,
    evidence,
    frameworks,
    people,
    people_import,
    targets,
)
from skillgrid.services.unit_of_work import UnitOfWork

DEMO_PASSWORD = "skillgrid-demo"
CYCLES = ("2025-H2", "2026-H1", "2026-H2")
TEAMS = {
    "SRE Platform": "Infrastructure",
    "Edge Networking": "Infrastructure",
    "Security Engineering": "Infrastructure",
}
TARGETS = (  # what the on-call rotations need
    Target("Infrastructure", "sre", "NET", 3, 3),
    Target("Infrastructure", "sre", "SEC", 3, 2),
    Target("SRE Platform", "sre", "SRE", 3, 3),
    Target("Edge Networking", "sre", "NET", 4, 1),
    Target("Security Engineering", "sre", "SEC", 4, 1),
)
FIRST = (
    "Ana Lima Bo Chen Cy Diaz Dee Okafor Eli Novak Fay Khan Gus Moreau Hana Sato Ivo Petrov "
    "Jo Alvarez Kai Berg Lea Costa Mo Haddad Nia Brown Oto Kim Pia Rossi Quin Adams Ravi "
    "Shah Sol Meyer Tao Wu Uma Singh Vic Laurent Wen Zhou Xia Li Yara Nasser"
).split()
EVIDENCE = (
    ("Postmortem: DNS resolver outage", "postmortem", ["NET.1.1", "NET.2.1", "CW.4.3"]),
    ("Talk: running Kubernetes upgrades without downtime", "talk", ["CW.4.2", "SRE.4.1"]),
    ("Design doc: multi-region failover", "design", ["PO.1.1", "NET.3.1", "SRE.4.5"]),
    ("Terraform module for service load balancers", "git", ["SRE.2.3", "NET.2.2"]),
    ("On-call handbook rewrite", "manual", ["CW.3.3", "SRE.2.6"]),
    ("SELinux policy rollout", "design", ["SEC.3.8", "SEC.3.7"]),
    ("Incident review: certificate expiry", "incident", ["SEC.1.3", "SEC.2.2", "CW.4.3"]),
    ("Latency SLOs for the API gateway", "design", ["SRE.4.2", "SRE.2.4"]),
)


@dataclass(frozen=True)
class Demo:
    people: int
    accounts: tuple[tuple[str, str], ...]  # (email, what they are)
    password: str


def build_demo(make: Callable[[], UnitOfWork], seed: int = 7) -> Demo:
    """Create the demo organisation with fresh units of work from ``make``; refuses when
    people are already on file."""
    if people.list_people(make(), OPERATOR):
        raise Conflict("the database already has people: the demo goes into an empty one")
    rng = random.Random(seed)
    ladder = frameworks.install_builtin(make(), actor=OPERATOR).framework
    roster = _roster()
    csv = "name,email,team,manager_email,role\n" + "".join(
        f"{name},{email},{team},{manager or ''},{role}\n"
        for name, email, team, manager, role in roster
    )
    people.add_team(make(), "Infrastructure", actor=OPERATOR)
    for team, parent in TEAMS.items():
        people.add_team(make(), team, parent, actor=OPERATOR)
    people_import.import_people(make(), csv.encode(), "demo-people.csv", actor=OPERATOR)
    for target in TARGETS:
        targets.set_target(make(), target, actor=OPERATOR)
    for _, email, *_ in roster:
        accounts.add_user(make(), email, DEMO_PASSWORD, actor=OPERATOR)
    accounts.add_user(make(), "admin@example.com", DEMO_PASSWORD, admin=True, actor=OPERATOR)
    engineers = [r for r in roster if r[4] == "engineer"]
    for index, name in enumerate(CYCLES):
        cycles.open_cycle(make(), name, "sre", actor=OPERATOR)
        for person in engineers:
            _assess(make, ladder, rng, person[1], name, index, last=index == len(CYCLES) - 1)
    for person in engineers:
        _evidence(make, rng, person[1])
    for name in CYCLES[:-1]:
        cycles.set_cycle_open(make(), name, False, actor=OPERATOR)
    shown = [("admin@example.com", "admin"), (roster[0][1], "head of infrastructure")]
    shown += [(r[1], f"manager, {r[2]}") for r in roster if r[4] == "manager" and r[3]]
    shown += [(engineers[0][1], f"engineer, {engineers[0][2]}")]
    return Demo(len(roster), tuple(shown), DEMO_PASSWORD)


def _roster() -> list[tuple[str, str, str, str | None, str]]:
    names = [f"{FIRST[i]} {FIRST[i + 1]}" for i in range(0, 50, 2)]
    emails = [name.split()[0].lower() + "@example.com" for name in names]
    head = (names[0], emails[0], "Infrastructure", None, "manager")
    roster: list[tuple[str, str, str, str | None, str]] = [head]
    managers = []
    for t, team in enumerate(TEAMS):
        index = 1 + t
        managers.append(emails[index])
        roster.append((names[index], emails[index], team, emails[0], "manager"))
    for i in range(4, 25):
        team_index = (i - 4) % 3
        team = list(TEAMS)[team_index]
        roster.append((names[i], emails[i], team, managers[team_index], "engineer"))
    return roster


def _assess(
    make: Callable[[], UnitOfWork],
    ladder: Framework,
    rng: random.Random,
    email: str,
    cycle: str,
    index: int,
    last: bool,
) -> None:
    steady = random.Random(f"{email}")  # the same person each cycle: growing, not jumping
    base = steady.choices(range(1, 5), weights=(4, 6, 4, 1))[0]
    grows_by = steady.choice((1, 2, 2, 3))  # cycles per level gained
    target = min(6, base + index // grows_by)
    manager_ratings = _ratings(ladder, rng, target)
    self_ratings = {
        cid: (Entry(_bump(e.rating, rng), e.reason) if rng.random() < 0.15 else e)
        for cid, e in manager_ratings.items()
    }
    assessments.rate(make(), OPERATOR, email, cycle, SELF, self_ratings)
    assessments.submit(make(), OPERATOR, email, cycle, SELF)
    if last and rng.random() < 0.5:
        return  # the manager has not reviewed this one yet
    assessments.rate(make(), OPERATOR, email, cycle, MANAGER, manager_ratings)
    assessments.submit(make(), OPERATOR, email, cycle, MANAGER)
    if not last or rng.random() < 0.5:
        assessments.finalize(make(), OPERATOR, email, cycle)


def _ratings(ladder: Framework, rng: random.Random, target: int) -> dict[str, Entry]:
    ratings: dict[str, Entry] = {}
    for criterion in ladder.criteria:
        distance = criterion.level - target
        if distance < 0:
            rating = rng.choices(SCALE, weights=(0, 0, 70, 30))[0]
        elif distance == 0:
            rating = rng.choices(SCALE, weights=(0, 2, 78, 20))[0]
        elif distance == 1:
            rating = rng.choices(SCALE, weights=(35, 40, 20, 5))[0]
        else:
            rating = rng.choices(SCALE, weights=(80, 15, 5, 0))[0]
        if criterion.track == "SEC" and criterion.level == 3 and rng.random() < 0.05:
            ratings[criterion.id] = Entry(Rating.NOT_APPLICABLE, "no Linux hosts in this team")
        else:
            ratings[criterion.id] = Entry(rating)
    return ratings


def _bump(rating: Rating, rng: random.Random) -> Rating:
    if rating is Rating.NOT_APPLICABLE:
        return rating
    order = list(SCALE)
    step = 1 if rng.random() < 0.7 else -1  # people rate themselves a little higher
    return order[max(0, min(len(order) - 1, order.index(rating) + step))]


def _evidence(make: Callable[[], UnitOfWork], rng: random.Random, email: str) -> None:
    for title, source, criteria in rng.sample(EVIDENCE, 2):
        when = dt.date(2026, rng.randint(1, 10), rng.randint(1, 28))
        url = f"https://wiki.example.com/{title.split(':')[0].lower().replace(' ', '-')}"
        item = Evidence(email, title, url, when, None, source)
        evidence.add_evidence(make(), OPERATOR, item, criteria, "sre")
