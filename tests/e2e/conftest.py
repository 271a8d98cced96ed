"""The real server in a real browser: uvicorn on a free loopback port over a SQLite file,
driven by Playwright in Debian's Chromium (never a downloaded browser)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from skillgrid.domain.assessments import OPERATOR

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parent / "screenshots"
PASSWORD = "correct horse battery"
PEOPLE = (
    b"name,email,team,manager_email,role\n"
    b"Bo Chen,bo@x.org,SRE,,manager\nAna Lima,ana@x.org,SRE,bo@x.org,engineer\n"
    b"Cy Diaz,cy@x.org,SRE,bo@x.org,engineer\n"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(organisation(tmp_path_factory)) as base:
        yield base


def organisation(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite file with the SRE ladder, Bo managing Ana and Cy (each with an account and
    ``PASSWORD``), an open cycle and a team target: its URL."""
    from skillgrid.db.engine import make_engine, make_session_factory
    from skillgrid.db.migrate import upgrade
    from skillgrid.db.unit_of_work import SqlAlchemyUnitOfWork
    from skillgrid.services import accounts, cycles, frameworks, people_import

    database = tmp_path_factory.mktemp("e2e") / "skillgrid.db"
    url = f"sqlite:///{database}"
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(factory)

    frameworks.install_builtin(uow(), actor=OPERATOR)
    people_import.import_people(uow(), PEOPLE, "people.csv", actor=OPERATOR)
    for email in ("ana@x.org", "bo@x.org", "cy@x.org"):
        accounts.add_user(uow(), email, PASSWORD, actor=OPERATOR)
    accounts.add_user(uow(), "root@x.org", PASSWORD, admin=True, actor=OPERATOR)
    cycles.open_cycle(uow(), "2026-H2", "sre", actor=OPERATOR)
    from skillgrid.domain.insight import Target
    from skillgrid.services import targets

    targets.set_target(uow(), Target("SRE", "sre", "CW", 1, 2), actor=OPERATOR)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def demo_server(demo_database: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The server on a copy of the demo organisation (password ``DEMO_PASSWORD``)."""
    from tests.conftest import copy_of_demo

    with serving(copy_of_demo(demo_database, tmp_path_factory.mktemp("e2e-demo"))) as base:
        yield base


@contextlib.contextmanager
def serving(url: str, port: int | None = None, **env: str) -> Iterator[str]:
    """uvicorn on a loopback port (a free one unless given) over the database at ``url``,
    with more settings in ``env``; its base address."""
    port = port or free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "skillgrid.web.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env={**os.environ, "SKILLGRID_DATABASE_URL": url, **env},
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium; every browser test is skipped where it is not installed (a
    ``pytestmark`` here would not reach the test modules)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield launched
        launched.close()


@pytest.fixture
def page_for(browser, server):  # type: ignore[no-untyped-def]
    """A fresh browser context signed in as someone; screenshots land in e2e/screenshots."""
    with signed_in_pages(browser, server, PASSWORD) as open_as:
        yield open_as


@contextlib.contextmanager
def signed_in_pages(browser, server: str, password: str, width: int = 1280, height: int = 900):  # type: ignore[no-untyped-def]
    """``open_as(email)``: a page in a new browser context, signed in (None: signed out)."""
    contexts = []

    def open_as(email: str | None):  # type: ignore[no-untyped-def]
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{server}/login")
        if email is not None:
            page.get_by_label("Email").fill(email)
            page.get_by_label("Password").fill(password)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{server}/**")
        return page

    try:
        yield open_as
    finally:
        for context in contexts:
            context.close()


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
