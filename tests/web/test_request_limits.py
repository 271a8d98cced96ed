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
