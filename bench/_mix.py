"""What a review week asks of SkillGrid: the request mix (one table, weights in percent) and
how each kind of request is made for a random person of the sample, and what its answer
changes in the browser's state (the revision to send with the next save)."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import quote

from _http import Request, Response
from _seed import CYCLE, LADDER, RATINGS, Engineer, User, Week

T = TypeVar("T", bound=User)
FETCH = ("X-Requested-With", "fetch")


@dataclass
class Planned:
    """One request about to be sent: its kind, what a success answers, and what to do with
    the answer (update the browser's state; release the person for their next save)."""

    kind: str
    request: Request
    expect: int = 200
    engineer: Engineer | None = None  # the author of a write
    after: Callable[[Response], None] | None = None


class Picker:
    """Random people, never the same one twice in a row for a kind of request."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.last: dict[str, str] = {}

    def pick(
        self, kind: str, people: Sequence[T], ok: Callable[[T], bool] | None = None
    ) -> T | None:
        for _ in range(50):
            person = self.rng.choice(people)
            if person.email != self.last.get(kind) and (ok is None or ok(person)):
                self.last[kind] = person.email
                return person
        return None


def at(email: str) -> str:
    """An email as a path segment (some synthetic names are not ASCII)."""
    return quote(email, safe="@")


def get(kind: str, user: User, path: str) -> Planned:
    return Planned(kind, Request("GET", path, (("Cookie", user.cookie),)))


def growth(week: Week, pick: Picker) -> Planned:
    e = pick.pick("growth", week.engineers)
    assert e is not None
    return get("growth page", e, f"/people/{at(e.email)}/growth")


def self_page(week: Week, pick: Picker) -> Planned:
    e = pick.pick("self", week.engineers)
    assert e is not None
    return get("self-assessment page", e, f"/people/{at(e.email)}/assess/{CYCLE}/self")


def review_page(week: Week, pick: Picker) -> Planned:
    m = pick.pick("review", week.managers, lambda m: bool(m.reports))
    assert m is not None
    report = pick.rng.choice(m.reports)
    return get("manager review page", m, f"/people/{at(report)}/assess/{CYCLE}/manager")


def team_page(week: Week, pick: Picker) -> Planned:
    m = pick.pick("team", week.managers)
    assert m is not None
    return get("team page", m, "/team")


def insight_page(week: Week, pick: Picker) -> Planned:
    m = pick.pick("insight", week.managers)
    assert m is not None
    return get("insight page", m, f"/insight/{quote(m.team)}" if m.team else "/insight")


def org_insight(week: Week, pick: Picker) -> Planned:
    return get("org insight (admin)", week.admin, "/insight")


def api_results(week: Week, pick: Picker) -> Planned:
    e = pick.pick("results", week.engineers)
    assert e is not None
    return get("API results", e, f"/api/v1/people/{at(e.email)}/results")


def ladder_page(week: Week, pick: Picker) -> Planned:
    e = pick.pick("ladder", week.engineers)
    assert e is not None
    return get("ladder page", e, f"/ladders/{LADDER}")


def api_assessment(week: Week, pick: Picker) -> Planned:
    e = pick.pick("assessment", week.engineers)
    assert e is not None
    return get("API assessment", e, refresh_path(e))


def refresh_path(e: Engineer) -> str:
    return f"/api/v1/people/{at(e.email)}/assessments/{CYCLE}/self"


def autosave(week: Week, pick: Picker) -> Planned:
    """The page's autosave: every rating so far and one or two more (or one changed)."""
    e = pick.pick("write", week.engineers, lambda e: not e.busy)
    assert e is not None
    return save_of(e, week.criteria, pick.rng)


def save_of(e: Engineer, criteria: Sequence[str], rng: random.Random) -> Planned:
    ratings = dict(e.ratings)
    unrated = [c for c in criteria if c not in ratings]
    for cid in unrated[: rng.choice((1, 2))] or [rng.choice(criteria)]:
        ratings[cid] = rng.choice(RATINGS)
    return _write("autosave", e, ratings, (), fetch=True)


def evidence(week: Week, pick: Picker) -> Planned:
    """A new evidence item on a criterion, with the ratings as they are (a page save)."""
    e = pick.pick("write", week.engineers, lambda e: not e.busy)
    assert e is not None
    cid = pick.rng.choice(week.criteria)
    n = pick.rng.randrange(1_000_000)
    fields = (
        (f"evidence-title-{cid}", f"Runbook for the queue failover, part {n}"),
        (f"evidence-url-{cid}", f"https://git.example.com/sre/runbooks/{n}"),
    )
    return _write("evidence", e, e.ratings, fields, fetch=True)


def submit(week: Week, pick: Picker) -> Planned:
    """'Save and submit' (a plain form post, answered by a redirect) for someone with a
    draft; an autosave when nobody has one."""
    e = pick.pick("write", week.engineers, lambda e: not e.busy and e.state == "draft")
    if e is None:
        return autosave(week, pick)
    return _write("submit", e, e.ratings, (("action", "submit"),), fetch=False)


def _write(
    kind: str,
    e: Engineer,
    ratings: dict[str, str],
    extra: tuple[tuple[str, str], ...],
    *,
    fetch: bool,
) -> Planned:
    action = () if any(name == "action" for name, _ in extra) else (("action", "save"),)
    form = (
        ("csrf_token", e.csrf),
        ("revision", str(e.revision)),
        *action,
        *((f"rating-{cid}", rating) for cid, rating in ratings.items()),
        *extra,
    )
    headers = (("Cookie", e.cookie), FETCH) if fetch else (("Cookie", e.cookie),)
    path = f"/people/{at(e.email)}/assess/{CYCLE}/self"

    def after(response: Response) -> None:
        if response.status == 200 and fetch:
            e.revision = int(json.loads(response.body)["revision"])
        elif response.status == 303:  # the save and the submit each made a revision
            e.revision += 2
            e.state = "submitted"
        if response.status in (200, 303):
            e.ratings = dict(ratings)
            e.state = "draft" if e.state == "none" else e.state

    e.busy = True
    return Planned(kind, Request("POST", path, headers, form), 200 if fetch else 303, e, after)


def refreshed(e: Engineer, response: Response) -> None:
    """Take the revision, state and ratings from the API's answer (after a 409)."""
    if response.status == 200:
        found = json.loads(response.body)
        e.revision, e.state = int(found["revision"]), str(found["state"])
        e.ratings = {cid: r["rating"] for cid, r in found["ratings"].items()}
    elif response.status == 404:
        e.revision, e.state, e.ratings = 0, "none", {}


@dataclass(frozen=True)
class Kind:
    name: str
    weight: float  # percent of all requests
    write: bool
    make: Callable[[Week, Picker], Planned]


MIX = (
    Kind("growth page", 20, False, growth),
    Kind("self-assessment page", 20, False, self_page),
    Kind("manager review page", 10, False, review_page),
    Kind("team page", 10, False, team_page),
    Kind("insight page", 5, False, insight_page),
    Kind("API results", 10, False, api_results),
    Kind("ladder page", 5, False, ladder_page),
    Kind("API assessment", 10, False, api_assessment),
    Kind("autosave", 7, True, autosave),
    Kind("evidence", 2, True, evidence),
    Kind("submit", 1, True, submit),
    Kind("org insight (admin)", 0, False, org_insight),
)
WRITES = frozenset(k.name for k in MIX if k.write)
REFRESH = "revision refresh (after 409)"


def planner(week: Week, rng: random.Random) -> Callable[[], Planned]:
    """Draw the next request of the mix."""
    kinds = [k for k in MIX if k.weight > 0]
    weights = [k.weight for k in kinds]
    pick = Picker(rng)

    def next_request() -> Planned:
        return rng.choices(kinds, weights)[0].make(week, pick)

    return next_request
