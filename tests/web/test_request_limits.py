"""Oversized uploads and bodies are refused early (413) on every upload path, with or
without a Content-Length; odd characters in a path are a clean 4xx on both databases."""

from __future__ import annotations

from collections.abc import Iterator

from skillgrid.web.security import MAX_BODY
from tests.web.conftest import sign_in
from tests.web.test_admin_pages import csrf

UPLOADS = ("/admin/ladders/preview", "/admin/people")


def test_uploads_over_the_limit_are_refused_with_413(app_client) -> None:
    sign_in(app_client, "root@x.org")
    token = csrf(app_client.get("/admin").text)
    huge = b"Level,Ops\n" + b"1,x\n" * (MAX_BODY // 4)
    for path in UPLOADS:
        refused = app_client.post(
            path,
            data={"csrf_token": token, "name": "ops"},
            files={"file": ("big.csv", huge, "text/csv")},
        )
        assert refused.status_code == 413, path
        assert "8 MB" in refused.json()["detail"]


def test_a_file_over_5_mb_inside_the_body_limit_is_explained(app_client) -> None:
    sign_in(app_client, "root@x.org")
    token = csrf(app_client.get("/admin").text)
    six_mb = b"Level,Ops\n" + b"1,x\n" * (6 * 1024 * 1024 // 4)
    for path in UPLOADS:
        refused = app_client.post(
            path,
            data={"csrf_token": token, "name": "ops"},
            files={"file": ("big.csv", six_mb, "text/csv")},
        )
        assert refused.status_code == 422, path
        assert "over 5 MB" in refused.text


def chunks(total: int, size: int = 1024 * 1024) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        yield b"x" * size
        sent += size


def test_a_chunked_body_without_length_is_cut_off_at_the_limit(app_client) -> None:
    sign_in(app_client, "ana@x.org")
    for method, path, kind in (
        ("PUT", "/api/v1/people/ana@x.org/assessments/2026-H2/self", "application/json"),
        ("POST", "/admin/people", "multipart/form-data; boundary=xx"),
        ("POST", "/login", "application/x-www-form-urlencoded"),
    ):
        refused = app_client.request(
            method,
            path,
            content=chunks(MAX_BODY + 2 * 1024 * 1024),
            headers={"content-type": kind},
        )
        assert "content-length" not in refused.request.headers
        assert refused.request.headers["transfer-encoding"] == "chunked"
        assert refused.status_code == 413, path


def test_a_lying_content_length_is_refused(app_client) -> None:
    refused = app_client.post("/login", content=b"x", headers={"content-length": "not-a-number"})
    assert refused.status_code in (400, 413)


def test_control_characters_in_paths_are_clean_4xx(app_client) -> None:
    sign_in(app_client, "root@x.org")
    for path in (
        "/ladders/sr%00e",
        "/people/ana%00@x.org/growth",
        "/people/ana@x.org/assess/20%0026/self",
        "/api/v1/frameworks/sr%00e",
        "/api/v1/people/ana%00@x.org/results",
        "/api/v1/audit?person=a%00b",
    ):
        answer = app_client.get(path)
        assert 400 <= answer.status_code < 500, (path, answer.status_code)


def test_an_account_past_its_expensive_requests_gets_429_and_others_go_on(app_client) -> None:
    sign_in(app_client, "ana@x.org")
    body = {"framework": "sre", "text": "- Ran the DNS failover drill for the edge sites."}
    running = app_client.app.state.expensive
    per_account = running.per_account
    holds = [running.hold("ana@x.org") for _ in range(per_account)]
    for hold in holds:  # Ana's other requests, still running
        hold.__enter__()
    try:
        refused = app_client.post("/api/v1/suggestions", json=body)
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "5"
        assert "large request" in refused.json()["detail"]
        page = app_client.post(
            "/evidence/suggest", data={"csrf_token": _csrf(app_client), "text": body["text"]}
        )
        assert page.status_code == 429 and "retry" in page.text
        app_client.cookies.clear()
        sign_in(app_client, "root@x.org")  # someone else goes on meanwhile
        assert app_client.post("/api/v1/suggestions", json=body).status_code == 200
    finally:
        for hold in holds:
            hold.__exit__(None, None, None)
    assert app_client.post("/api/v1/suggestions", json=body).status_code == 200
    assert not running.running  # every request counted is counted out again


def _csrf(client) -> str:  # type: ignore[no-untyped-def]
    import re

    page = client.get("/evidence/suggest").text
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]


def test_past_its_limit_a_process_answers_503_at_once_and_health_still_answers(
    app_client,
) -> None:
    sign_in(app_client, "ana@x.org")
    load = app_client.app.state.load
    load.in_flight += load.limit  # that many requests already taken
    try:
        busy = app_client.get("/ladders/sre")
        assert busy.status_code == 503 and busy.headers["retry-after"] == "1"
        assert "retry" in busy.json()["detail"]
        assert busy.headers["x-frame-options"] == "DENY"  # security headers on it too
        assert app_client.get("/healthz").status_code == 200
        ready = app_client.get("/readyz")
        assert ready.status_code == 503 and ready.json()["status"] == "busy"
    finally:
        load.in_flight -= load.limit
    assert app_client.get("/ladders/sre").status_code == 200
    assert app_client.get("/readyz").status_code == 200


def test_a_client_that_hangs_up_while_sending_is_no_server_error(app_client, caplog) -> None:
    import asyncio
    import logging

    sign_in(app_client, "ana@x.org")
    cookie = f"skillgrid_session={app_client.cookies['skillgrid_session']}"
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/evidence/accept",
        "raw_path": b"/evidence/accept",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            (b"cookie", cookie.encode()),
            (b"content-type", b"application/x-www-form-urlencoded"),
            (b"content-length", b"100"),
        ],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
        "state": {},
    }
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return {"type": "http.disconnect"}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    with caplog.at_level(logging.INFO, logger="skillgrid.request"):
        asyncio.run(app_client.app(scope, receive, send))
    assert sent[0]["status"] == 499
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
