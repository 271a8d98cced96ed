"""Single sign-on links an account to the provider's identity (``iss`` and ``sub``) at its
first sign-in, and only that identity signs it in after — against the real OpenID provider
of tests/oidc_provider (its account ``impostor`` is given bo's email)."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest

from skillgrid.domain.assessments import OPERATOR
from skillgrid.domain.audit import AuditQuery
from skillgrid.domain.errors import NotFound
from skillgrid.services import audit
from tests.web import test_sso
from tests.web.test_sso import sso, trail

# the provider and the app clients of test_sso, as fixtures of this module too
provider, make_app, client = test_sso.provider, test_sso.make_app, test_sso.client


def linked(uow_factory, email: str) -> tuple[str, str] | None:  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        found: tuple[str, str] | None = uow.sign_ins.identity_of(email)
    return found


def test_the_first_sign_in_links_the_account_to_the_provider_s_identity(
    client,
    provider,
    uow_factory,
) -> None:
    assert linked(uow_factory, "bo@x.org") is None
    assert sso(client, provider, "bo").status_code == 303
    assert linked(uow_factory, "bo@x.org") == (provider.issuer, "bo")
    after = [
        after for _, action, after in trail(uow_factory, "bo@x.org") if action == "link_identity"
    ]
    assert after == [{"issuer": provider.issuer, "subject": "bo"}]
    client.cookies.clear()
    assert sso(client, provider, "bo").status_code == 303  # the same identity: signed in again


def test_another_identity_given_a_linked_email_is_refused(
    client,
    make_app,
    provider,
    uow_factory,
) -> None:
    assert sso(client, provider, "bo").status_code == 303
    other = make_app()
    answer = sso(other, provider, "impostor")  # the provider now gives bo@x.org to another
    assert answer.status_code == 403
    assert "bo@x.org is linked to another identity at the provider" in html.unescape(answer.text)
    assert "skillgrid user sso-unlink bo@x.org" in html.unescape(answer.text)
    assert "skillgrid_session" not in other.cookies
    assert linked(uow_factory, "bo@x.org") == (provider.issuer, "bo")
    actor, action, after = trail(uow_factory, "bo@x.org")[-1]
    assert (actor, action, after["reason"]) == ("web/anonymous", "sso_refused", "identity_mismatch")


def test_after_an_admin_unlinks_the_account_the_next_identity_is_linked(
    client,
    make_app,
    provider,
    uow_factory,
) -> None:
    from skillgrid.services.sso_claims import unlink_identity

    assert sso(client, provider, "bo").status_code == 303
    assert unlink_identity(uow_factory(), "bo@x.org", actor=OPERATOR) == (provider.issuer, "bo")
    actions = [(actor, action) for actor, action, _ in trail(uow_factory, "bo@x.org")]
    assert ("cli/operator", "unlink_identity") in actions
    assert sso(make_app(), provider, "impostor").status_code == 303
    assert linked(uow_factory, "bo@x.org") == (provider.issuer, "impostor")
    with pytest.raises(NotFound):
        unlink_identity(uow_factory(), "ana@x.org", actor=OPERATOR)


def test_an_identity_linked_to_another_account_does_not_sign_in_as_its_new_email(
    client,
    provider,
    uow_factory,
) -> None:
    now = dt.datetime.now(dt.UTC)
    with uow_factory().write() as uow:  # bo's identity signed in as ana@x.org before
        uow.sign_ins.link_identity("ana@x.org", provider.issuer, "bo", now)
        uow.commit()
    answer = sso(client, provider, "bo")
    assert answer.status_code == 403
    text = html.unescape(answer.text)
    assert "linked to the SkillGrid account ana@x.org" in text and "bo@x.org" in text
    assert "skillgrid_session" not in client.cookies
    with uow_factory() as uow:
        assert uow.accounts.get("bo@x.org") is None  # nothing made for the refused sign-in
    assert trail(uow_factory, "bo@x.org")[-1][2]["reason"] == "identity_elsewhere"


def test_a_link_made_at_another_issuer_is_replaced_at_the_next_sign_in(
    client,
    provider,
    uow_factory,
) -> None:
    now = dt.datetime.now(dt.UTC)
    with uow_factory().write() as uow:  # linked at the company's former provider
        uow.sign_ins.link_identity("ana@x.org", "https://old-idp.example", "a-1", now)
        uow.commit()
    assert sso(client, provider, "ana").status_code == 303
    assert linked(uow_factory, "ana@x.org") == (provider.issuer, "ana")
    before = [
        b for _, action, b in _trail_before(uow_factory, "ana@x.org") if action == "link_identity"
    ]
    assert before == [{"issuer": "https://old-idp.example"}]


def _trail_before(uow_factory, email: str) -> list[tuple[str, str, dict[str, Any]]]:  # type: ignore[no-untyped-def]
    entries = audit.list_audit(uow_factory(), OPERATOR, AuditQuery(person=email, limit=500))
    return [(e.actor, e.action, e.before or {}) for e in reversed(entries)]
