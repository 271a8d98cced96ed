"""Break glass: ``skillgrid user sign-in-link`` prints a one-time link that signs an admin in
once, within its minutes, even with passwords off and the identity provider unreachable."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from skillgrid.cli import app as cli
from skillgrid.config import Settings
from skillgrid.domain.accounts import SignInError
from skillgrid.domain.assessments import OPERATOR
from skillgrid.domain.audit import AuditQuery
from skillgrid.services import accounts, audit
from skillgrid.services.sign_in_links import create_sign_in_link, use_sign_in_link
from skillgrid.web.app import create_app
from tests.web.conftest import PASSWORD

runner = CliRunner()
BASE = "http://testserver/"


@pytest.fixture
def glass(database_url: str, uow_factory):  # type: ignore[no-untyped-def]
    """An admin and an engineer account; an app with passwords off whose identity provider
    cannot be reached."""
    accounts.add_user(uow_factory(), "root@x.org", PASSWORD, admin=True, actor=OPERATOR)
    accounts.add_user(uow_factory(), "ana@x.org", PASSWORD, actor=OPERATOR)
    settings = Settings(
        database_url=database_url,
        base_url=BASE,
        oidc_issuer="http://127.0.0.1:9",  # nobody listens
        oidc_client_id="skillgrid",
        password_sign_in=False,
    )
    with TestClient(create_app(settings), follow_redirects=False) as client:
        yield client, {"SKILLGRID_DATABASE_URL": database_url, "SKILLGRID_BASE_URL": BASE}


def test_a_printed_link_signs_the_admin_in_once(glass, uow_factory) -> None:
    client, env = glass
    made = runner.invoke(cli, ["user", "sign-in-link", "root@x.org", "--minutes", "5"], env=env)
    assert made.exit_code == 0, made.stderr
    link = made.stdout.strip()
    assert link.startswith(f"{BASE}auth/link/") and "Valid for 5 minutes, once." in made.stderr
    path = link.removeprefix(BASE.rstrip("/"))
    page = client.get(path)  # a link previewer fetching it uses nothing up
    assert page.status_code == 200 and "One-time sign-in" in page.text
    form = {"csrf_token": client.cookies["skillgrid_login_csrf"]}
    used = client.post(path, data=form)
    assert used.status_code == 303 and used.headers["location"] == "/admin"
    assert client.get("/admin").status_code == 200
    client.cookies.delete("skillgrid_session")
    client.get(path)
    again = client.post(path, data={"csrf_token": client.cookies["skillgrid_login_csrf"]})
    assert again.status_code == 403 and "used already" in again.text
    entries = audit.list_audit(uow_factory(), OPERATOR, AuditQuery(person="root@x.org"))
    actions = [(e.actor, e.action, (e.after or {}).get("via")) for e in reversed(entries)]
    assert actions[-2:] == [
        ("cli/operator", "create_sign_in_link", None),
        ("root@x.org", "sign_in", "sign-in link"),
    ]


def test_a_link_without_the_form_s_token_is_refused(glass) -> None:
    client, _ = glass
    token = create_sign_in_link(client.app.state.uow_factory(), "root@x.org", actor=OPERATOR)  # type: ignore[attr-defined]
    assert client.post(f"/auth/link/{token}", data={"csrf_token": "forged"}).status_code == 403
    assert "skillgrid_session" not in client.cookies


def test_links_are_for_admin_accounts_only(glass) -> None:
    _, env = glass
    refused = runner.invoke(cli, ["user", "sign-in-link", "ana@x.org"], env=env)
    assert refused.exit_code == 1 and "not an admin account" in refused.stderr
    too_long = runner.invoke(
        cli, ["user", "sign-in-link", "root@x.org", "--minutes", "90"], env=env
    )
    assert too_long.exit_code != 0


def test_an_expired_link_is_refused_and_recorded(glass, uow_factory) -> None:
    made = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=20)
    token = create_sign_in_link(uow_factory(), "root@x.org", minutes=15, actor=OPERATOR, now=made)
    with pytest.raises(SignInError, match="expired"):
        use_sign_in_link(uow_factory(), token, address="203.0.113.9")
    entry = audit.list_audit(uow_factory(), OPERATOR, AuditQuery(person="root@x.org"))[0]
    assert (entry.action, entry.after) == (
        "sign_in_failed",
        {"via": "sign-in link", "reason": "expired", "address": "203.0.113.9"},
    )
