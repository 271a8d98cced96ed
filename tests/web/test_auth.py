"""Accounts in the browser: sign in with CSRF, throttling, secure cookies, sign out."""

from __future__ import annotations

import re

from tests.web.conftest import PASSWORD, sign_in


def test_pages_need_a_signed_in_person(app_client) -> None:
    response = app_client.get("/ladders/sre")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/ladders/sre"
    assert app_client.get("/api/v1/frameworks").status_code == 401


def test_signing_in_sets_a_safe_session_cookie(app_client) -> None:
    response = sign_in(app_client)
    assert response.status_code == 303 and response.headers["location"] == "/ladders"
    cookie = response.headers["set-cookie"]
    assert "skillgrid_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert app_client.get("/ladders/sre").status_code == 200


def test_a_login_form_without_its_csrf_token_is_refused(app_client) -> None:
    app_client.get("/login")
    response = app_client.post("/login", data={"email": "ana@x.org", "password": PASSWORD})
    assert response.status_code == 403
    assert "skillgrid_session" not in app_client.cookies


def test_wrong_passwords_are_throttled(app_client) -> None:
    for _ in range(5):
        assert sign_in(app_client, password="wrong password!").status_code == 401
    locked = sign_in(app_client)  # right password, but the account waits now
    assert locked.status_code == 401 and "15 minutes" in locked.text
    assert sign_in(app_client, email="nobody@x.org").status_code == 401


def test_signing_out_ends_the_session_in_the_database(app_client) -> None:
    sign_in(app_client)
    token = app_client.cookies.get("skillgrid_session")
    page = app_client.get("/ladders/sre").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert app_client.post("/logout", data={}).status_code == 403
    assert app_client.post("/logout", data={"csrf_token": csrf}).status_code == 303
    app_client.cookies.set("skillgrid_session", token)  # a stolen copy of the old cookie
    assert app_client.get("/ladders/sre").status_code == 303


def test_every_response_carries_security_headers(app_client) -> None:
    response = app_client.get("/login")
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    docs = app_client.get("/api/docs")
    assert docs.status_code == 200 and "/api/docs/static/swagger-ui-bundle.js" in docs.text
    assert "https://" not in docs.text  # nothing from a CDN: works offline
