"""Accounts in the browser: sign in with CSRF, throttling, secure cookies, sign out."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from skillgrid.config import Settings
from skillgrid.domain.throttle import MAX_DELAY
from tests.web.conftest import PASSWORD, sign_in

WRONG = "wrong password!"


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


def browser_at(app_client: TestClient, address: str) -> TestClient:
    """Another browser on the same app, connecting from ``address``."""
    return TestClient(app_client.app, client=(address, 40000), follow_redirects=False)


def limit_addresses(app_client: TestClient, **settings: object) -> None:
    state = app_client.app.state  # type: ignore[attr-defined]
    state.settings = Settings(**{**state.settings.model_dump(), **settings})


def test_wrong_passwords_slow_the_account_with_429_and_retry_after(app_client) -> None:
    for _ in range(5):
        assert sign_in(app_client, password=WRONG).status_code == 401
    slowed = sign_in(app_client)  # the right password, but the account waits now
    assert slowed.status_code == 429
    assert 1 <= int(slowed.headers["retry-after"]) <= MAX_DELAY.total_seconds()
    assert "Too many failed sign-ins for this account: wait 15 seconds" in slowed.text
    assert "skillgrid_session" not in app_client.cookies
    assert sign_in(app_client, email="nobody@x.org").status_code == 401  # another account


def test_a_script_gets_the_429_as_json(app_client) -> None:
    for _ in range(5):
        sign_in(app_client, password=WRONG)
    app_client.get("/login")
    response = app_client.post(
        "/login",
        data={"email": "ana@x.org", "password": PASSWORD, "csrf_token": _login_csrf(app_client)},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 429
    body = response.json()
    assert body["retry_after"] == int(response.headers["retry-after"])
    assert body["detail"].startswith("Too many failed sign-ins for this account")


def test_spraying_many_accounts_from_one_address_is_throttled(app_client) -> None:
    limit_addresses(app_client, sign_in_address_limit=4)
    sprayer = browser_at(app_client, "203.0.113.66")
    for email in ("ana@x.org", "root@x.org", "bo@x.org", "nobody@x.org"):
        assert sign_in(sprayer, email, WRONG).status_code == 401
    blocked = sign_in(sprayer, "cy@x.org", WRONG)
    assert blocked.status_code == 429 and "from your network address" in blocked.text
    assert 14 * 60 < int(blocked.headers["retry-after"]) <= 15 * 60
    assert sign_in(browser_at(app_client, "198.51.100.10"), "root@x.org").status_code == 303


def test_a_stranger_does_not_lock_the_real_user_out(app_client) -> None:
    laptop = browser_at(app_client, "198.51.100.10")
    assert sign_in(laptop).status_code == 303  # the laptop is trusted from now on
    assert laptop.cookies.get("skillgrid_device")
    laptop.cookies.delete("skillgrid_session")  # the session ended; the device cookie stays
    stranger = browser_at(app_client, "203.0.113.66")
    answers = [sign_in(stranger, password=WRONG).status_code for _ in range(8)]
    assert answers == [401] * 5 + [429] * 3
    assert sign_in(laptop).status_code == 303  # not held up at all
    new_phone = browser_at(app_client, "192.0.2.7")
    held = sign_in(new_phone)  # a browser never seen: waits, but never long
    assert held.status_code == 429
    assert int(held.headers["retry-after"]) <= MAX_DELAY.total_seconds()


def test_forwarded_for_counts_only_behind_a_trusted_proxy(app_client) -> None:
    limit_addresses(app_client, sign_in_address_limit=2)
    proxy = browser_at(app_client, "10.0.0.2")
    tried = iter(range(100))

    def through_proxy(client_ip: str) -> int:  # spraying: a new account each time
        proxy.headers["X-Forwarded-For"] = client_ip
        return sign_in(proxy, f"nobody{next(tried)}@x.org", WRONG).status_code

    assert [through_proxy(f"198.51.100.{n}") for n in range(3)] == [401, 401, 429]  # untrusted
    limit_addresses(app_client, sign_in_address_limit=2, trusted_proxies=["10.0.0.0/8"])
    assert [through_proxy(f"192.0.2.{n}") for n in range(3)] == [401, 401, 401]  # each client
    assert [through_proxy("192.0.2.9") for _ in range(3)] == [401, 401, 429]


def _login_csrf(client: TestClient) -> str:
    return str(client.cookies.get("skillgrid_login_csrf"))


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
