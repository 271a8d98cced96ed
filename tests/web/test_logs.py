"""Structured logs: one JSON line per request with its id, method, route template, status
and duration; a sane X-Request-ID is kept and returned; nothing secret or personal is ever
written (passwords, cookies, tokens, Authorization, evidence and comment text)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest

from skillgrid.domain.assessments import OPERATOR
from skillgrid.logs import configure_logging
from skillgrid.services import cycles
from tests.web.conftest import PASSWORD, sign_in
from tests.web.test_assessment_pages import form_of

SECRETS = ("SECRET-COMMENT-41", "SECRET-TITLE-42", "secret-url-43", "SECRET-REASON-44")


@pytest.fixture
def logs() -> Iterator[io.StringIO]:
    buffer = io.StringIO()
    configure_logging("INFO", "json", buffer)
    yield buffer
    configure_logging()


def lines(buffer: io.StringIO) -> list[dict[str, object]]:
    """The app's lines (the test client logs its own requests, with their URLs)."""
    found = [json.loads(line) for line in buffer.getvalue().splitlines()]
    return [line for line in found if not str(line["logger"]).startswith("httpx")]


def test_a_sign_in_and_an_evidence_post_log_no_secret(app_client, uow_factory, logs) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    assert sign_in(app_client, "ana@x.org").status_code == 303
    session = app_client.cookies.get("skillgrid_session")
    page_url = "/people/ana@x.org/assess/2026-H2/self"
    page = app_client.get(page_url).text
    extra = {
        "comment-PO.1.1": SECRETS[0],
        "evidence-title-NET.1.1": SECRETS[1],
        "evidence-url-NET.1.1": f"https://x.org/{SECRETS[2]}",
        "reason-NET.1.2": SECRETS[3],
        "rating-NET.1.2": "n/a",
    }
    saved = app_client.post(page_url, data=form_of(page, {"PO.1.1": "meets"}, "save", **extra))
    assert saved.status_code == 303, saved.text[-800:]
    token = app_client.post("/api/v1/tokens", json={"name": "ci"}).json()["token"]
    app_client.cookies.clear()
    assert app_client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).is_success
    text = json.dumps(lines(logs))
    for secret in (PASSWORD, session, token, "Bearer", "ana@x.org", *SECRETS):
        assert secret and secret not in text, secret
    requests = [line for line in lines(logs) if line["message"] == "request"]
    assert {(r["method"], r["route"], r["status"]) for r in requests} >= {
        ("POST", "/login", 303),
        ("POST", "/people/{email}/assess/{cycle}/{rater}", 303),
        ("GET", "/api/v1/me", 200),
    }
    for line in requests:
        assert {"timestamp", "level", "logger", "request_id", "duration_ms"} <= set(line)
        assert line["logger"] == "skillgrid.request" and line["level"] == "INFO"


def test_a_sane_request_id_is_kept_and_any_other_replaced(app_client, logs) -> None:
    kept = app_client.get("/healthz", headers={"X-Request-ID": "lb-1234.abc:9"})
    assert kept.headers["x-request-id"] == "lb-1234.abc:9"
    for odd in ("has spaces", "x" * 200, "new\u2028line", "<script>"):
        replaced = app_client.get("/healthz", headers={"X-Request-ID": odd.encode("utf-8")})
        given = replaced.headers["x-request-id"]
        assert len(given) == 32 and odd not in given
    assert app_client.get("/nowhere").headers["x-request-id"]
    ids = [line["request_id"] for line in lines(logs)]
    assert ids[0] == "lb-1234.abc:9" and len(set(ids)) == len(ids)
    assert lines(logs)[-1]["route"] == "unmatched"  # a path is never logged


def test_an_oversized_body_is_logged_with_its_413(app_client, logs) -> None:
    too_big = app_client.post("/login", content=b"x" * (9 * 1024 * 1024))
    assert too_big.status_code == 413 and too_big.headers["x-request-id"]
    assert lines(logs)[-1]["status"] == 413


def test_an_unexpected_error_is_a_500_with_its_id_logged_once(
    app_client, logs, monkeypatch
) -> None:
    from skillgrid.services import frameworks

    def broken(uow: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(frameworks, "list_frameworks", broken)
    sign_in(app_client, "ana@x.org")
    answer = app_client.get("/api/v1/frameworks")
    assert answer.status_code == 500
    (error,) = [line for line in lines(logs) if line["level"] == "ERROR"]
    assert error["request_id"] == answer.headers["x-request-id"]
    assert "disk on fire" in str(error["exception"]) and error["route"] == "/api/v1/frameworks"


def test_text_format_and_level(capsys) -> None:
    import logging

    configure_logging("WARNING", "text")
    try:
        logging.getLogger("skillgrid.test").info("hidden")
        logging.getLogger("skillgrid.test").warning("shown")
    finally:
        configure_logging()
    err = capsys.readouterr().err
    assert "hidden" not in err and "WARNING skillgrid.test shown" in err
