"""Every route, as every role, answers as the table "Who may do what, route by route" in
docs/concepts.md says: the table is read from the document, so the two cannot drift, and a
route the table does not name fails the test.

Roles: anonymous; the engineer the request is about (Ana); another engineer (Eve, in
another team); Ana's manager (Bo); Bo's manager (Vi, the skip-level); a colleague invited
to review Ana (Cy); an admin. API and SCIM routes are asked twice for each signed-in role:
with the session cookie and with a personal API token, which act alike."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from skillgrid.config import Settings
from skillgrid.domain.assessments import OPERATOR, Entry
from skillgrid.domain.evidence import Evidence
from skillgrid.domain.leveling import Rating
from skillgrid.services import (
    accounts,
    assessments,
    cycles,
    evidence,
    frameworks,
    people_import,
    webhooks,
)
from skillgrid.web.app import create_app, routes
from tests.web.conftest import PASSWORD

CONCEPTS = Path(__file__).parents[2] / "docs" / "concepts.md"
ROLES = {
    "anonymous": None,
    "the engineer": "ana@x.org",
    "another engineer": "eve@x.org",
    "manager": "bo@x.org",
    "skip-level": "vi@x.org",
    "invited peer": "cy@x.org",
    "admin": "root@x.org",
}
PEOPLE = (
    b"name,email,team,manager_email,role\n"
    b"Vi,vi@x.org,SRE,,manager\nBo,bo@x.org,SRE,vi@x.org,manager\n"
    b"Ana,ana@x.org,SRE,bo@x.org,engineer\nCy,cy@x.org,SRE,bo@x.org,engineer\n"
    b"Eve,eve@x.org,Edge,,engineer\n"
)
LADDER = b"Track\tLevel 1\tLevel 2\nProduct ownership\t- Owns a small feature.\t- Owns a product.\n"
MET = {"PO.1.1": {"rating": "meets"}}


@dataclass(frozen=True)
class Row:
    """One line of the table: a request and what each role gets."""

    request: str
    expected: dict[str, str]

    @property
    def method(self) -> str:
        return self.request.split(" ", 1)[0]

    @property
    def template(self) -> str:
        """The path asked for, with {placeholders}; "(by token)" rows say how a personal
        API token is answered where it differs from the session."""
        return self.request.split(" ")[1]

    @property
    def by_token(self) -> bool:
        return self.request.endswith(" (by token)")


def table() -> list[Row]:
    """The rows of the route-by-route table in docs/concepts.md."""
    text = CONCEPTS.read_text("utf-8")
    section = text.split("### Who may do what, route by route", 1)[1].split("\n#", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("| ")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert header[1:] == list(ROLES), header
    rows = []
    for line in lines[1:]:  # the |---| line under the header starts with no space
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        rows.append(Row(cells[0].strip("`"), dict(zip(ROLES, cells[1:], strict=True))))
    return rows


@pytest.fixture
def org(database_url: str, uow_factory) -> Iterator[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Ana's self and manager assessments submitted in the open cycle, Cy invited to review
    her (a draft), one piece of evidence, a target; an account and a token for everyone."""
    make = uow_factory
    frameworks.install_builtin(make(), actor=OPERATOR)
    people_import.import_people(make(), PEOPLE, "people.csv", actor=OPERATOR)
    met = {"PO.1.1": Entry(Rating.MEETS)}
    cycles.open_cycle(make(), "2026-H1", "sre", actor=OPERATOR)  # Ana has a result in it
    assessments.rate(make(), OPERATOR, "ana@x.org", "2026-H1", "manager", met)
    assessments.submit(make(), OPERATOR, "ana@x.org", "2026-H1", "manager")
    assessments.finalize(make(), OPERATOR, "ana@x.org", "2026-H1")
    cycles.open_cycle(make(), "2026-H2", "sre", actor=OPERATOR)
    for rater in ("self", "manager"):
        assessments.rate(make(), OPERATOR, "ana@x.org", "2026-H2", rater, met)
        assessments.submit(make(), OPERATOR, "ana@x.org", "2026-H2", rater)
    assessments.invite_peer(make(), OPERATOR, "ana@x.org", "2026-H2", "cy@x.org")
    assessments.rate(make(), OPERATOR, "ana@x.org", "2026-H2", "cy@x.org", met)
    drill = Evidence("ana@x.org", "Ran the failover drill")
    evidence.add_evidence(make(), OPERATOR, drill, ["PO.1.1"], "sre")
    tokens = {}
    for email in filter(None, ROLES.values()):
        accounts.add_user(make(), email, PASSWORD, admin=email == "root@x.org", actor=OPERATOR)
        tokens[email] = accounts.create_token(make(), email, "permissions test")[1]
    app = create_app(Settings(database_url=database_url, suggestion_backend="lexical"))
    with TestClient(app, follow_redirects=False) as lifespan:
        yield {"app": app, "tokens": tokens, "make": make, "client": lifespan}


def spare_token(make: Callable[[], Any]) -> str:
    """A token of Ana's made for one request (revoking it is what is asked)."""
    return str(accounts.create_token(make(), "ana@x.org", "to revoke")[0])


def spare_invitation(make: Callable[[], Any]) -> str:
    """Someone invited (as an admin account) for one request: the email (revoking it is
    what is asked)."""
    import uuid

    from skillgrid.services.invitations import Site, create_invitation

    email = f"invitee-{uuid.uuid4().hex[:8]}@x.org"
    create_invitation(make(), email, Site(True), admin=True, actor=OPERATOR)
    return email


def spare_webhook(make: Callable[[], Any]) -> str:
    """A webhook made for one request (to a port where nothing listens)."""
    hook = webhooks.add_webhook(make(), "http://127.0.0.1:9/hook", ["cycle.closed"], actor=OPERATOR)
    return str(hook.id)


def spare_movable_cycle(make: Callable[[], Any]) -> str:
    """A cycle made for one request, open on version 1 of a ladder of its own that has a
    version 2 (moving it there is what is asked)."""
    import uuid

    name = f"move-{uuid.uuid4().hex[:8]}"
    frameworks.import_framework(make(), LADDER, "v1.tsv", name, actor=OPERATOR)
    cycles.open_cycle(make(), name, name, actor=OPERATOR)
    reworded = LADDER.replace(b"Owns a product.", b"Owns a whole product.")
    frameworks.import_framework(make(), reworded, "v2.tsv", name, actor=OPERATOR)
    return name


def values(make: Callable[[], Any]) -> dict[str, Callable[[], str]]:
    return {
        "person": lambda: "ana@x.org",
        "peer": lambda: "cy@x.org",
        "other": lambda: "eve@x.org",
        "cycle": lambda: "2026-H2",
        "ladder": lambda: "sre",
        "criterion": lambda: "PO.1.1",
        "team": lambda: "SRE",
        "track": lambda: "PO",
        "token": lambda: spare_token(make),
        "webhook": lambda: spare_webhook(make),
        "invitee": lambda: spare_invitation(make),
        "movable": lambda: spare_movable_cycle(make),
    }


def concrete(template: str, make: Callable[[], Any]) -> str:
    found = values(make)
    return re.sub(r"\{(\w+)\}", lambda m: found[m.group(1)](), template)


def body(row: Row, csrf: str, email: str | None) -> dict[str, Any]:
    """What the request sends: a valid body, so a refusal is the rules' and not the input's."""
    forms: dict[str, dict[str, Any]] = {
        "POST /login": {"email": email or "ana@x.org", "password": PASSWORD, "next": "/"},
        "POST /people/{person}/assess/{cycle}/self": {
            "revision": "0",
            "rating-PO.1.1": "exceeds",
        },
        "POST /evidence/suggest": {"framework": "sre", "text": "- Wrote the on-call runbook"},
        "POST /evidence/accept": {
            "framework": "sre",
            "statement-0": "Wrote the on-call runbook",
            "choice-0": "PO.1.1",
        },
        "POST /insight/targets": {
            "team": "SRE",
            "framework": "sre",
            "track": "PO",
            "level": "2",
            "people": "1",
        },
        "POST /insight/targets/remove": {"team": "SRE", "framework": "sre", "track": "PO"},
        "POST /admin/ladders/store": {
            "name": "platform",
            "payload": base64.b64encode(LADDER).decode(),
            "source": "platform.tsv",
        },
        "POST /account/tokens": {"name": "laptop"},
        "POST /account/password": {
            "current_password": PASSWORD,
            "new_password": PASSWORD,
            "repeat_password": PASSWORD,
        },
        "POST /admin/cycles": {"name": "2027-H1", "ladder": "sre"},
        "POST /admin/ladders/{ladder}/criteria/{criterion}/examples": {
            "examples": "Wrote the design doc"
        },
        "POST /admin/cycles/{cycle}/state": {"open": "true"},
        "POST /admin/cycles/{movable}/move": {"version": "2"},
        "POST /admin/people/{person}": {
            "form": "change",
            "team": "SRE",
            "manager": "bo@x.org",
            "shown_team": "SRE",  # Ana as her page shows her
            "shown_manager": "bo@x.org",
        },
        "POST /admin/cycles/{cycle}/due": {"self": "2026-07-01", "close": "2026-07-31"},
        "POST /admin/accounts": {"email": "new@x.org", "password": PASSWORD},
        "POST /admin/invitations": {"email": "invitee@x.org", "admin": "true"},
        "POST /auth/invite/{token}": {"new_password": PASSWORD, "repeat_password": PASSWORD},
        "POST /admin/webhooks": {"url": "http://127.0.0.1:9/h", "events": "cycle.closed"},
    }
    files: dict[str, dict[str, Any]] = {
        "POST /admin/ladders/preview": {"file": ("platform.tsv", LADDER)},
        "POST /admin/people": {"file": ("people.csv", PEOPLE)},
    }
    forms["POST /admin/ladders/preview"] = {"name": "platform"}
    json_bodies: dict[str, Any] = {
        "PUT /api/v1/people/{person}/evidence/links": {"links": {"PO.1.1": [1]}},
        "PUT /api/v1/targets": {"team": "SRE", "track": "PO", "level": 2, "people": 1},
        "POST /api/v1/suggestions": {"text": "- Wrote the on-call runbook"},
        "POST /api/v1/people/{person}/evidence/accept": {
            "items": [{"statement": "Wrote the runbook", "criteria": ["PO.1.1"]}]
        },
        "POST /api/v1/tokens": {"name": "laptop"},
        "PUT /api/v1/cycles/{cycle}/due": {"self": "2026-07-01", "close": "2026-07-31"},
        "PUT /api/v1/people/{person}/notifications": {"event_mails": False},
        "POST /api/v1/webhooks": {"url": "http://127.0.0.1:9/h", "events": ["cycle.closed"]},
        "POST /api/v1/people": {"email": "new@x.org", "name": "New Person"},
        "PATCH /api/v1/people/{person}": {"name": "Ana Lima"},
        "POST /api/v1/teams": {"name": "Edge", "parent": "SRE"},
        "POST /api/v1/cycles": {"name": "2027-H1"},
        "POST /api/v1/invitations": {"email": "invitee@x.org", "admin": True},
    }
    if "/assessments/" in row.template and row.method == "PUT":
        return {"json": {"revision": 2, "ratings": MET}}
    if row.template.endswith(("/submit", "/finalize")):
        return {"json": {"revision": 2}}
    if row.request in json_bodies:
        return {"json": json_bodies[row.request]}
    if row.template.startswith("/api/v1/frameworks/platform/"):  # a file as the body
        return {"content": LADDER, "params": {"filename": "platform.tsv"}}
    if row.template.startswith("/api/v1/people/sync"):  # everyone, as on file: a dry run
        return {"content": PEOPLE}  # (params= would replace the row's query)
    sent: dict[str, Any] = {}
    if row.request in forms or (row.method == "POST" and not row.template.startswith("/api/")):
        sent["data"] = {**forms.get(row.request, {}), "csrf_token": csrf}
    if row.request in files:
        sent["files"] = files[row.request]
    return sent


def outcome(answer: Any) -> str:
    """yes: the rules let it through (done, or refused by the state it found: 409);
    no: 403 or 404; never: refused for what is asked, whoever asks (422);
    sign in: 401, or sent to the sign-in page to come back."""
    status, location = answer.status_code, answer.headers.get("location", "")
    if status == 401 or (status in (302, 303) and location.startswith("/login?next=")):
        return "sign in"
    if status in (403, 404):
        return "no"
    if status == 422:
        return "never"
    if status < 400 or status == 409:
        return "yes"
    return f"unexpected {status}: {answer.text[:300]}"


class Caller:
    """One role's client: signed in by session (and its CSRF token), or by token."""

    def __init__(self, app: Any, email: str | None, token: str | None = None) -> None:
        self.email = email
        self.client = TestClient(app, follow_redirects=False)
        self.csrf, self.token = "", token
        if token:
            self.client.headers["authorization"] = f"Bearer {token}"
        else:
            self.sign_in()

    def sign_in(self) -> None:
        self.client.cookies.clear()
        if self.email is None:
            return
        self.client.get("/login")
        login = self.client.cookies.get("skillgrid_login_csrf")
        form = {"email": self.email, "password": PASSWORD, "csrf_token": login}
        assert self.client.post("/login", data=form).status_code == 303
        page = self.client.get("/ladders").text
        self.csrf = page.split('name="csrf_token" value="')[1].split('"')[0]

    def ask(self, row: Row, make: Callable[[], Any]) -> str:
        csrf = self.csrf
        if row.request == "POST /login":  # as a browser that is not signed in
            self.client.cookies.clear()
            self.client.get("/login")
            csrf = self.client.cookies.get("skillgrid_login_csrf") or ""
        path = concrete(row.template, make)
        answer = self.client.request(row.method, path, **body(row, csrf, self.email))
        if row.request in ("POST /login", "POST /logout") and not self.token:
            self.sign_in()  # back to who this caller is, for the next rows
        return outcome(answer)


def test_the_table_names_every_route_and_only_routes() -> None:
    rows = table()
    assert len({row.request for row in rows}) == len(rows), "a request named twice"
    make: Callable[[], Any] = lambda: None  # noqa: E731 ({token}, {webhook} not made here)
    hit: dict[str, str] = {}
    for row in rows:
        template = row.template.replace("{token}", "1").replace("{webhook}", "1")
        template = template.replace("{invitee}", "invitee@x.org")
        template = template.replace("{movable}", "2026-H2")
        path = concrete(template, make).split("?")[0]
        for template, route in routes():  # the first route that answers it, as the app does
            if row.method in (route.methods or ()) and _matches(template, path):
                hit[row.request] = f"{row.method} {template}"
                break
        else:
            raise AssertionError(f"{row.request} in docs/concepts.md is no route")
    every = {f"{m} {template}" for template, route in routes() for m in route.methods or ()}
    missing = sorted(every - set(hit.values()))
    assert not missing, f"routes in no row of the table in docs/concepts.md: {missing}"


def _matches(template: str, path: str) -> bool:
    """Whether ``path`` is an instance of the route ``template`` ({name:path} spans /)."""
    pattern = re.sub(
        r"\\\{(\w+)(:path)?\\\}",
        lambda m: ".+" if m.group(2) else "[^/]+",
        re.escape(template),
    )
    return re.fullmatch(pattern, path) is not None


def test_every_route_answers_every_role_as_the_table_says(org) -> None:
    make, rows = org["make"], table()
    callers = {role: Caller(org["app"], email) for role, email in ROLES.items()}
    wrong = [
        f"{row.request} as {role}: {got}, not {row.expected[role]}"
        for row in rows
        if not row.by_token
        for role, caller in callers.items()
        if (got := caller.ask(row, make)) != row.expected[role]
    ]
    # then the API once more with tokens (a second pass, so each row finds what it found
    # the first time): alike, except where a "(by token)" row says otherwise
    tokens = {role: Caller(org["app"], e, org["tokens"][e]) for role, e in ROLES.items() if e}
    special = {row.request.removesuffix(" (by token)"): row for row in rows if row.by_token}
    for row in rows:
        if row.by_token or not row.template.startswith(("/api/", "/scim/")):
            continue
        expected = special.get(row.request, row).expected
        for role, caller in tokens.items():
            if (got := caller.ask(row, make)) != expected[role]:
                wrong.append(f"{row.request} as {role} by token: {got}, not {expected[role]}")
    assert not wrong, "\n".join(wrong)
