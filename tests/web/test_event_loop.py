"""Nothing blocks the event loop: every route that reads the database, a file or a model is
a plain ``def`` (FastAPI runs it in its thread pool; an API route's, through ``one_hop``),
and a running server answers its health check at once while a slow request is being
served."""

from __future__ import annotations

import inspect
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest

from skillgrid.domain.assessments import OPERATOR
from skillgrid.services import accounts, frameworks
from skillgrid.web.api.json_body import one_hop
from skillgrid.web.app import routes

# The only routes that may run on the event loop: they touch no database, file or model.
ON_THE_LOOP = {
    ("GET", "/healthz"),  # answers from memory: the liveness check
    ("GET", "/login"),  # the sign-in form (the session check ran off the loop)
}
IN_THE_POOL = one_hop(lambda: None).__code__  # what an API route's plain def is run by


def _on_the_loop(endpoint) -> bool:  # type: ignore[no-untyped-def]
    """Whether a route's own code runs on the event loop: a coroutine, but not one_hop's,
    which runs the plain ``def`` it wraps in the thread pool."""
    return inspect.iscoroutinefunction(endpoint) and endpoint.__code__ is not IN_THE_POOL


def test_only_routes_that_touch_nothing_run_on_the_event_loop() -> None:
    every = routes()
    assert len(every) > 40
    on_loop = {
        (method, path)
        for path, route in every
        if _on_the_loop(route.endpoint)
        for method in route.methods
    }
    assert on_loop <= ON_THE_LOOP, f"async routes that may block the loop: {on_loop - ON_THE_LOOP}"
    for _, route in every:
        for dependency in route.dependant.dependencies:
            _no_blocking_async_dependency(dependency)


def _no_blocking_async_dependency(dependant) -> None:  # type: ignore[no-untyped-def]
    """Async dependencies only read the request (no I/O of their own): the form, an
    uploaded file's bytes (up to the upload limit), the caller's unit of work."""
    allowed = {"get_uow", "form_fields", "caller", "_read_body"}
    if dependant.call is not None and inspect.iscoroutinefunction(dependant.call):
        assert dependant.call.__name__ in allowed, dependant.call
    for inner in dependant.dependencies:
        _no_blocking_async_dependency(inner)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """``skillgrid serve`` on a SQLite file with the SRE ladder and one account."""
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    from skillgrid.db.engine import make_engine, make_session_factory
    from skillgrid.db.migrate import upgrade
    from skillgrid.db.unit_of_work import SqlAlchemyUnitOfWork

    engine = make_engine(url)
    upgrade(engine)
    make = make_session_factory(engine)
    frameworks.install_builtin(SqlAlchemyUnitOfWork(make), actor=OPERATOR)
    accounts.add_user(
        SqlAlchemyUnitOfWork(make), "ana@x.org", "correct horse battery", actor=OPERATOR
    )
    engine.dispose()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "SKILLGRID_DATABASE_URL": url,
        "SKILLGRID_LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "skillgrid", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        token = _token(base)
        yield base, token
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server stopped"
        try:
            httpx.get(f"{base}/healthz", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("the server did not start")


def _token(base: str) -> str:
    with httpx.Client(base_url=base) as client:
        client.get("/login")
        client.post(
            "/login",
            data={
                "email": "ana@x.org",
                "password": "correct horse battery",
                "csrf_token": client.cookies["skillgrid_login_csrf"],
            },
        )
        made = client.post("/api/v1/tokens", json={"name": "loop test"})
        return str(made.json()["token"])


def test_health_answers_at_once_while_a_slow_request_runs(server) -> None:
    base, token = server
    detail = " ".join(f"Checked resolver {k} against the failover runbook." for k in range(7))
    lines = [f"- Site {n}: rotated the TLS certificates and {detail}" for n in range(160)]
    body = {"framework": "sre", "text": "\n".join(lines)}
    slow: dict[str, object] = {}

    def suggest() -> None:
        started = time.perf_counter()
        answer = httpx.post(
            f"{base}/api/v1/suggestions",
            json=body,
            headers={"Authorization": f"Bearer {token}"},
            timeout=300,
        )
        slow.update(status=answer.status_code, seconds=time.perf_counter() - started)

    worker = threading.Thread(target=suggest)
    worker.start()
    time.sleep(0.3)  # the slow request is being served
    latencies = []
    with httpx.Client(base_url=base) as client:
        while worker.is_alive() and len(latencies) < 40:
            started = time.perf_counter()
            answer = client.get("/healthz")
            assert answer.status_code == 200
            assert "server" not in answer.headers  # no software banner (a probe of #13)
            latencies.append(time.perf_counter() - started)
            time.sleep(0.01)
    still_running = worker.is_alive()
    worker.join()
    assert slow["status"] == 200
    assert still_running and len(latencies) == 40, (
        f"the slow request took only {slow['seconds']:.2f} s: make it slower"
    )
    # The request runs in a thread; the loop waits only for the interpreter lock, which a
    # thread hands over every 5 ms. A blocked loop would make each check wait seconds.
    assert statistics.median(latencies) < 0.050, latencies
    assert max(latencies) < 0.5, latencies
