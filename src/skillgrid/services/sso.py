"""Single sign-on through the company's identity provider: OpenID Connect's authorization
code flow with PKCE. The provider is reached through an :class:`IdentityProvider` that the
composition root hands in (``skillgrid/oidc.py``: discovery, the code exchange and the ID
token's signature, issuer, audience, expiry and nonce); the settings come in as a
:class:`SsoPolicy`. What is decided here:

- A sign-in starts with a random ``state``, ``nonce`` and PKCE verifier, kept in the
  database for 10 minutes with the hash of a cookie of the browser that started it, so the
  provider's answer may reach any app process. The answer takes (deletes) it: each is used
  once, from the browser that started it, before it expires.
- The ID token's ``email`` (or another configured claim) names the person; by default the
  provider must say the email is verified (``email_verified``). An email that matches a
  person, or an existing account, signs in; the account is made just in time (without a
  password). A person marked as having left is refused; an unknown email is refused with
  whom to ask, or becomes a person when the policy says so. The account is linked to the
  provider's identity (``iss`` and ``sub``) it first signs in as, and only that identity
  signs it in afterwards (:mod:`skillgrid.services.sso_claims`).
- With admin values configured, each sign-in sets the account's admin right from the
  admin claim (e.g. ``groups`` holding ``skillgrid-admins``); without, it never changes it.
- Every sign-in and every refusal after the provider answered is in the audit trail, with
  the client address; what the provider sent is never stored beyond the account's link
  and the session's ID token (the hint its end-session endpoint asks for at sign-out).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol

from skillgrid.domain.accounts import NO_PASSWORD, Account, PendingSso, WebSession
from skillgrid.domain.audit import ANONYMOUS, SSO_ACTOR, AuditEntry
from skillgrid.domain.people import Person
from skillgrid.services.accounts import open_session, token_digest
from skillgrid.services.audit import person_fields
from skillgrid.services.sso_claims import (
    SsoPolicy,
    SsoRefused,
    check_link,
    identity,
    name_of,
    wants_admin,
)
from skillgrid.services.unit_of_work import UnitOfWork

PENDING_LIFETIME = dt.timedelta(minutes=10)
_BROWSER = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)


@dataclass(frozen=True)
class IdToken:
    """An ID token whose signature and claims the provider client checked, and the token."""

    claims: Mapping[str, Any]
    raw: str


class ProviderError(Exception):
    """The provider could not be reached, refused, or answered with something that fails a
    check; ``reason`` is a short code for the audit trail."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class IdentityProvider(Protocol):
    """The identity provider, as :mod:`skillgrid.oidc` reaches it over HTTP."""

    issuer: str

    def authorization_url(
        self, *, redirect_uri: str, state: str, nonce: str, code_verifier: str
    ) -> str: ...

    def id_token(
        self, *, redirect_uri: str, code: str, code_verifier: str, nonce: str
    ) -> IdToken: ...

    def end_session_url(self, *, id_token: str, post_logout_redirect_uri: str) -> str | None: ...


@dataclass(frozen=True)
class Callback:
    """The provider's answer as it reaches the redirect URI."""

    state: str | None
    code: str | None
    error: str | None = None
    error_description: str | None = None
    iss: str | None = None


@dataclass(frozen=True)
class Started:
    """Where to send the browser, and the token its cookie must hold when it comes back."""

    url: str
    browser: str


@dataclass(frozen=True)
class SsoSignIn:
    """A session started by single sign-on: the cookie's token, the session, the page."""

    token: str
    session: WebSession
    next_path: str


def start(
    uow: UnitOfWork,
    provider: IdentityProvider,
    *,
    redirect_uri: str,
    next_path: str,
    browser: str | None,
    now: dt.datetime | None = None,
) -> Started:
    """Begin a sign-in: the provider's authorization URL, and the browser token to keep in
    a cookie (the one the browser sent, so two tabs may sign in at once, or a new one).
    Raises :class:`SsoRefused` (502) when the provider cannot be reached."""
    now = now or dt.datetime.now(dt.UTC)
    browser = browser if browser and _BROWSER.fullmatch(browser) else secrets.token_urlsafe(32)
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)  # 86 characters; PKCE allows 43 to 128
    try:
        url = provider.authorization_url(
            redirect_uri=redirect_uri, state=state, nonce=nonce, code_verifier=verifier
        )
    except ProviderError as error:
        raise SsoRefused(error.reason, str(error), status=502) from None
    pending = PendingSso(
        token_digest(state),
        token_digest(browser),
        nonce,
        verifier,
        next_path,
        now + PENDING_LIFETIME,
    )
    with uow.write():
        uow.sign_ins.add_pending_sso(pending, now)
        uow.commit()
    return Started(url, browser)


def finish(
    uow: UnitOfWork,
    provider: IdentityProvider,
    policy: SsoPolicy,
    callback: Callback,
    *,
    browser: str | None,
    redirect_uri: str,
    address: str,
) -> SsoSignIn:
    """Complete a sign-in from the provider's answer: a new session, or
    :class:`SsoRefused` (recorded in the audit trail, as the sign-in is)."""
    now = dt.datetime.now(dt.UTC)
    try:
        pending = _taken(uow, callback, browser, now)
        token = _exchanged(provider, callback, pending, redirect_uri)
        email = identity(token.claims, policy)
        with uow.write():
            session_token, session = _admit(uow, policy, email, token, address, now)
            uow.commit()
    except SsoRefused as refusal:
        _record_refusal(uow, refusal, address)
        raise
    return SsoSignIn(session_token, session, pending.next_path)


def end_session_url(
    provider: IdentityProvider, id_token: str | None, *, come_back_to: str
) -> str | None:
    """Where sign-out sends a browser that signed in through the provider: its end-session
    endpoint, when it has one; None for other sessions."""
    if id_token is None:
        return None
    return provider.end_session_url(id_token=id_token, post_logout_redirect_uri=come_back_to)


def _taken(
    uow: UnitOfWork, callback: Callback, browser: str | None, now: dt.datetime
) -> PendingSso:
    """The pending sign-in the answer's ``state`` names, taken so it is used once: it must
    exist, belong to this browser and not have expired."""
    pending = None
    if callback.state:
        with uow.write():
            pending = uow.sign_ins.take_pending_sso(token_digest(callback.state))
            uow.commit()
    if pending is None:
        raise SsoRefused(
            "state",
            "this sign-in is unknown or was used already (the page was reloaded, or the "
            "link came from elsewhere): start again",
        )
    if browser is None or token_digest(browser) != pending.browser_hash:
        raise SsoRefused(
            "browser",
            "this sign-in was started in another browser (or its cookie is gone): start again "
            "in this one",
        )
    if pending.expires_at <= now:
        raise SsoRefused("expired", "this sign-in took more than 10 minutes: start again")
    return pending


def _exchanged(
    provider: IdentityProvider, callback: Callback, pending: PendingSso, redirect_uri: str
) -> IdToken:
    """The checked ID token for the answer's code (the provider's error, a code from
    another issuer or none at all are refused)."""
    if callback.error:
        detail = callback.error_description
        said = callback.error + (f": {detail}" if detail else "")
        raise SsoRefused("provider_error", f"the identity provider did not sign you in ({said})")
    if callback.iss is not None and callback.iss != provider.issuer:
        raise SsoRefused(
            "issuer", f"the answer came from {callback.iss!r}, not from {provider.issuer!r}"
        )
    if not callback.code:
        raise SsoRefused("no_code", "the identity provider's answer holds no code: start again")
    try:
        return provider.id_token(
            redirect_uri=redirect_uri,
            code=callback.code,
            code_verifier=pending.code_verifier,
            nonce=pending.nonce,
        )
    except ProviderError as error:
        status = 502 if error.reason == "provider_unreachable" else 400
        raise SsoRefused(error.reason, str(error), status=status) from None


def _admit(
    uow: UnitOfWork,
    policy: SsoPolicy,
    email: str,
    token: IdToken,
    address: str,
    now: dt.datetime,
) -> tuple[str, WebSession]:
    """In an open unit of work that writes: the account of ``email`` (made just in time,
    and the person too when the policy says so), its admin right as the claims say, and a
    new session; or :class:`SsoRefused` (403) for someone who may not sign in."""
    person, account = uow.people.get(email), uow.accounts.get(email)
    if person is not None and not person.active:
        raise SsoRefused(
            "inactive",
            f"the person {email} is marked as having left, so SkillGrid does not sign them in",
            status=403,
            email=email,
            ask=_whom_to_ask(uow, policy),
        )
    if person is None and account is None:
        if not policy.create_people:
            raise SsoRefused(
                "unknown_person",
                f"SkillGrid has no one with the email {email} yet",
                status=403,
                email=email,
                ask=_whom_to_ask(uow, policy),
            )
        person = Person(email, name_of(token.claims, email))
        uow.people.save([person])
        _record(uow, "add", "person", email, None, {**person_fields(person), "via": "sso"})
    admin = wants_admin(token.claims, policy)
    if account is None:
        account = Account(email, NO_PASSWORD, bool(admin))
        uow.accounts.save(account)
        _record(uow, "add", "account", email, None, {"admin": account.is_admin, "via": "sso"})
    elif admin is not None and admin != account.is_admin:
        before = {"admin": account.is_admin}
        account = replace(account, is_admin=admin)
        uow.accounts.save(account)
        _record(uow, "change", "account", email, before, {"admin": admin, "via": "sso"})
    check_link(uow, email, token.claims, now)  # a refusal undoes all of the above
    session_token, session = open_session(uow, email, now, id_token=token.raw)
    after = {"address": address, "via": "sso", "subject": str(token.claims.get("sub"))}
    uow.audit.add(AuditEntry(email, "sign_in", "account", email, email, None, after))
    return session_token, session


def _record(
    uow: UnitOfWork,
    action: str,
    entity: str,
    email: str,
    before: dict[str, Any] | None,
    after: dict[str, Any],
) -> None:
    uow.audit.add(AuditEntry(SSO_ACTOR, action, entity, email, email, before, after))


def _record_refusal(uow: UnitOfWork, refusal: SsoRefused, address: str) -> None:
    after = {"reason": refusal.reason, "address": address, "detail": str(refusal)[:300]}
    entry = AuditEntry(
        ANONYMOUS, "sso_refused", "account", refusal.email or "(unknown)", refusal.email
    )
    with uow.write():
        uow.audit.add(replace(entry, after=after))
        uow.commit()


def _whom_to_ask(uow: UnitOfWork, policy: SsoPolicy) -> str:
    """The configured contact, or SkillGrid's admins by email (a few)."""
    if policy.contact:
        return f"Ask {policy.contact} to add you."
    admins = uow.accounts.admins()
    if not admins:
        return "Ask whoever runs SkillGrid to add you as a person."
    named = ", ".join(admins[:5]) + (" …" if len(admins) > 5 else "")
    return f"Ask a SkillGrid admin to add you as a person: {named}."
