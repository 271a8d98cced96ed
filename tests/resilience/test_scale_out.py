"""Two app servers over one PostgreSQL behave as one (issue 12): each is started as
``python -m skillgrid serve`` on a port of its own, as on separate hosts (B with two
workers, so three app processes in all), and whatever is done through one is seen at once
through the other — sessions, ratings and their revisions, API tokens, sign-in throttling,
deactivation.

A browser behind a round-robin load balancer keeps one set of cookies and each of its
requests may land on either server; :class:`Browser` is that browser, with the server
named on every request. No answer may be a 5xx: :meth:`Browser.send` fails the test with
the server's log when one is."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import httpx2
import pytest
from sqlalchemy import create_engine, text

from skillgrid.domain.assessments import OPERATOR
from tests.conftest import POSTGRES_URL
from tests.resilience.harness import free_port

pytestmark = pytest.mark.skipif(
    not POSTGRES_URL,
    reason="SKILLGRID_TEST_DATABASE_URL not set: several app servers need one PostgreSQL",
)

SRC = Path(__file__).parents[2] / "src"  # this checkout's code, in the servers too
PASSWORD = "correct horse battery"
CYCLE = "2026-H2"
ADDRESS_LIMIT = 3  # failed sign-ins per client address in 15 minutes, on both servers
PEOPLE = (
    b"name,email,team,manager_email,role\n"
    b"Bo,bo@x.org,SRE,,manager\n"
    b"Ana,ana@x.org,SRE,bo@x.org,engineer\n"
    b"Cy,cy@x.org,SRE,bo@x.org,engineer\n"
    b"Di,di@x.org,SRE,bo@x.org,engineer\n"
    b"Ex,ex@x.org,SRE,bo@x.org,engineer\n"
)
SESSION = "skillgrid_session"
LOGIN_CSRF = "skillgrid_login_csrf"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Server:
    """One app server: its port and the file its stderr goes to."""

    name: str
    port: int
    log: Path

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def log_tail(self) -> str:
        lines = self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-40:]
        return f"--- server {self.name} (port {self.port}), its last log lines ---\n" + "\n".join(
            lines
        )


Process = subprocess.Popen[bytes]


@dataclass(frozen=True)
class Cluster:
    """Servers A and B, and units of work on their database for the test process."""

    a: Server
    b: Server
    make: Callable[[], Any]


@dataclass
class Browser:
    """One browser: one cookie jar for both servers (as for one host name behind a load
    balancer) and, when given, the client address a trusted proxy forwards for it."""

    address: str | None = None
    cookies: dict[str, str] = field(default_factory=dict)
    http: httpx2.Client = field(default_factory=lambda: httpx2.Client(timeout=10))

    def send(self, server: Server, method: str, path: str, **kwargs: Any) -> httpx2.Response:
        headers = dict(kwargs.pop("headers", {}))
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.address:
            headers["X-Forwarded-For"] = self.address
        response = self.http.request(method, server.url(path), headers=headers, **kwargs)
        self.http.cookies.clear()  # the jar is ``self.cookies``, kept by hand below
        for header in response.headers.get_list("set-cookie"):
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        assert response.status_code < 500, (
            f"{method} {path} on {server.name}: {response.status_code}\n{server.log_tail()}"
        )
        return response

    def get(self, server: Server, path: str, **kwargs: Any) -> httpx2.Response:
        return self.send(server, "GET", path, **kwargs)

    def sign_in(
        self,
        form_from: Server,
        post_to: Server,
        email: str,
        password: str = PASSWORD,
        headers: dict[str, str] | None = None,
    ) -> httpx2.Response:
        """The sign-in form from one server, posted to another (a round-robin balancer may
        do just that)."""
        assert self.get(form_from, "/login").status_code == 200
        fields = {"email": email, "password": password, "csrf_token": self.cookies[LOGIN_CSRF]}
        return self.send(post_to, "POST", "/login", data=fields, headers=headers or {})

    def csrf(self, server: Server) -> str:
        """The session's CSRF token, from the sign-out form of a page served by ``server``."""
        page = self.get(server, "/ladders")
        assert page.status_code == 200, page.status_code
        found = CSRF_FIELD.search(page.text)
        assert found is not None
        return found.group(1)

    def close(self) -> None:
        self.http.close()


def _build(url: str) -> tuple[Callable[[], Any], Any]:
    """A fresh schema with the SRE ladder, five people with accounts and an open cycle,
    made through the services in this process; a unit-of-work factory on it, and its
    engine (to dispose of)."""
    from skillgrid.db.engine import make_engine, make_session_factory
    from skillgrid.db.migrate import upgrade
    from skillgrid.db.unit_of_work import SqlAlchemyUnitOfWork
    from skillgrid.services import accounts, cycles, frameworks, people_import

    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    admin.dispose()
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)

    def make() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(factory)

    frameworks.install_builtin(make(), actor=OPERATOR)
    people_import.import_people(make(), PEOPLE, "people.csv", actor=OPERATOR)
    for email in ("bo@x.org", "ana@x.org", "cy@x.org", "di@x.org", "ex@x.org"):
        accounts.add_user(make(), email, PASSWORD, actor=OPERATOR)
    cycles.open_cycle(make(), CYCLE, "sre", actor=OPERATOR)
    return make, engine


def _start(name: str, url: str, workers: int, folder: Path) -> tuple[Server, Process]:
    """``python -m skillgrid serve`` on a free port, running this checkout's code."""
    port = free_port()
    log = folder / f"server-{name}.log"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])),
        "SKILLGRID_DATABASE_URL": url,
        "SKILLGRID_SIGN_IN_ADDRESS_LIMIT": str(ADDRESS_LIMIT),
        "SKILLGRID_TRUSTED_PROXIES": "127.0.0.1",  # the load balancer, as in production
        "SKILLGRID_SUGGESTION_BACKEND": "lexical",  # no model to load at start
        "SKILLGRID_LOG_FORMAT": "text",
        "SKILLGRID_LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "skillgrid", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", str(workers)]
    with log.open("wb") as stderr:
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    return Server(name, port, log), process


def _wait_ready(server: Server, process: Process, timeout: float = 30) -> None:
    """Until /readyz answers 200 (database reached, schema current)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server {server.name} exited ({process.returncode})\n{server.log_tail()}")
        try:
            if httpx2.get(server.url("/readyz"), timeout=1).status_code == 200:
                return
        except httpx2.TransportError:
            pass
        time.sleep(0.05)
    pytest.fail(f"server {server.name} not ready after {timeout} s\n{server.log_tail()}")


def _stop(process: Process) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def cluster(
    postgres_server: str | None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    """Servers A (one worker) and B (two workers) on one fresh PostgreSQL schema."""
    assert postgres_server is not None
    make, engine = _build(postgres_server)
    folder = tmp_path_factory.mktemp("scale-out")
    started: list[tuple[Server, Process]] = []
    try:
        for name, workers in (("A", 1), ("B", 2)):  # both start at once
            started.append(_start(name, postgres_server, workers, folder))
        for server, process in started:
            _wait_ready(server, process)
        yield Cluster(started[0][0], started[1][0], make)
    finally:
        for _, process in started:
            _stop(process)
        engine.dispose()


@pytest.fixture
def browser() -> Iterator[Browser]:
    made = Browser()
    yield made
    made.close()


def test_session_made_on_one_server_is_accepted_by_the_other_and_signing_out_there_ends_it(
    cluster: Cluster, browser: Browser
) -> None:
    a, b = cluster.a, cluster.b
    signed = browser.sign_in(form_from=b, post_to=a, email="ana@x.org")
    assert signed.status_code == 303 and SESSION in browser.cookies
    session = browser.cookies[SESSION]

    me = browser.get(b, "/api/v1/me")
    assert me.status_code == 200 and me.json()["email"] == "ana@x.org"
    assert browser.csrf(b) == browser.csrf(a)  # the session's CSRF token lives with it

    signed_out = browser.send(b, "POST", "/logout", data={"csrf_token": browser.csrf(b)})
    assert signed_out.status_code == 303 and SESSION not in browser.cookies

    browser.cookies[SESSION] = session  # a copy of the old cookie, replayed on A
    assert browser.get(a, "/api/v1/me").status_code == 401
    page = browser.get(a, "/ladders")
    assert page.status_code == 303 and page.headers["location"].startswith("/login")


def test_rating_saved_through_one_is_read_at_once_through_the_other_and_a_stale_write_gets_409(
    cluster: Cluster, browser: Browser
) -> None:
    a, b = cluster.a, cluster.b
    assert browser.sign_in(a, a, "cy@x.org").status_code == 303
    path = f"/api/v1/people/cy@x.org/assessments/{CYCLE}/self"
    self_column = f"Self ({CYCLE})"  # the growth page's column for a self-assessment
    assert self_column not in browser.get(b, "/people/cy@x.org/growth").text

    saved = browser.send(
        a, "PUT", path, json={"revision": 0, "ratings": {"NET.1.1": {"rating": "meets"}}}
    )
    assert saved.status_code == 200 and saved.json()["revision"] == 1

    read = browser.get(b, path).json()
    assert read["revision"] == 1
    assert read["ratings"]["NET.1.1"]["rating"] == "meets"
    growth = browser.get(b, "/people/cy@x.org/growth")
    assert growth.status_code == 200 and self_column in growth.text

    stale = browser.send(
        b, "PUT", path, json={"revision": 0, "ratings": {"NET.1.1": {"rating": "exceeds"}}}
    )
    assert stale.status_code == 409 and "revision" in stale.json()["detail"]
    kept = browser.get(a, path).json()
    assert kept["revision"] == 1 and kept["ratings"]["NET.1.1"]["rating"] == "meets"

    fresh = browser.send(
        b, "PUT", path, json={"revision": 1, "ratings": {"NET.1.1": {"rating": "exceeds"}}}
    )
    assert fresh.status_code == 200 and fresh.json()["revision"] == 2
    assert browser.get(a, path).json()["ratings"]["NET.1.1"]["rating"] == "exceeds"


def test_api_token_made_through_one_server_works_on_the_other_and_revoking_it_there_stops_it(
    cluster: Cluster, browser: Browser
) -> None:
    a, b = cluster.a, cluster.b
    assert browser.sign_in(a, a, "di@x.org").status_code == 303
    made = browser.send(a, "POST", "/api/v1/tokens", json={"name": "scale-out"})
    assert made.status_code == 201
    bearer = {"Authorization": f"Bearer {made.json()['token']}"}
    script = Browser()  # a script: the token and no cookies
    try:
        me = script.get(b, "/api/v1/me", headers=bearer)
        assert me.status_code == 200 and me.json()["email"] == "di@x.org"

        revoked = browser.send(b, "DELETE", f"/api/v1/tokens/{made.json()['id']}")
        assert revoked.status_code == 204
        assert script.get(a, "/api/v1/me", headers=bearer).status_code == 401
        assert script.get(b, "/api/v1/me", headers=bearer).status_code == 401
    finally:
        script.close()
    listed = browser.get(a, "/api/v1/tokens").json()
    assert [t["revoked"] for t in listed if t["id"] == made.json()["id"]] == [True]


def test_failed_sign_ins_spread_over_both_servers_count_together(cluster: Cluster) -> None:
    a, b = cluster.a, cluster.b
    # a client address of its own, forwarded by the trusted proxy (127.0.0.1), so the
    # other tests' sign-ins count elsewhere; unknown emails, so no account is slowed
    browser = Browser(address="203.0.113.7")
    try:
        for number, server in enumerate([a, b, a]):
            failed = browser.sign_in(server, server, f"nobody{number}@x.org", "wrong password")
            assert failed.status_code == 401, (server.name, failed.status_code)

        for server in (b, a):  # either server refuses now, even the right password
            json = {"Accept": "application/json"}
            throttled = browser.sign_in(server, server, "bo@x.org", headers=json)
            assert throttled.status_code == 429, (server.name, throttled.status_code)
            wait = int(throttled.headers["Retry-After"])
            assert 1 <= wait <= 15 * 60 and throttled.json()["retry_after"] == wait
            assert SESSION not in browser.cookies
    finally:
        browser.close()

    elsewhere = Browser(address="203.0.113.8")  # another client is not held up
    try:
        assert elsewhere.sign_in(b, a, "bo@x.org").status_code == 303
    finally:
        elsewhere.close()


def test_person_deactivated_is_refused_at_once_by_both_servers(
    cluster: Cluster, browser: Browser
) -> None:
    from skillgrid.services.people import change_person

    a, b = cluster.a, cluster.b
    assert browser.sign_in(a, a, "ex@x.org").status_code == 303
    made = browser.send(b, "POST", "/api/v1/tokens", json={"name": "scale-out"})
    assert made.status_code == 201
    bearer = {"Authorization": f"Bearer {made.json()['token']}"}
    script = Browser()
    try:
        for server in (a, b):
            assert browser.get(server, "/api/v1/me").status_code == 200
            assert script.get(server, "/api/v1/me", headers=bearer).status_code == 200

        # an admin's change, as `skillgrid person update ex@x.org --inactive` makes it: a
        # third process on the same database
        change_person(cluster.make(), "ex@x.org", active=False, actor=OPERATOR)

        for server in (a, b):
            assert browser.get(server, "/api/v1/me").status_code == 401, server.name
            assert browser.get(server, "/ladders").status_code == 303, server.name
            assert script.get(server, "/api/v1/me", headers=bearer).status_code == 401
        again = Browser(address="203.0.113.9")  # its failures counted apart
        try:
            for server in (a, b):
                assert again.sign_in(server, server, "ex@x.org").status_code == 401
        finally:
            again.close()
    finally:
        script.close()
