"""Pages and API answers kept in memory per caller: served again only while the caller's
session or token is live and no data has changed, by this process or any other."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from skillgrid.config import Settings
from skillgrid.domain.assessments import OPERATOR, Entry
from skillgrid.services import accounts, assessments, people
from skillgrid.web import deps, response_cache
from skillgrid.web.app import create_app
from tests.unit.test_leveling import through
from tests.web.conftest import PASSWORD, sign_in
from tests.web.test_growth import finalize

GROWTH = "/people/ana@x.org/growth"


def kept(client: TestClient, result: str) -> float:
    counter = client.app.state.metrics.kept  # type: ignore[attr-defined]
    return float(counter.labels(result)._value.get())


def overall_on_page(client: TestClient) -> str:
    page = client.get(GROWTH)
    assert page.status_code == 200
    return page.text.split("Overall level <strong>", 1)[1][:1]


def test_the_session_cookie_is_read_under_one_name() -> None:
    assert response_cache.SESSION_COOKIE == deps.SESSION_COOKIE


def test_a_repeated_page_is_answered_from_memory_with_a_validator(app_client, uow_factory) -> None:
    finalize(uow_factory, through(3))
    sign_in(app_client)
    first = app_client.get(GROWTH)
    again = app_client.get(GROWTH)
    assert first.text == again.text and kept(app_client, "hit") == 1
    assert again.headers["cache-control"] == "private, no-cache"
    assert again.headers["content-security-policy"]  # the outer layers still answer
    etag = again.headers["etag"]
    unchanged = app_client.get(GROWTH, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b""


def test_a_change_made_elsewhere_shows_on_the_next_request(app_client, uow_factory) -> None:
    # uow_factory has its own engine: the change comes as from another app process or the CLI
    finalize(uow_factory, through(3))
    sign_in(app_client)
    assert overall_on_page(app_client) == "3"
    etag = app_client.get(GROWTH).headers["etag"]
    assessments.reopen(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "manager")
    lower = {cid: Entry(rating) for cid, rating in through(1).items()}
    assessments.rate(
        uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "manager", lower, replace_all=True
    )
    assessments.finalize(uow_factory(), OPERATOR, "ana@x.org", "2026-H2")
    assert overall_on_page(app_client) == "1"
    assert app_client.get(GROWTH, headers={"If-None-Match": etag}).status_code == 200


def test_signing_out_ends_what_was_kept_for_the_session(app_client, uow_factory) -> None:
    finalize(uow_factory, through(3))
    sign_in(app_client)
    cookie = app_client.cookies.get("skillgrid_session")
    assert app_client.get(GROWTH).status_code == 200
    csrf = app_client.get(GROWTH).text.split('name="csrf_token" value="', 1)[1].split('"')[0]
    app_client.post("/logout", data={"csrf_token": csrf})
    app_client.cookies.set("skillgrid_session", cookie)  # a copy of the old cookie
    assert app_client.get(GROWTH).status_code == 303


def test_an_expired_session_is_not_answered_from_memory(
    app_client, uow_factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    finalize(uow_factory, through(3))
    sign_in(app_client)
    assert app_client.get(GROWTH).status_code == 200
    later = response_cache.clock() + 400 * 24 * 3600
    monkeypatch.setattr(response_cache, "clock", lambda: later)
    answer = app_client.get(GROWTH)
    assert kept(app_client, "hit") == 0 and kept(app_client, "stale") == 1
    assert answer.status_code in (200, 303)  # the routes decide, on the session's own clock


def test_a_deactivated_person_gets_nothing_kept(app_client, uow_factory) -> None:
    finalize(uow_factory, through(3))
    sign_in(app_client)
    assert app_client.get(GROWTH).status_code == 200
    people.update_person(uow_factory(), "ana@x.org", active=False)
    assert app_client.get(GROWTH).status_code == 303


def test_one_callers_answer_is_never_given_to_another(app_client, uow_factory) -> None:
    finalize(uow_factory, through(3))
    accounts.add_user(uow_factory(), "bo@x.org", PASSWORD)
    sign_in(app_client, "bo@x.org")  # Ana's manager may see her growth
    assert "Bo" in app_client.get(GROWTH).text
    app_client.cookies.clear()
    sign_in(app_client, "ana@x.org")
    page = app_client.get(GROWTH)
    assert kept(app_client, "hit") == 0 and page.context is not None  # rendered, not replayed


def test_a_revoked_token_gets_401_not_the_kept_answer(app_client, uow_factory) -> None:
    finalize(uow_factory, through(3))
    token_id, token = accounts.create_token(uow_factory(), "ana@x.org", "script")
    bearer = {"Authorization": f"Bearer {token}"}
    assert app_client.get("/api/v1/people/ana@x.org/results", headers=bearer).status_code == 200
    assert app_client.get("/api/v1/people/ana@x.org/results", headers=bearer).status_code == 200
    assert kept(app_client, "hit") == 1
    accounts.revoke_token(uow_factory(), "ana@x.org", token_id)
    assert app_client.get("/api/v1/people/ana@x.org/results", headers=bearer).status_code == 401


def test_forbidden_answers_are_not_kept(app_client, uow_factory) -> None:
    sign_in(app_client)
    for _ in range(2):
        assert app_client.get("/people/bo@x.org/growth").status_code == 404
    assert kept(app_client, "hit") == 0


def test_keeping_can_be_turned_off(app_client, database_url: str, uow_factory) -> None:
    finalize(uow_factory, through(3))
    app = create_app(Settings(database_url=database_url, response_cache_mb=0))
    with TestClient(app, follow_redirects=False) as client:
        sign_in(client)
        answers = [client.get(GROWTH) for _ in range(2)]
        assert all(a.status_code == 200 and "etag" not in a.headers for a in answers)
        assert kept(client, "hit") == kept(client, "miss") == 0


def test_identical_requests_at_once_are_computed_once(
    app_client, database_url: str, uow_factory
) -> None:
    import asyncio

    import httpx2 as httpx

    finalize(uow_factory, through(3))
    sign_in(app_client)
    cookie = app_client.cookies.get("skillgrid_session")
    app = app_client.app

    async def many() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://testserver",
            cookies={"skillgrid_session": cookie},
        ) as client:
            return await asyncio.gather(*(client.get(GROWTH) for _ in range(10)))

    answers = asyncio.run(many())
    assert {a.status_code for a in answers} == {200}
    assert len({a.text for a in answers}) == 1
    assert kept(app_client, "miss") == 1 and kept(app_client, "hit") == 9


def test_an_answer_too_big_to_keep_is_still_given_whole(
    app_client, database_url: str, uow_factory
) -> None:
    finalize(uow_factory, through(3))
    app = create_app(Settings(database_url=database_url, response_cache_mb=1))
    with TestClient(app, follow_redirects=False) as client:
        sign_in(client)  # the middleware stack is built by the first request
        cache = _cache_of(client)
        cache.store = type(cache.store)(maxsize=2000, getsizeof=cache.store.getsizeof)
        answers = [client.get(GROWTH) for _ in range(2)]
        assert all(a.status_code == 200 and "Overall level" in a.text for a in answers)
        assert kept(client, "hit") == 0 and len(cache.store) == 0


def test_static_files_and_health_checks_are_never_looked_up(app_client) -> None:
    sign_in(app_client)
    assert app_client.get("/static/app.css").status_code == 200
    assert app_client.get("/healthz").status_code == 200
    assert kept(app_client, "miss") == kept(app_client, "hit") == 0


def test_a_second_authorization_header_cannot_plant_an_answer(app_client, uow_factory) -> None:
    finalize(uow_factory, through(3))
    _, token = accounts.create_token(uow_factory(), "ana@x.org", "script")
    url = "/api/v1/people/ana@x.org/results"
    planted = [("authorization", f"Bearer {token}"), ("authorization", "Bearer made-up")]
    assert app_client.get(url, headers=planted).status_code == 200
    assert app_client.get(url, headers={"Authorization": "Bearer made-up"}).status_code == 401


def test_answers_are_kept_per_host(app_client, uow_factory) -> None:
    finalize(uow_factory, through(3))
    sign_in(app_client)
    app_client.get(GROWTH)
    app_client.get(GROWTH, headers={"Host": "other.example"})
    assert kept(app_client, "hit") == 0 and kept(app_client, "miss") == 2


def _cache_of(client: TestClient) -> response_cache.ResponseCache:
    layer = client.app.middleware_stack  # type: ignore[attr-defined]
    while not isinstance(layer, response_cache.ResponseCache):
        layer = layer.app
    return layer
