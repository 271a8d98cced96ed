"""Single sign-on against a real OpenID provider (node-oidc-provider on loopback, see
tests/oidc_provider): the code flow with PKCE end to end, who signs in as whom, and every
check of the provider's answer, made to fail by tampering with what a browser carries (the
authorization URL, the callback) or with the stored sign-in."""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
from fastapi.testclient import TestClient

from skillgrid.config import Settings
from skillgrid.domain.assessments import OPERATOR
from skillgrid.domain.audit import AuditQuery
from skillgrid.services import accounts, audit, people, people_import
from skillgrid.web.app import create_app
from tests.oidc_provider import (
    ADMIN_GROUP,
    CLIENT_SECRET,
    SCOPES,
    Provider,
    running,
    sign_in_at,
)
from tests.web.conftest import PASSWORD, sign_in

APP = "http://testserver"
PEOPLE = (
    b"name,email,team,manager_email,role\n"
    b"Bo,bo@x.org,SRE,,manager\nAna,ana@x.org,SRE,bo@x.org,engineer\n"
    b"Gone,gone@x.org,SRE,bo@x.org,engineer\n"
)


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    intruder = {
        "client_id": "intruder",
        "client_secret": CLIENT_SECRET,
        "redirect_uris": [f"{APP}/auth/oidc/callback"],
    }
    with running(
        [f"{APP}/auth/oidc/callback"], [f"{APP}/login"], extra_clients=[intruder]
    ) as found:
        yield found


@pytest.fixture
def make_app(database_url: str, uow_factory, provider: Provider):  # type: ignore[no-untyped-def]
    """``make_app(**settings)``: a client of an app with single sign-on on ``provider``
    (Bo and Ana are people, Ana has a password, Gone has left, root@x.org is an admin
    account with no person record)."""
    people_import.import_people(uow_factory(), PEOPLE, "people.csv", actor=OPERATOR)
    people.change_person(uow_factory(), "gone@x.org", active=False, actor=OPERATOR)
    accounts.add_user(uow_factory(), "ana@x.org", PASSWORD, actor=OPERATOR)
    accounts.add_user(uow_factory(), "root@x.org", PASSWORD, admin=True, actor=OPERATOR)
    opened: list[TestClient] = []

    def make(**changes: Any) -> TestClient:
        settings = Settings(
            **{
                "database_url": database_url,
                "base_url": f"{APP}/",
                "oidc_issuer": provider.issuer,
                "oidc_client_id": provider.client_id,
                "oidc_client_secret": provider.client_secret,
                "oidc_scopes": SCOPES,
                "oidc_admin_values": [ADMIN_GROUP],
                **changes,
            }
        )
        client = TestClient(create_app(settings), follow_redirects=False)
        client.__enter__()
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_app: Callable[..., TestClient]) -> TestClient:
    return make_app()


def started(client: TestClient, next: str = "/me") -> str:
    """Begin a sign-in: the provider's authorization URL the app redirects to."""
    answer = client.get("/auth/oidc/login", params={"next": next})
    assert answer.status_code == 303, answer.text
    return answer.headers["location"]


def back_from(provider: Provider, url: str, login: str) -> str:
    """Sign in at the provider as ``login``: the callback path (with its query)."""
    return sign_in_at(provider, url, login, APP).removeprefix(APP)


def sso(client: TestClient, provider: Provider, login: str, next: str = "/me") -> Any:
    return client.get(back_from(provider, started(client, next), login))


def changed(url: str, **params: str) -> str:
    """``url`` with some query parameters replaced."""
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()} | params
    return urlunsplit(parts._replace(query=urlencode(query)))


def session_csrf(client: TestClient) -> str:
    """The signed-in session's CSRF token, from a page's sign-out form."""
    page = client.get("/me", follow_redirects=True).text
    return page.split('name="csrf_token" value="')[1].split('"')[0]


def trail(uow_factory, email: str | None = None) -> list[tuple[str, str, dict[str, Any]]]:  # type: ignore[no-untyped-def]
    """(actor, action, after) of the audit entries about ``email`` (or all), oldest first."""
    entries = audit.list_audit(uow_factory(), OPERATOR, AuditQuery(person=email, limit=500))
    return [(e.actor, e.action, e.after or {}) for e in reversed(entries)]


def test_the_sign_in_page_offers_sso_only_where_it_is_configured(client, app_client) -> None:
    page = client.get("/login").text
    assert 'href="/auth/oidc/login?next=/"' in page and "Sign in with SSO" in page
    assert 'name="password"' in page
    assert "Sign in with SSO" not in app_client.get("/login").text
    assert app_client.get("/auth/oidc/login").status_code == 404
    assert app_client.get("/auth/oidc/callback?state=x&code=y").status_code == 404


def test_a_person_signs_in_through_the_provider_and_gets_an_account_just_in_time(
    client, provider, uow_factory
) -> None:
    answer = sso(client, provider, "bo", next="/me")
    assert answer.status_code == 303 and answer.headers["location"] == "/me"
    cookie = answer.headers["set-cookie"]
    assert "skillgrid_session=" in cookie and "HttpOnly" in cookie
    me = client.get("/me", follow_redirects=True)
    assert me.status_code == 200 and "bo@x.org" in me.text
    with uow_factory() as uow:
        account = uow.accounts.get("bo@x.org")
    assert account is not None and not account.has_password and not account.is_admin
    actions = [(actor, action) for actor, action, _ in trail(uow_factory, "bo@x.org")]
    assert actions[-3:] == [
        ("web/sso", "add"),
        ("web/sso", "link_identity"),
        ("bo@x.org", "sign_in"),
    ]
    assert trail(uow_factory, "bo@x.org")[-1][2]["via"] == "sso"


def test_the_authorization_request_carries_state_nonce_and_an_s256_pkce_challenge(
    client, database_url
) -> None:
    from sqlalchemy import create_engine, text

    query = parse_qs(urlsplit(started(client)).query)
    assert query["response_type"] == ["code"] and query["code_challenge_method"] == ["S256"]
    assert set(query["scope"][0].split()) == set(SCOPES.split())
    assert query["redirect_uri"] == [f"{APP}/auth/oidc/callback"]
    engine = create_engine(database_url)
    with engine.connect() as connection:
        nonce, verifier, state_hash = connection.execute(
            text("SELECT nonce, code_verifier, state_hash FROM pending_sso")
        ).one()
    engine.dispose()
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    assert query["code_challenge"] == [challenge.decode().rstrip("=")]
    assert query["nonce"] == [nonce]
    assert hashlib.sha256(query["state"][0].encode()).hexdigest() == state_hash


def test_an_existing_account_signs_in_and_keeps_its_password(client, provider) -> None:
    assert sso(client, provider, "ana").status_code == 303
    assert "ana@x.org" in client.get("/me", follow_redirects=True).text
    client.cookies.clear()
    assert sign_in(client, "ana@x.org").status_code == 303


def test_an_unknown_email_is_refused_with_whom_to_ask(client, provider, uow_factory) -> None:
    answer = sso(client, provider, "zed")
    assert answer.status_code == 403
    assert "SkillGrid has no one with the email zed@x.org yet" in answer.text
    assert "Ask a SkillGrid admin to add you as a person: root@x.org." in answer.text
    assert "skillgrid_session" not in client.cookies
    with uow_factory() as uow:
        assert uow.accounts.get("zed@x.org") is None and uow.people.get("zed@x.org") is None
    actor, action, after = trail(uow_factory, "zed@x.org")[-1]
    assert (actor, action, after["reason"]) == ("web/anonymous", "sso_refused", "unknown_person")


def test_the_refusal_names_the_configured_contact(make_app, provider) -> None:
    client = make_app(oidc_contact="the People team (people@x.org)")
    answer = sso(client, provider, "zed")
    assert "Ask the People team (people@x.org) to add you." in answer.text


def test_an_unknown_email_becomes_a_person_when_the_setting_says_so(
    make_app, provider, uow_factory
) -> None:
    client = make_app(oidc_create_people=True)
    assert sso(client, provider, "zed").status_code == 303
    with uow_factory() as uow:
        person = uow.people.get("zed@x.org")
    assert person is not None and person.name == "zed" and person.role.value == "engineer"
    assert ("web/sso", "add") in [(a, b) for a, b, _ in trail(uow_factory, "zed@x.org")]


@pytest.mark.parametrize(
    ("login", "reason", "says"),
    [
        ("unverified", "email_unverified", "does not say that ana@x.org is verified"),
        ("noemail", "no_email", "sent no email in the 'email' claim"),
        ("gone", "inactive", "gone@x.org is marked as having left"),
    ],
)
def test_the_provider_s_word_alone_does_not_sign_in(
    client, provider, uow_factory, login: str, reason: str, says: str
) -> None:
    answer = sso(client, provider, login)
    assert answer.status_code == 403 and says in html.unescape(answer.text)
    assert "skillgrid_session" not in client.cookies
    assert trail(uow_factory)[-1][1:] == ("sso_refused", trail(uow_factory)[-1][2])
    assert trail(uow_factory)[-1][2]["reason"] == reason


def test_an_unverified_email_signs_in_where_verification_is_not_required(
    make_app, provider
) -> None:
    client = make_app(oidc_require_verified_email=False)
    assert sso(client, provider, "unverified").status_code == 303
    assert "ana@x.org" in client.get("/me", follow_redirects=True).text


def test_the_admin_group_gives_and_takes_the_admin_right(client, provider, uow_factory) -> None:
    accounts.add_user(uow_factory(), "root@x.org", PASSWORD, admin=False, actor=OPERATOR)
    accounts.add_user(uow_factory(), "bo@x.org", PASSWORD, admin=True, actor=OPERATOR)
    assert sso(client, provider, "admin").status_code == 303  # root@x.org, in the group
    assert client.get("/admin").status_code == 200
    client.cookies.clear()
    assert sso(client, provider, "bo").status_code == 303  # not in the group
    assert client.get("/admin").status_code == 403
    with uow_factory() as uow:
        assert uow.accounts.get("root@x.org").is_admin  # type: ignore[union-attr]
        assert not uow.accounts.get("bo@x.org").is_admin  # type: ignore[union-attr]
    changes = [after for _, action, after in trail(uow_factory, "bo@x.org") if action == "change"]
    assert changes == [{"admin": False, "via": "sso"}]


def test_without_admin_values_sign_on_leaves_the_admin_right_alone(
    make_app, provider, uow_factory
) -> None:
    accounts.add_user(uow_factory(), "bo@x.org", PASSWORD, admin=True, actor=OPERATOR)
    client = make_app(oidc_admin_values=[])
    assert sso(client, provider, "bo").status_code == 303
    assert client.get("/admin").status_code == 200


def test_an_unknown_state_is_refused(client, uow_factory) -> None:
    started(client)
    answer = client.get("/auth/oidc/callback", params={"state": "forged", "code": "x"})
    assert answer.status_code == 400 and "unknown or was used already" in answer.text
    assert trail(uow_factory)[-1][2]["reason"] == "state"


def test_a_callback_replayed_is_refused(client, provider) -> None:
    back = back_from(provider, started(client), "bo")
    assert client.get(back).status_code == 303
    client.cookies.delete("skillgrid_session")
    replayed = client.get(back)
    assert replayed.status_code == 400 and "used already" in replayed.text


def test_a_callback_in_another_browser_is_refused(client, make_app, provider) -> None:
    back = back_from(provider, started(client), "bo")
    other = make_app()  # another browser (and another app process) on the same database
    answer = other.get(back)
    assert answer.status_code == 400 and "started in another browser" in answer.text
    assert client.get(back).status_code == 400  # and the sign-in is used up


def test_a_sign_in_may_finish_on_another_app_process(client, make_app, provider) -> None:
    back = back_from(provider, started(client), "bo")
    other = make_app()
    other.cookies.update(client.cookies)  # the same browser reaches another process
    assert other.get(back).status_code == 303
    assert "bo@x.org" in other.get("/me", follow_redirects=True).text


def test_a_tampered_nonce_is_refused(client, provider, uow_factory) -> None:
    url = changed(started(client), nonce="chosen-by-an-attacker")
    answer = client.get(back_from(provider, url, "bo"))
    assert answer.status_code == 400 and "nonce" in answer.text
    assert trail(uow_factory)[-1][2]["reason"] == "id_token_invalid"


def test_a_tampered_pkce_challenge_makes_the_provider_refuse_the_code(
    client, provider, uow_factory
) -> None:
    fake = base64.urlsafe_b64encode(hashlib.sha256(b"another verifier").digest()).rstrip(b"=")
    url = changed(started(client), code_challenge=fake.decode())
    answer = client.get(back_from(provider, url, "bo"))
    assert answer.status_code == 400 and "refused the sign-in code (invalid_grant" in answer.text
    assert trail(uow_factory)[-1][2]["reason"] == "token_refused"


def test_an_answer_naming_another_issuer_is_refused(client, provider) -> None:
    back = back_from(provider, started(client), "bo")
    answer = client.get(changed(back, iss="https://evil.example"))
    assert answer.status_code == 400 and "not from" in answer.text


def test_the_provider_s_error_is_shown_and_recorded(client, uow_factory) -> None:
    state = parse_qs(urlsplit(started(client)).query)["state"][0]
    answer = client.get(
        "/auth/oidc/callback",
        params={"state": state, "error": "access_denied", "error_description": "User said no"},
    )
    assert answer.status_code == 400 and "access_denied: User said no" in answer.text
    assert trail(uow_factory)[-1][2]["reason"] == "provider_error"


def test_a_sign_in_older_than_ten_minutes_is_refused(client, provider, database_url) -> None:
    from sqlalchemy import create_engine, text

    url = started(client)
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE pending_sso SET expires_at = '2000-01-01 00:00:00'"))
    engine.dispose()
    answer = client.get(back_from(provider, url, "bo"))
    assert answer.status_code == 400 and "more than 10 minutes" in answer.text


def test_an_issuer_that_calls_itself_otherwise_is_refused_before_anyone_signs_in(
    make_app, provider
) -> None:
    client = make_app(oidc_issuer=provider.issuer.replace("127.0.0.1", "localhost"))
    answer = client.get("/auth/oidc/login")
    assert answer.status_code == 502
    assert "names the issuer" in answer.text and "SKILLGRID_OIDC_ISSUER" in answer.text


def test_a_provider_that_cannot_be_reached_gets_a_clear_page(make_app) -> None:
    client = make_app(oidc_issuer="http://127.0.0.1:9")  # the discard port: nobody listens
    answer = client.get("/auth/oidc/login")
    assert answer.status_code == 502 and "could not be read" in answer.text
    assert "Sign in with a password" in answer.text


def test_signing_out_ends_the_session_and_the_provider_s(client, provider) -> None:
    import httpx2

    assert sso(client, provider, "bo").status_code == 303
    answer = client.post("/logout", data={"csrf_token": session_csrf(client)})
    assert answer.status_code == 200  # a page that goes on: form-action 'self' holds redirects
    ending = html.unescape(answer.text.split('id="end-session" href="')[1].split('"')[0])
    assert f'content="0; url={html.escape(ending)}"' in answer.text
    assert ending.startswith(f"{provider.issuer}/session/end?")
    query = parse_qs(urlsplit(ending).query)
    assert query["post_logout_redirect_uri"] == [f"{APP}/login"] and query["id_token_hint"]
    assert client.get("/me").status_code == 303  # signed out here
    assert client.get("/me").headers["location"].startswith("/login")
    with httpx2.Client(follow_redirects=False) as browser:  # the provider takes the hint
        confirm = browser.get(ending)
        assert confirm.status_code == 200, confirm.text
        xsrf = confirm.text.split('name="xsrf" value="')[1].split('"')[0]
        action = confirm.text.split('action="')[1].split('"')[0]
        done = browser.post(
            f"{provider.issuer}{action}" if action.startswith("/") else action,
            data={"xsrf": xsrf, "logout": "yes"},
        )
    assert done.status_code in (302, 303) and done.headers["location"].startswith(f"{APP}/login")


def test_a_password_session_signs_out_here_only(client) -> None:
    sign_in(client, "ana@x.org")
    csrf = session_csrf(client)
    assert client.post("/logout", data={"csrf_token": csrf}).headers["location"] == "/login"


def test_with_passwords_off_only_sso_signs_in(make_app, provider) -> None:
    client = make_app(password_sign_in=False)
    page = client.get("/login").text
    assert "Sign in with SSO" in page and 'name="password"' not in page
    refused = client.post("/login", data={"email": "ana@x.org", "password": PASSWORD})
    assert refused.status_code == 403 and "Passwords do not sign in here" in refused.text
    assert "skillgrid_session" not in client.cookies
    assert sso(client, provider, "ana").status_code == 303
    assert 'href="/account/password"' not in client.get("/me", follow_redirects=True).text


def test_an_account_made_by_sso_has_no_password_to_sign_in_with(client, provider) -> None:
    sso(client, provider, "bo")
    client.cookies.clear()
    for password in ("", "a long passphrase"):
        assert sign_in(client, "bo@x.org", password).status_code in (401, 422)


def test_an_account_made_by_sso_has_no_password_to_change(client, provider) -> None:
    sso(client, provider, "bo")
    form = {
        "csrf_token": session_csrf(client),
        "current_password": "anything at all",
        "new_password": "four unrelated words here",
        "repeat_password": "four unrelated words here",
    }
    answer = client.post("/account/password", data=form)
    assert answer.status_code == 422 and "signs in with SSO and has no password" in answer.text


def test_the_sso_pages_pass_the_html_checks(make_app, provider) -> None:
    from tests.web.html_checks import page_problems

    client = make_app(password_sign_in=False)
    pages = [client.get("/login"), sso(client, provider, "zed")]  # sign-in, refused
    sso(client, provider, "bo")
    pages.append(client.post("/logout", data={"csrf_token": session_csrf(client)}))
    pages.append(client.get("/auth/link/some-token"))
    for page in pages:
        assert page_problems(page.text) == [], page.text
