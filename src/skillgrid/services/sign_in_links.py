"""One-time sign-in links: the way in for an admin when single sign-on fails and password
sign-in is off (break glass). The operator makes one on the server
(``skillgrid user sign-in-link EMAIL``); it signs one admin account in once, within minutes.
Only the token's SHA-256 is stored; using it deletes it. Making, using and each refused use
are in the audit trail."""

from __future__ import annotations

import datetime as dt
import secrets

from skillgrid.domain.accounts import AccountError, SignInError, WebSession
from skillgrid.domain.assessments import Actor
from skillgrid.domain.audit import ANONYMOUS, AuditEntry
from skillgrid.domain.people import check_email
from skillgrid.services.accounts import open_session, token_digest
from skillgrid.services.audit import record
from skillgrid.services.permissions import require_admin
from skillgrid.services.unit_of_work import UnitOfWork

DEFAULT_MINUTES = 15
MAX_MINUTES = 60
PATH = "/auth/link/"  # the page a link opens; the token follows
UNUSABLE = (
    "this sign-in link is unknown, used already or expired: ask the operator for a new one "
    "(skillgrid user sign-in-link)"
)


def create_sign_in_link(
    uow: UnitOfWork,
    email: str,
    *,
    minutes: int = DEFAULT_MINUTES,
    actor: Actor,
    now: dt.datetime | None = None,
) -> str:
    """A one-time sign-in token for the admin account ``email``, valid ``minutes`` (1 to 60);
    the operator's, or an admin's, to make. Other accounts sign in through the identity
    provider (or with a password) as usual."""
    require_admin(actor, "make sign-in links")
    email = check_email(email)
    if not 1 <= minutes <= MAX_MINUTES:
        raise AccountError(f"a sign-in link lasts 1 to {MAX_MINUTES} minutes, not {minutes}")
    now = now or dt.datetime.now(dt.UTC)
    token = secrets.token_urlsafe(32)
    expires = now + dt.timedelta(minutes=minutes)
    with uow.write():
        account = uow.accounts.get(email)
        if account is None or not account.is_admin:
            raise AccountError(
                f"{email} is not an admin account: sign-in links are for admins only "
                "(make one with `skillgrid user add EMAIL --admin --generate`)"
            )
        person = uow.people.get(email)
        if person is not None and not person.active:
            raise AccountError(f"{email} is marked as having left: no link signs them in")
        uow.sign_ins.add_sign_in_link(email, token_digest(token), expires, now)
        after = {"expires_at": expires.isoformat(timespec="seconds"), "minutes": minutes}
        record(uow, actor, "create_sign_in_link", "account", email, person=email, after=after)
        uow.commit()
    return token


def use_sign_in_link(uow: UnitOfWork, token: str, *, address: str) -> tuple[str, WebSession]:
    """Sign in with a one-time link (it is used up, whatever happens next): a new session's
    cookie token and the session. Raises :class:`SignInError` for a link that is unknown,
    used, expired, or whose account is no longer an admin or has left."""
    now = dt.datetime.now(dt.UTC)
    with uow.write():
        found = uow.sign_ins.take_sign_in_link(token_digest(token))
        uow.commit()
    if found is None:
        raise SignInError(UNUSABLE)
    email, expires = found
    with uow.write():
        account, person = uow.accounts.get(email), uow.people.get(email)
        usable = account is not None and account.is_admin and (person is None or person.active)
        if expires <= now or not usable:
            reason = "expired" if expires <= now else "not an active admin"
            after = {"via": "sign-in link", "reason": reason, "address": address}
            entry = AuditEntry(ANONYMOUS, "sign_in_failed", "account", email, email, None, after)
            uow.audit.add(entry)
            uow.commit()
            raise SignInError(UNUSABLE)
        session_token, session = open_session(uow, email, now)
        after = {"address": address, "via": "sign-in link"}
        uow.audit.add(AuditEntry(email, "sign_in", "account", email, email, None, after))
        uow.commit()
    return session_token, session
