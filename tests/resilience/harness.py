"""Real servers for the crash and concurrency tests: an organisation to work on, uvicorn
processes over a database URL, and a small HTTP client per thread (stdlib only)."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from skillgrid.domain.assessments import OPERATOR

PASSWORD = "correct horse battery"
ADMIN = "admin@x.org"
BOSS = "boss@x.org"
CYCLE = "2026-H2"
LAUNCHER = Path(__file__).with_name("launcher.py")


@dataclass(frozen=True)
class Org:
    """What the clients need: an admin API token, a signed-in admin web session, the
    criterion ids of the cycle's ladder and the engineers' emails."""

    token: str
    cookie: str
    csrf: str
    criteria: tuple[str, ...]
    engineers: tuple[str, ...]


def build_org(url: str, engineers: int) -> Org:
    """The SRE ladder, a manager with ``engineers`` reports, an open cycle, an admin."""
    from skillgrid.db.engine import make_engine, make_session_factory
    from skillgrid.db.migrate import upgrade
    from skillgrid.db.unit_of_work import SqlAlchemyUnitOfWork
    from skillgrid.services import accounts, cycles, frameworks, people_import
    from skillgrid.services.sign_in import Attempt, sign_in

    engine = make_engine(url)
    try:
        upgrade(engine)
        factory = make_session_factory(engine)

        def make() -> SqlAlchemyUnitOfWork:
            return SqlAlchemyUnitOfWork(factory)

        ladder = frameworks.install_builtin(make(), actor=OPERATOR).framework
        emails = tuple(f"e{i:04d}@x.org" for i in range(engineers))
        csv = "name,email,team,manager_email,role\nBoss,boss@x.org,SRE,,manager\n" + "".join(
            f"E {e},{e},SRE,{BOSS},engineer\n" for e in emails
        )
        people_import.import_people(make(), csv.encode(), "people.csv", actor=OPERATOR)
        accounts.add_user(make(), ADMIN, PASSWORD, admin=True, actor=OPERATOR)
        _, token = accounts.create_token(make(), ADMIN, "tests")
        signed = sign_in(make(), Attempt(ADMIN, PASSWORD, "127.0.0.1"))
        cookie, web_session = signed.token, signed.session
        cycles.open_cycle(make(), CYCLE, "sre", actor=OPERATOR)
        ids = tuple(c.id for c in ladder.criteria)
        return Org(token, cookie, web_session.csrf_token, ids, emails)
    finally:
        engine.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                connection.close()
                return
        except OSError:
            pass
        time.sleep(0.01)
    raise TimeoutError(f"no server on port {port} after {timeout} s")


def uvicorn_process(url: str, port: int) -> subprocess.Popen[bytes]:
    """One app process (``python -m uvicorn``), as deployed."""
    command = [sys.executable, "-m", "uvicorn", "skillgrid.web.app:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "critical"]
    return subprocess.Popen(command, env={**os.environ, "SKILLGRID_DATABASE_URL": url})


class Launcher:
    """A process that has imported the app once and forks a fresh server on demand, so a
    restart after SIGKILL costs milliseconds instead of a Python start-up."""

    def __init__(self, url: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(LAUNCHER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "SKILLGRID_DATABASE_URL": url},
            text=True,
        )

    def _ask(self, line: str) -> str:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return self.process.stdout.readline().strip()

    def serve(self, port: int, probe: Path) -> int:
        """Fork a server on ``port`` that keeps ``probe`` up to date (see launcher.py);
        its pid."""
        if not probe.exists():
            probe.write_bytes(b"-".ljust(256))
        with probe.open("r+b") as handle:  # in place: a reader may have it mapped
            handle.write(b"-".ljust(256))
        return int(self._ask(f"serve {port} {probe}"))

    def reap(self, pid: int) -> None:
        """Wait until the (killed) server is gone."""
        assert self._ask(f"reap {pid}") == "ok"

    def close(self) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        self.process.wait(timeout=10)
        self.process.stdout.close()


class Client:
    """One keep-alive HTTP connection to a server, with the admin's credentials."""

    def __init__(self, port: int, org: Org, timeout: float = 10.0) -> None:
        self.port, self.org, self.timeout = port, org, timeout
        self.connection: http.client.HTTPConnection | None = None

    def _send(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> Any:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=self.timeout
            )
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = None
            raise
        return response.status, data

    def api(self, method: str, path: str, payload: Any = None) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.org.token}"}
        body = None
        if payload is not None:
            body = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        status, data = self._send(method, f"/api/v1{path}", body, headers)
        try:
            return status, json.loads(data) if data else None
        except ValueError:
            return status, data

    def form(self, path: str, fields: dict[str, str]) -> int:
        """A page form post as the signed-in admin (cookie and CSRF token)."""
        headers = {
            "Cookie": f"skillgrid_session={self.org.cookie}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        body = urlencode({**fields, "csrf_token": self.org.csrf}).encode()
        status, _ = self._send("POST", path, body, headers)
        return int(status)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def assessment_path(email: str, rater: str, cycle: str = CYCLE) -> str:
    return f"/people/{quote(email)}/assessments/{quote(cycle)}/{quote(rater)}"
