"""Weak passwords of accounts made before the rules: signing in with one reaches only the
change page (the API refuses such a session, tokens still work); the change page checks the
current password, the rules, the repeat and CSRF, ends the account's other sessions and goes
on to where the person was going. On SQLite and PostgreSQL (``database_url``)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from skillgrid.domain.accounts import Account
from skillgrid.domain.assessments import OPERATOR
from skillgrid.domain.audit import AuditQuery
from skillgrid.domain.throttle import ACCOUNT_FREE, MAX_DELAY
from skillgrid.services import accounts, audit
from tests.web.conftest import PASSWORD, sign_in

WEAK = "aaaaaaaaaa"  # ten characters: accepted before #13
NEW = "quiet otter maps the harbour"
CHANGE = "/account/password"


@pytest.fixture
def weak(app_client, uow_factory) -> TestClient:  # type: ignore[no-untyped-def]
    """ana@x.org with a weak password stored before the rules, signed in."""
    uow = uow_factory()
    with uow.write():
        uow.accounts.save(Account("ana@x.org", accounts.password_hasher().hash(WEAK)))
        uow.commit()
    assert sign_in(app_client, password=WEAK).headers["location"] == "/ladders"
    return app_client


def another_browser(client: TestClient) -> TestClient:
    return TestClient(client.app, follow_redirects=False)


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def change(client: TestClient, current: str, new: str, repeat: str | None = None, **extra: str):  # type: ignore[no-untyped-def]
    page = client.get(CHANGE + "?next=/ladders/sre")
    assert page.status_code == 200
    fields = {
        "csrf_token": csrf_of(page.text),
        "current_password": current,
        "new_password": new,
        "repeat_password": new if repeat is None else repeat,
        "next": "/ladders/sre",
        **extra,
    }
    return client.post(CHANGE, data=fields)


def test_a_weak_password_signs_in_to_the_change_page_only(weak: TestClient) -> None:
    for path in ("/ladders", "/me", "/admin", "/evidence/suggest"):
        response = weak.get(path)
        assert response.status_code == 303
        assert response.headers["location"] == f"{CHANGE}?next={path}"
    page = weak.get(f"{CHANGE}?next=/ladders")
    assert page.status_code == 200
    assert page.template.name == "password.html"  # type: ignore[attr-defined]
    assert page.context["must_change"] is True  # type: ignore[attr-defined]
    assert '<nav aria-label="Main">' not in page.text and "Sign out" in page.text
    assert "choose a longer passphrase" in page.text
    assert weak.get("/static/app.css").status_code == 200
    out = weak.post("/logout", data={"csrf_token": csrf_of(page.text)})
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert weak.get("/ladders").headers["location"] == "/login?next=/ladders"


def test_the_api_refuses_a_flagged_session_but_not_a_token(weak: TestClient, uow_factory) -> None:  # type: ignore[no-untyped-def]
    refused = weak.get("/api/v1/frameworks")
    assert refused.status_code == 403
    assert "change your password" in refused.json()["detail"]
    assert CHANGE in refused.json()["detail"]
    _, token = accounts.create_token(uow_factory(), "ana@x.org", "ci")
    script = another_browser(weak)
    answered = script.get("/api/v1/frameworks", headers={"Authorization": f"Bearer {token}"})
    assert answered.status_code == 200


def test_a_change_ends_the_other_sessions_and_goes_on(weak: TestClient, uow_factory) -> None:  # type: ignore[no-untyped-def]
    other = another_browser(weak)
    assert sign_in(other, password=WEAK).status_code == 303
    done = change(weak, WEAK, NEW)
    assert done.status_code == 303 and done.headers["location"] == "/ladders/sre"
    assert weak.get("/ladders/sre").status_code == 200
    assert weak.get("/api/v1/frameworks").status_code == 200
    assert other.get("/ladders").headers["location"] == "/login?next=/ladders"
    assert sign_in(another_browser(weak), password=WEAK).status_code == 401
    again = another_browser(weak)
    assert sign_in(again, password=NEW).status_code == 303
    assert again.get("/ladders").status_code == 200  # a strong password: not flagged
    found = audit.list_audit(uow_factory(), OPERATOR, AuditQuery(person="ana@x.org"))
    (entry,) = [e for e in found if e.action == "change_password"]
    assert (entry.actor, entry.entity, entry.entity_id) == ("ana@x.org", "account", "ana@x.org")
    assert WEAK not in repr(entry) and NEW not in repr(entry) and "argon2" not in repr(entry)


@pytest.mark.parametrize(
    ("current", "new", "repeat", "says"),
    [
        ("not the password", NEW, NEW, "The current password is wrong"),
        (WEAK, NEW, NEW + "!", "The new password and its repeat differ"),
        (WEAK, "b" * 16, None, "one character repeated"),
        (WEAK, "eleven char", None, "at least 12 characters"),
        (WEAK, "password1234", None, "common passwords"),
    ],
)
def test_bad_input_changes_nothing_and_shows_the_error_beside_the_form(
    weak: TestClient, current: str, new: str, repeat: str | None, says: str
) -> None:
    refused = change(weak, current, new, repeat)
    assert refused.status_code == 422
    assert refused.template.name == "password.html"  # type: ignore[attr-defined]
    assert re.search(
        rf'<p class="error" role="alert" id="password-error">[^<]*{says}', refused.text
    )
    assert 'aria-describedby="password-error"' in refused.text
    assert 'name="next" value="/ladders/sre"' in refused.text  # input kept ...
    for secret in {current, new, repeat or new}:
        assert f'value="{secret}"' not in refused.text  # ... except the passwords
    assert weak.get("/ladders").status_code == 303  # still flagged
    assert sign_in(another_browser(weak), password=WEAK).status_code == 303  # unchanged


def test_a_change_without_the_forms_csrf_token_is_refused(weak: TestClient) -> None:
    refused = change(weak, WEAK, NEW, csrf_token="forged")
    assert refused.status_code == 403
    assert sign_in(another_browser(weak), password=WEAK).status_code == 303


def test_anyone_signed_in_may_change_their_password(app_client: TestClient) -> None:
    sign_in(app_client)
    page = app_client.get(CHANGE)
    assert page.status_code == 200 and '<nav aria-label="Main">' in page.text
    assert page.context["must_change"] is False  # type: ignore[attr-defined]
    done = change(app_client, PASSWORD, NEW)
    assert done.status_code == 303 and done.headers["location"] == "/ladders/sre"
    assert sign_in(another_browser(app_client), password=NEW).status_code == 303


def test_the_change_page_needs_a_signed_in_person(app_client: TestClient) -> None:
    response = app_client.get(CHANGE)
    assert response.headers["location"] == f"/login?next={CHANGE}"


def test_guessing_the_current_password_is_throttled_as_signing_in_is(
    weak: TestClient, uow_factory
) -> None:  # type: ignore[no-untyped-def]
    """A stolen session cookie gets no more guesses at the password than sign-in gives."""
    for _ in range(ACCOUNT_FREE):
        assert change(weak, "not the password", NEW).status_code == 422
    slowed = change(weak, WEAK, NEW)  # the right password, but the account waits now
    assert slowed.status_code == 429
    assert 1 <= int(slowed.headers["retry-after"]) <= MAX_DELAY.total_seconds()
    assert "Too many failed sign-ins for this account" in slowed.text
    uow = uow_factory()
    with uow:
        stored = uow.accounts.get("ana@x.org")
    assert stored is not None and accounts.password_hasher().verify(stored.password_hash, WEAK)
