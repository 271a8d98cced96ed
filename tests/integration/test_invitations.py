"""Invitations on a real database (SQLite, and PostgreSQL when given): an admin invites, the
person chooses their own password through a one-time link, and every refusal leaves the
stored data as it was."""

from __future__ import annotations

import datetime as dt

import pytest

from skillgrid.domain.accounts import NO_PASSWORD, Account, AccountError, InvitationRefused
from skillgrid.domain.assessments import OPERATOR, Actor, Forbidden
from skillgrid.domain.audit import AuditQuery
from skillgrid.domain.errors import ConfigurationError, NotFound
from skillgrid.domain.people import PeopleError, Role
from skillgrid.services import accounts, audit, people, people_import
from skillgrid.services.invitations import (
    Site,
    accept_invitation,
    create_invitation,
    invitation_for,
    list_invitations,
    revoke_invitation,
)
from skillgrid.services.sign_in import Attempt, sign_in
from tests.conftest import table_snapshot

PEOPLE = (
    b"name,email,team,manager_email,role\nBo,bo@x.org,SRE,,manager\nAna,ana@x.org,SRE,bo@x.org,\n"
)
NEW = "quiet otter maps the harbour"
ADDRESS = "203.0.113.9"
SITE = Site(password_sign_in=True)


@pytest.fixture
def org(uow_factory):  # type: ignore[no-untyped-def]
    people_import.import_people(uow_factory(), PEOPLE, "people.csv", actor=OPERATOR)
    return uow_factory


def token_of(link: str) -> str:
    return link.rsplit("/", 1)[1]


def actions(uow_factory, email: str) -> list[tuple[str, str, dict | None]]:  # type: ignore[no-untyped-def,type-arg]
    entries = audit.list_audit(uow_factory(), OPERATOR, AuditQuery(person=email))
    return [(e.actor, e.action, e.after) for e in reversed(entries)]


def test_an_invited_person_chooses_a_password_once_and_is_signed_in(org) -> None:  # type: ignore[no-untyped-def]
    issued = create_invitation(org(), " Ana@x.org ", SITE, actor=OPERATOR)
    assert issued.link.startswith("/auth/invite/") and not issued.emailed
    assert issued.invitation.email == "ana@x.org" and not issued.invitation.is_admin
    days = issued.invitation.expires_at - issued.invitation.created_at
    assert days == dt.timedelta(days=7)
    token = token_of(issued.link)
    assert invitation_for(org(), token).email == "ana@x.org"
    session_token, session = accept_invitation(org(), token, NEW, NEW, address=ADDRESS)
    assert session.email == "ana@x.org" and session_token
    assert accounts.session_caller(org(), session_token) is not None
    assert sign_in(org(), Attempt("ana@x.org", NEW, ADDRESS)).session.email == "ana@x.org"
    assert list_invitations(org(), OPERATOR) == []
    with pytest.raises(InvitationRefused, match="ask an admin for a new invitation"):
        accept_invitation(org(), token, NEW, NEW, address=ADDRESS)
    with pytest.raises(InvitationRefused):
        invitation_for(org(), token)
    assert [(actor, action) for actor, action, _ in actions(org, "ana@x.org")][-4:-1] == [
        ("cli/operator", "invite"),
        ("ana@x.org", "accept_invitation"),
        ("ana@x.org", "sign_in"),
    ]


def test_the_link_starts_with_the_site_s_address_when_it_is_known(org) -> None:  # type: ignore[no-untyped-def]
    site = Site(password_sign_in=True, base_url="https://skills.x.org/")
    issued = create_invitation(org(), "ana@x.org", site, actor=OPERATOR, days=3)
    assert issued.link.startswith("https://skills.x.org/auth/invite/")
    assert issued.invitation.expires_at - issued.invitation.created_at == dt.timedelta(days=3)


def test_someone_who_is_not_a_person_is_invited_only_as_an_admin(org, database_url) -> None:  # type: ignore[no-untyped-def]
    before = table_snapshot(database_url)
    with pytest.raises(AccountError, match="not a person in the organisation"):
        create_invitation(org(), "zed@x.org", SITE, actor=OPERATOR)
    assert table_snapshot(database_url) == before
    issued = create_invitation(org(), "zed@x.org", SITE, admin=True, actor=OPERATOR)
    accept_invitation(org(), token_of(issued.link), NEW, NEW, address=ADDRESS)
    uow = org()
    with uow:
        account = uow.accounts.get("zed@x.org")
    assert account is not None and account.is_admin and account.has_password


def test_bad_requests_are_refused_and_store_nothing(org, database_url) -> None:  # type: ignore[no-untyped-def]
    accounts.add_user(org(), "bo@x.org", NEW, actor=OPERATOR)
    before = table_snapshot(database_url)
    refusals = [
        (lambda: create_invitation(org(), "not an email", SITE, actor=OPERATOR), "not an email"),
        (lambda: create_invitation(org(), "ana@x.org", SITE, days=0, actor=OPERATOR), "1 to 30"),
        (lambda: create_invitation(org(), "ana@x.org", SITE, days=31, actor=OPERATOR), "1 to 30"),
        (lambda: create_invitation(org(), "bo@x.org", SITE, actor=OPERATOR), "has a password"),
        (
            lambda: create_invitation(org(), "ana@x.org", SITE, send=True, actor=OPERATOR),
            "mail is not configured",
        ),
        (
            lambda: create_invitation(org(), "ana@x.org", Site(False), actor=OPERATOR),
            "through SSO",
        ),
    ]
    for refused, reason in refusals:
        with pytest.raises((AccountError, ConfigurationError, PeopleError), match=reason):
            refused()
    with pytest.raises(Forbidden):
        create_invitation(org(), "ana@x.org", SITE, actor=Actor("bo@x.org", Role.MANAGER))
    assert table_snapshot(database_url) == before


def test_an_account_single_sign_on_made_is_invited_to_choose_a_password(org) -> None:  # type: ignore[no-untyped-def]
    uow = org()
    with uow.write():
        uow.accounts.save(Account("ana@x.org", NO_PASSWORD))
        uow.commit()
    issued = create_invitation(org(), "ana@x.org", SITE, actor=OPERATOR)
    accept_invitation(org(), token_of(issued.link), NEW, NEW, address=ADDRESS)
    assert sign_in(org(), Attempt("ana@x.org", NEW, ADDRESS)).session.email == "ana@x.org"


def test_inviting_again_replaces_the_earlier_link(org) -> None:  # type: ignore[no-untyped-def]
    first = create_invitation(org(), "ana@x.org", SITE, actor=OPERATOR)
    second = create_invitation(org(), "ana@x.org", SITE, admin=True, actor=OPERATOR)
    with pytest.raises(InvitationRefused):
        accept_invitation(org(), token_of(first.link), NEW, NEW, address=ADDRESS)
    assert [i.is_admin for i in list_invitations(org(), OPERATOR)] == [True]
    accept_invitation(org(), token_of(second.link), NEW, NEW, address=ADDRESS)


def test_a_refused_password_keeps_the_invitation_and_says_why(org) -> None:  # type: ignore[no-untyped-def]
    token = token_of(create_invitation(org(), "ana@x.org", SITE, actor=OPERATOR).link)
    for new, repeat, reason in [
        ("short", "short", "at least 12 characters"),
        ("ana@x.org", "ana@x.org", "at least 12"),
        ("password1234", "password1234", "common passwords"),
        (NEW, NEW + "!", "differ"),
    ]:
        with pytest.raises(AccountError, match=reason):
            accept_invitation(org(), token, new, repeat, address=ADDRESS)
    accept_invitation(org(), token, NEW, NEW, address=ADDRESS)


def test_an_expired_invitation_is_refused_and_recorded(org) -> None:  # type: ignore[no-untyped-def]
    made = dt.datetime.now(dt.UTC) - dt.timedelta(days=8)
    issued = create_invitation(org(), "ana@x.org", SITE, actor=OPERATOR, now=made)
    with pytest.raises(InvitationRefused, match="expired"):
        accept_invitation(org(), token_of(issued.link), NEW, NEW, address=ADDRESS)
    assert actions(org, "ana@x.org")[-1] == (
        "web/anonymous",
        "invitation_refused",
        {"reason": "expired", "address": ADDRESS},
    )
    (pending,) = list_invitations(org(), OPERATOR)  # kept: the admin sees it expired
    assert pending.expired(dt.datetime.now(dt.UTC))


def test_a_person_who_left_is_not_let_in(org) -> None:  # type: ignore[no-untyped-def]
    issued = create_invitation(org(), "ana@x.org", SITE, actor=OPERATOR)
    people.change_person(org(), "ana@x.org", active=False, actor=OPERATOR)
    with pytest.raises(InvitationRefused, match="left"):
        accept_invitation(org(), token_of(issued.link), NEW, NEW, address=ADDRESS)
    assert actions(org, "ana@x.org")[-1][1:] == (
        "invitation_refused",
        {"reason": "left the organisation", "address": ADDRESS},
    )
    with pytest.raises(AccountError, match="left"):
        create_invitation(org(), "ana@x.org", SITE, actor=OPERATOR)


def test_with_passwords_off_an_invitation_is_not_used(org) -> None:  # type: ignore[no-untyped-def]
    token = token_of(create_invitation(org(), "ana@x.org", SITE, actor=OPERATOR).link)
    with pytest.raises(InvitationRefused, match="through SSO"):
        accept_invitation(org(), token, NEW, NEW, address=ADDRESS, password_sign_in=False)
    assert actions(org, "ana@x.org")[-1][1] == "invitation_refused"


def test_a_revoked_invitation_no_longer_works(org) -> None:  # type: ignore[no-untyped-def]
    token = token_of(create_invitation(org(), "ana@x.org", SITE, actor=OPERATOR).link)
    revoke_invitation(org(), "ANA@x.org", actor=OPERATOR)
    with pytest.raises(InvitationRefused):
        accept_invitation(org(), token, NEW, NEW, address=ADDRESS)
    with pytest.raises(NotFound, match="no pending invitation"):
        revoke_invitation(org(), "ana@x.org", actor=OPERATOR)
    assert actions(org, "ana@x.org")[-1][:2] == ("cli/operator", "revoke_invitation")


def test_a_password_an_admin_gave_after_the_invitation_is_not_overwritten_by_it(org) -> None:  # type: ignore[no-untyped-def]
    token = token_of(create_invitation(org(), "ana@x.org", SITE, actor=OPERATOR).link)
    accounts.add_user(org(), "ana@x.org", "an admin typed this one", actor=OPERATOR)
    with pytest.raises(InvitationRefused, match="has a password already"):
        invitation_for(org(), token)
    with pytest.raises(InvitationRefused, match="has a password already"):
        accept_invitation(org(), token, NEW, NEW, address=ADDRESS)
    assert actions(org, "ana@x.org")[-1][1:] == (
        "invitation_refused",
        {"reason": "has a password", "address": ADDRESS},
    )
    signed_in = sign_in(org(), Attempt("ana@x.org", "an admin typed this one", ADDRESS))
    assert signed_in is not None
