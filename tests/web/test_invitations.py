"""Invitations on the web, on a real database: an admin invites on /admin (the link shown
once), revokes with a confirmation; the person opens the link, chooses a password (CSRF,
the rules, nothing of the password kept on a refusal) and lands on their home signed in.
The admin API does the same for scripts. On SQLite and PostgreSQL (``database_url``)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from skillgrid.config import Settings
from skillgrid.domain.assessments import OPERATOR
from skillgrid.domain.audit import AuditQuery
from skillgrid.services import accounts, audit
from skillgrid.services.invitations import Site, create_invitation
from skillgrid.web.app import create_app
from tests.web.conftest import as_
from tests.web.html_checks import page_problems
from tests.web.test_password_change import another_browser, csrf_of

NEW = "quiet otter maps the harbour"


def invite(client: TestClient, **fields: str):  # type: ignore[no-untyped-def]
    page = client.get("/admin")
    assert page.status_code == 200
    return client.post("/admin/invitations", data={"csrf_token": csrf_of(page.text), **fields})


def link_of(page: str) -> str:
    found = re.search(r"<code>(/auth/invite/[^<]+)</code>", page)
    assert found is not None, page
    return found.group(1)


def choose(client: TestClient, path: str, new: str, repeat: str | None = None):  # type: ignore[no-untyped-def]
    page = client.get(path)
    assert page.status_code == 200, page.text
    fields = {"csrf_token": csrf_of(page.text), "new_password": new}
    return client.post(path, data=fields | {"repeat_password": new if repeat is None else repeat})


def test_an_invited_person_chooses_a_password_and_lands_on_their_home(app_client) -> None:  # type: ignore[no-untyped-def]
    admin = as_(app_client, "root@x.org")
    made = invite(admin, email="bo@x.org")
    assert made.status_code == 200
    assert made.template.name == "admin.html"  # type: ignore[attr-defined]
    assert made.context["invited"].invitation.email == "bo@x.org"  # type: ignore[attr-defined]
    assert "not emailed" in made.text and "SKILLGRID_BASE_URL" in made.text
    path = link_of(made.text)
    assert page_problems(made.text) == []
    again = admin.get("/admin")
    assert "bo@x.org" in again.text and path not in again.text  # listed; the link shown once
    browser = another_browser(app_client)
    page = browser.get(path)
    assert page.template.name == "invite.html" and 'value="bo@x.org"' in page.text  # type: ignore[attr-defined]
    assert page_problems(page.text) == []
    forged = browser.post(
        path, data={"csrf_token": "forged", "new_password": NEW, "repeat_password": NEW}
    )
    assert forged.status_code == 403 and "skillgrid_session" not in browser.cookies
    refused = choose(browser, path, "short one", "short one")
    assert refused.status_code == 422 and "at least 12 characters" in refused.text
    assert "short one" not in refused.text and 'aria-invalid="true"' in refused.text
    assert page_problems(refused.text) == []
    differ = choose(browser, path, NEW, NEW + "!")
    assert differ.status_code == 422 and "differ" in differ.text and NEW not in differ.text
    used = choose(browser, path, NEW)
    assert used.status_code == 303 and used.headers["location"] == "/"
    home = browser.get("/")
    assert home.status_code == 200 and home.context["user"].email == "bo@x.org"  # type: ignore[attr-defined]
    gone = browser.get(path)
    assert gone.status_code == 404 and "ask an admin for a new invitation" in gone.text
    assert page_problems(gone.text) == []
    assert "bo@x.org" not in admin.get("/admin").context["invitations"]  # type: ignore[attr-defined]


def test_a_refused_invitation_keeps_what_was_typed(app_client, database_url) -> None:  # type: ignore[no-untyped-def]
    admin = as_(app_client, "root@x.org")
    refused = invite(admin, email="zed@x.org")
    assert refused.status_code == 422
    assert "not a person in the organisation" in refused.text
    assert 'value="zed@x.org"' in refused.text
    assert refused.context["errors"].keys() == {"invitations"}  # type: ignore[attr-defined]
    as_admin = invite(admin, email="zed@x.org", admin="true")
    assert as_admin.status_code == 200 and "an admin account" in as_admin.text


def test_an_admin_revokes_an_invitation_after_confirming(app_client) -> None:  # type: ignore[no-untyped-def]
    admin = as_(app_client, "root@x.org")
    path = link_of(invite(admin, email="bo@x.org").text)
    page = admin.get("/admin")
    assert 'id="confirm-revoke-bo@x.org"' in page.text
    revoked = admin.post(
        "/admin/invitations/bo@x.org/revoke", data={"csrf_token": csrf_of(page.text)}
    )
    assert revoked.status_code == 303 and revoked.headers["location"] == "/admin#invitations"
    assert another_browser(app_client).get(path).status_code == 404
    actions = [
        e.action
        for e in audit.list_audit(
            app_client.app.state.uow_factory(), OPERATOR, AuditQuery(person="bo@x.org")
        )
    ]  # type: ignore[attr-defined]
    assert actions[:2] == ["revoke_invitation", "invite"]


def test_only_admins_invite(app_client) -> None:  # type: ignore[no-untyped-def]
    engineer = as_(app_client, "ana@x.org")
    page = engineer.get("/ladders")
    made = engineer.post(
        "/admin/invitations", data={"csrf_token": csrf_of(page.text), "email": "bo@x.org"}
    )
    assert made.status_code in (403, 404)
    assert engineer.post(
        "/admin/invitations/bo@x.org/revoke", data={"csrf_token": csrf_of(page.text)}
    ).status_code in (403, 404)


def test_with_passwords_off_an_invitation_says_to_sign_in_through_sso(
    database_url, uow_factory, app_client
) -> None:  # type: ignore[no-untyped-def]
    issued = create_invitation(uow_factory(), "bo@x.org", Site(True), actor=OPERATOR)
    settings = Settings(
        database_url=database_url,
        base_url="http://testserver/",
        oidc_issuer="http://127.0.0.1:9",  # nobody listens
        oidc_client_id="skillgrid",
        password_sign_in=False,
    )
    with TestClient(create_app(settings), follow_redirects=False) as client:
        page = client.get(issued.link)
        assert page.status_code == 403 and "sign in through SSO" in page.text


def test_the_api_invites_lists_and_revokes_for_admins_only(app_client, uow_factory) -> None:  # type: ignore[no-untyped-def]
    _, admin = accounts.create_token(uow_factory(), "root@x.org", "hr script")
    _, engineer = accounts.create_token(uow_factory(), "ana@x.org", "mine")
    client = as_(app_client, None)
    headers = {"Authorization": f"Bearer {admin}"}
    made = client.post(
        "/api/v1/invitations", json={"email": "bo@x.org", "days": 2}, headers=headers
    )
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["email"] == "bo@x.org" and body["admin"] is False and body["emailed"] is False
    assert body["link"].startswith("/auth/invite/") and body["mail_error"] is None
    listed = client.get("/api/v1/invitations", headers=headers).json()
    assert [(i["email"], i["expired"], i["created_by"]) for i in listed] == [
        ("bo@x.org", False, "root@x.org")
    ]
    assert listed[0]["expires_at"] == body["expires_at"]
    refused = client.post(
        "/api/v1/invitations", json={"email": "bo@x.org", "send": True}, headers=headers
    )
    assert refused.status_code == 422 and "mail is not configured" in refused.json()["detail"]
    assert client.delete("/api/v1/invitations/bo@x.org", headers=headers).status_code == 204
    assert client.delete("/api/v1/invitations/bo@x.org", headers=headers).status_code == 404
    theirs = {"Authorization": f"Bearer {engineer}"}
    assert (
        client.post("/api/v1/invitations", json={"email": "bo@x.org"}, headers=theirs).status_code
        == 403
    )
    assert client.get("/api/v1/invitations", headers=theirs).status_code == 403
    assert client.delete("/api/v1/invitations/bo@x.org", headers=theirs).status_code == 403


def test_with_mail_configured_the_api_mails_the_link_and_says_when_it_could_not(
    database_url, uow_factory, app_client
) -> None:  # type: ignore[no-untyped-def]
    from tests.receivers import free_port, smtp_server

    _, admin = accounts.create_token(uow_factory(), "root@x.org", "hr script")
    headers = {"Authorization": f"Bearer {admin}"}
    base = "https://skills.x.org/"
    with smtp_server() as mail:
        settings = Settings(
            database_url=database_url,
            base_url=base,
            smtp_url=mail.url,
            mail_from="skillgrid@x.org",
            outbox_interval=0,
        )
        with TestClient(create_app(settings), follow_redirects=False) as client:
            page = client.post("/api/v1/invitations", json={"email": "bo@x.org"}, headers=headers)
    assert page.status_code == 201, page.text
    body = page.json()
    assert body["emailed"] is True and body["link"].startswith(base + "auth/invite/")
    (sent,) = mail.to("bo@x.org")
    assert sent["Subject"] == "SkillGrid: choose your password"
    assert body["link"] in sent.get_payload()
    down = f"smtp://127.0.0.1:{free_port()}"  # nothing listens there
    settings = Settings(
        database_url=database_url, base_url=base, smtp_url=down, mail_from="skillgrid@x.org"
    )
    with TestClient(create_app(settings), follow_redirects=False) as client:
        failed = client.post("/api/v1/invitations", json={"email": "bo@x.org"}, headers=headers)
        assert failed.status_code == 201 and failed.json()["emailed"] is False
        assert "check SKILLGRID_SMTP_URL" in failed.json()["mail_error"]
        listed = client.get("/api/v1/invitations", headers=headers).json()
    assert [i["email"] for i in listed] == ["bo@x.org"]  # the invitation stands
