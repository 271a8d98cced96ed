"""The floor for a growth page: the same reads as SkillGrid's growth page, written as plain
SQL on the bare driver (sqlite3 or psycopg, one connection per thread, no SQLAlchemy), the
same rules (skillgrid.domain) and the same template and context, served by a bare Starlette
route run in the thread pool like SkillGrid's. No dependency injection, no middleware, no
ORM: what is left of SkillGrid's time above this is what its stack costs.

Run: SKILLGRID_DATABASE_URL=sqlite:///demo.db uvicorn --app-dir bench floor_app:app
The session cookie is SkillGrid's (``skillgrid_session``); an unknown one answers 401.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from dataclasses import replace
from importlib import resources
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from skillgrid.domain.accounts import AccountHolder, WebSession
from skillgrid.domain.assessments import Assessment, Cycle, Entry, State
from skillgrid.domain.framework import Criterion, Framework, Level, Track
from skillgrid.domain.insight import Summary, stored_result, unpack_ids
from skillgrid.domain.leveling import Rating
from skillgrid.domain.people import Person, Role, url_segment
from skillgrid.domain.policies import policy_from_settings
from skillgrid.services.growth import Growth, StoredResult
from skillgrid.services.permissions import may_read, may_view
from skillgrid.services.results import level_assessment
from skillgrid.web.deps import SignedIn
from skillgrid.web.pages.people import growth_context

SESSION = """SELECT u.email, u.is_admin, p.role, p.active, s.csrf_token, s.expires_at
FROM web_sessions s JOIN users u ON u.id = s.user_id LEFT JOIN people p ON p.email = u.email
WHERE s.token_hash = :token AND s.expires_at > :now"""
WITH_CHAIN = """WITH RECURSIVE chain(id, depth) AS (
  SELECT manager_id, 1 FROM people WHERE email = :email
  UNION ALL SELECT p.manager_id, c.depth + 1 FROM people p JOIN chain c ON p.id = c.id
  WHERE c.depth < 1000)
SELECT p.email, p.name, t.name, m.email, p.role, p.active, 0 AS depth FROM people p
LEFT JOIN teams t ON t.id = p.team_id LEFT JOIN people m ON m.id = p.manager_id
WHERE p.email = :email
UNION ALL SELECT p.email, NULL, NULL, NULL, NULL, NULL, c.depth
FROM people p JOIN chain c ON p.id = c.id ORDER BY depth"""
CYCLES = """SELECT c.name, f.name, v.version, c.open, f.policy, f.policy_tables, v.id
FROM cycles c JOIN framework_versions v ON v.id = c.version_id
JOIN frameworks f ON f.id = v.framework_id ORDER BY c.created_at, c.id"""
RESULTS = """SELECT c.name, r.policy, r.overall, r.top, r.gaps, t.track_key, t.level, t.missing
FROM official_results r JOIN cycles c ON c.id = r.cycle_id
JOIN official_tracks t ON t.cycle_id = r.cycle_id AND t.person_id = r.person_id
WHERE r.person_id = (SELECT id FROM people WHERE email = :email)
ORDER BY c.created_at, c.id"""
HISTORY = """SELECT c.name, a.state, a.revision, CAST(c.created_at AS TEXT), c.id,
NULL, NULL, NULL, NULL, NULL FROM assessments a JOIN cycles c ON c.id = a.cycle_id
WHERE a.person_id = (SELECT id FROM people WHERE email = :email) AND a.rater = 'self'
UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, r.criterion_uid, r.rating, r.reason, r.comment,
r.needs_review FROM ratings r WHERE r.assessment_id = (
  SELECT a.id FROM assessments a JOIN cycles c ON c.id = a.cycle_id
  WHERE a.person_id = (SELECT id FROM people WHERE email = :email) AND a.rater = 'self'
  ORDER BY c.created_at DESC, c.id DESC LIMIT 1)"""
RATINGS = """SELECT r.criterion_uid, r.rating, r.reason, r.comment, r.needs_review
FROM assessments a JOIN cycles c ON c.id = a.cycle_id
JOIN ratings r ON r.assessment_id = a.id
WHERE a.person_id = (SELECT id FROM people WHERE email = :email) AND c.name = :cycle
AND a.rater = 'self'"""
LADDER = {
    "levels": "SELECT number, title FROM levels WHERE version_id = :v ORDER BY number",
    "tracks": "SELECT key, name, description FROM tracks WHERE version_id = :v ORDER BY position",
    "criteria": "SELECT track_key, level, position, text, uid FROM criteria WHERE version_id = :v",
}

URL = os.environ.get("SKILLGRID_DATABASE_URL", "")
POSTGRES = URL.startswith("postgres")
local = threading.local()
ladders: dict[int, Framework] = {}


def _connection() -> Any:
    found = getattr(local, "connection", None)
    if found is None:
        if POSTGRES:
            import psycopg

            dsn = re.sub(r"^postgres(ql)?(\+psycopg)?://", "postgresql://", URL)
            found = psycopg.connect(dsn, autocommit=True)
        else:
            found = sqlite3.connect(URL.removeprefix("sqlite:///"), check_same_thread=False)
        local.connection = found
    return found


def rows(sql: str, **params: Any) -> list[Sequence[Any]]:
    if POSTGRES:
        sql = re.sub(r":(\w+)", r"%(\1)s", sql)
        with _connection().cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    return _connection().execute(sql, params).fetchall()


def _holder(token: str) -> tuple[WebSession, AccountHolder] | None:
    now = dt.datetime.now(dt.UTC)
    key = hashlib.sha256(token.encode()).hexdigest()
    found = rows(SESSION, token=key, now=now if POSTGRES else now.strftime("%Y-%m-%d %H:%M:%S.%f"))
    if not found:
        return None
    email, is_admin, role, active, csrf, _ = found[0]
    holder = AccountHolder(email, bool(is_admin), Role(role) if role else None, active is not False)
    return WebSession(key, email, csrf, now), holder


def _ladder(version_id: int, name: str, version: int) -> Framework:
    if version_id not in ladders:
        levels = [Level(n, t) for n, t in rows(LADDER["levels"], v=version_id)]
        tracks = [Track(*t) for t in rows(LADDER["tracks"], v=version_id)]
        order = {t.key: i for i, t in enumerate(tracks)}
        found = sorted(rows(LADDER["criteria"], v=version_id), key=lambda c: (order[c[0]], c[1:3]))
        criteria = tuple(Criterion(*c) for c in found)
        ladders[version_id] = Framework(name, None, tuple(levels), tuple(tracks), criteria, version)
    return ladders[version_id]


def read_growth(actor: Any, email: str) -> Growth | None:
    found = rows(WITH_CHAIN, email=email)
    if not found or found[0][-1] != 0:
        return None
    above = [row[0] for row in found[1:]]
    if not may_view(actor, email, above):
        return None
    person = Person(*found[0][:4], Role(found[0][4]), bool(found[0][5]))
    cycles, frames, policies = {}, {}, {}
    for name, ladder, version, is_open, policy, tables, version_id in rows(CYCLES):
        cycles[name] = Cycle(name, ladder, version, bool(is_open))
        frames[name] = _ladder(version_id, ladder, version)
        policies[name] = policy_from_settings(policy, tables)
    history = tuple(
        StoredResult(cycles[name], frames[name], stored_result(frames[name], s, policies[name]))
        for name, s in _summaries(email)
    )
    headers, newest = [], {}
    for name, state, revision, *order, uid, rating, reason, comment, review in rows(
        HISTORY, email=email
    ):
        if name is not None:
            headers.append((order, name, state, revision))
        else:
            newest[uid] = _entry(rating, reason, comment, review)
    headers.sort(key=lambda header: header[0])
    every = [Assessment(email, n, "self", State(s), {}, r) for _, n, s, r in headers]
    every[-1:] = [replace(a, entries=newest) for a in every[-1:]]
    readable = [a for a in every if may_read(actor, a, person.manager, above)]
    self_cycle = readable[-1].cycle if readable else None
    self_result = None
    if self_cycle is not None:
        entries = readable[-1].entries
        if readable[-1] is not every[-1]:  # read without its ratings
            found = rows(RATINGS, email=email, cycle=self_cycle)
            entries = {uid: _entry(*entry) for uid, *entry in found}
        latest = Assessment(email, self_cycle, "self", State.DRAFT, entries)
        self_result = level_assessment(frames[self_cycle], latest, policies[self_cycle])
    open_cycles = tuple(c for c in cycles.values() if c.open)
    return Growth(person, history, self_cycle, self_result, open_cycles)


def _entry(rating: str, reason: str | None, comment: str | None, review: Any) -> Entry:
    return Entry(Rating(rating), reason, comment, bool(review))


def _summaries(email: str) -> Iterator[tuple[str, Summary]]:
    found: dict[str, tuple[tuple[Any, ...], dict[str, int], dict[str, tuple[str, ...]]]] = {}
    for cycle, policy, overall, top, gaps, key, level, missing in rows(RESULTS, email=email):
        _, tracks, unmet = found.setdefault(cycle, ((policy, overall, top, gaps), {}, {}))
        tracks[key], unmet[key] = level, unpack_ids(missing)
    for cycle, (head, tracks, unmet) in found.items():
        yield cycle, Summary(*head, tracks=tracks, missing=unmet)


folder = resources.files("skillgrid.web").joinpath("templates")
templates = Environment(
    loader=FileSystemLoader(str(folder)), autoescape=select_autoescape(), auto_reload=False
)
templates.filters["segment"] = url_segment  # as SkillGrid's pages have it
page = templates.get_template("growth.html")


def growth_page(request: Request) -> Response:
    signed = _holder(request.cookies.get("skillgrid_session", ""))
    actor = signed[1].acting_as() if signed else None
    if signed is None or actor is None:
        return PlainTextResponse("sign in", status_code=401)
    view = read_growth(actor, request.path_params["email"].lower())
    if view is None:
        return PlainTextResponse("not found", status_code=404)
    user = SignedIn(actor, signed[0].email, signed[0])
    return HTMLResponse(page.render({"user": user, "request": request, **growth_context(view)}))


app = Starlette(routes=[Route("/people/{email}/growth", growth_page)])
