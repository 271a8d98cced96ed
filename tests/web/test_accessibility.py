"""Every page of the demo organisation passes the HTML accessibility checks
(tests/web/html_checks.py): labels, one h1, ordered headings, text alternatives, names.
The checks themselves are shown to fail on pages that break each rule."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from skillgrid.config import Settings
from skillgrid.domain.assessments import OPERATOR
from skillgrid.services.demo import DEMO_PASSWORD
from skillgrid.web.app import create_app
from tests.conftest import SEED, copy_of_demo
from tests.web.conftest import sign_in
from tests.web.html_checks import page_problems

ENGINEER, MANAGER, ADMIN = "eli@example.com", "bo@example.com", "admin@example.com"
TEAM = "/insight/SRE%20Platform"
PAGES = {
    None: ["/login", "/no-such-page"],
    ENGINEER: [
        "/",
        f"/people/{ENGINEER}/growth",
        f"/people/{ENGINEER}/assess/2026-H2/self",
        f"/people/{ENGINEER}/assess/2026-H1/manager",
        "/ladders",
        "/ladders/sre",
        "/ladders/sre?track=NET&step=2",
        "/ladders/sre/criteria/PO.1.1",
        "/ladders/sre/diff?from=1&to=2",
        "/evidence/suggest",
        "/account/password",
        "/account/tokens",
        "/people/ana@example.com/growth",  # not hers to see: the 404 page
    ],
    MANAGER: [
        "/",
        "/team",
        "/team?cycle=2026-H1",
        f"/people/{ENGINEER}/growth",
        f"/people/{ENGINEER}/assess/2026-H2/manager",
        "/insight",
        TEAM,
        f"{TEAM}?view=coverage",
        f"{TEAM}?view=calibration",
        f"{TEAM}?view=movement",
    ],
    ADMIN: [
        "/",
        "/admin",
        "/admin/audit",
        f"/admin/people/{MANAGER}",
        "/insight",
        "/insight?view=coverage",
        "/insight?view=calibration",
        "/insight?view=movement",
        f"/people/{ENGINEER}/assess/2026-H2/self",
    ],
}


@pytest.fixture(scope="module")
def demo_app(demo_database: Path, tmp_path_factory: pytest.TempPathFactory) -> object:
    """The demo organisation, with a second version of the ladder (for the diff page)."""
    from skillgrid.db.engine import make_engine, make_session_factory
    from skillgrid.db.unit_of_work import SqlAlchemyUnitOfWork
    from skillgrid.services import frameworks

    url = copy_of_demo(demo_database, tmp_path_factory.mktemp("a11y"))
    engine = make_engine(url)
    changed = SEED.read_bytes().replace(b"Can utilize", b"Can use")
    frameworks.import_framework(
        SqlAlchemyUnitOfWork(make_session_factory(engine)),
        changed,
        "sre-v2.tsv",
        "sre",
        actor=OPERATOR,
    )
    engine.dispose()
    return create_app(Settings(database_url=url, suggestion_backend="lexical"))


@pytest.fixture(scope="module")
def browsers(demo_app) -> Iterator[dict[str | None, TestClient]]:  # type: ignore[no-untyped-def]
    """A signed-in client per person (and one signed out)."""
    clients: dict[str | None, TestClient] = {}
    with TestClient(demo_app, follow_redirects=False) as first:  # runs the app's lifespan
        clients[None] = first
        for email in (ENGINEER, MANAGER, ADMIN):
            client = TestClient(demo_app, follow_redirects=False)
            assert sign_in(client, email, DEMO_PASSWORD).status_code == 303
            clients[email] = client
        yield clients


CASES = [(who, path) for who, paths in PAGES.items() for path in paths]


@pytest.mark.parametrize(("who", "path"), CASES, ids=[f"{w or 'anonymous'} {p}" for w, p in CASES])
def test_page_passes_the_html_checks(browsers, who: str | None, path: str) -> None:
    response = browsers[who].get(path)
    assert response.status_code in (200, 404), (path, response.status_code)
    assert "text/html" in response.headers["content-type"]
    assert page_problems(response.text) == []


def test_pages_made_by_forms_pass_the_html_checks(browsers) -> None:
    engineer = browsers[ENGINEER]
    csrf = _csrf(engineer.get("/evidence/suggest").text)
    text = "- Ran the postmortem of the DNS outage\n- Gave a talk on SLOs at SREcon"
    suggested = engineer.post("/evidence/suggest", data={"csrf_token": csrf, "text": text})
    assert suggested.status_code == 200 and 'name="choice-1"' in suggested.text
    assert page_problems(suggested.text) == []
    admin = browsers[ADMIN]
    csrf = _csrf(admin.get("/admin").text)
    preview = admin.post(
        "/admin/ladders/preview",
        data={"csrf_token": csrf, "name": "ops", "split": "auto"},
        files={"file": ("sre.tsv", SEED.read_bytes(), "text/tab-separated-values")},
    )
    assert preview.status_code == 200 and "Preview: ops" in preview.text
    assert page_problems(preview.text) == []
    changed = SEED.read_bytes().replace(b"Can utilize", b"Can employ")  # what it changes
    files = {"file": ("sre.tsv", changed, "text/tab-separated-values")}
    diffed = admin.post(
        "/admin/ladders/preview", data={"csrf_token": csrf, "name": "sre"}, files=files
    )
    assert diffed.status_code == 200 and '<section class="diff"' in diffed.text
    assert page_problems(diffed.text) == []


def _csrf(page: str) -> str:
    import re

    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


GOOD = (
    '<!doctype html><html lang="en"><head><meta name="viewport" '
    'content="width=device-width, initial-scale=1"></head><body>{}</body></html>'
)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("<h2>No h1</h2>", "0 h1 headings"),
        ("<h1>One</h1><h1>Two</h1>", "2 h1 headings"),
        ("<h1>T</h1><h3>Skipped</h3>", "heading h3 follows h1"),
        ('<h1>T</h1><input name="q">', "<input name='q'> has no label"),
        ('<h1>T</h1><label>Q</label><select name="s"></select>', "<select name='s'> has no label"),
        ('<h1>T</h1><img src="x.png">', "has no alt text"),
        ('<h1>T</h1><svg class="chart"><rect/></svg>', "<svg class='chart'> has no text"),
        ('<h1>T</h1><a href="/x"></a>', "link to '/x' has no text"),
        ("<h1>T</h1><button></button>", "a button has no text"),
        ('<h1>T</h1><p id="a"></p><p id="a"></p>', "id 'a' is used 2 times"),
    ],
)
def test_the_html_checks_find_each_kind_of_problem(body: str, problem: str) -> None:
    assert any(problem in found for found in page_problems(GOOD.format(body)))


def test_labelled_controls_and_named_charts_pass() -> None:
    body = (
        '<h1>T</h1><h2>S</h2><label for="q">Q</label><input id="q" name="q">'
        '<label><input type="checkbox" name="c"> C</label><select name="s" aria-label="S">'
        '</select><input type="hidden" name="h"><svg role="img" aria-label="Chart"></svg>'
        '<img src="x.png" alt=""><a href="/x"><img src="y.png" alt="Home"></a>'
    )
    assert page_problems(GOOD.format(body)) == []
    assert "no viewport" in page_problems("<html lang='en'><h1>T</h1></html>")[0]
