"""Accounts: add a local account, change one's own password, sessions that logout and
expiry end, API tokens (signing in, throttled, is in :mod:`skillgrid.services.sign_in`).

Passwords follow the rules of :func:`skillgrid.domain.accounts.password_problem`, with the
list of common passwords shipped in ``skillgrid/data`` (read on first use). They are hashed
with argon2; the browser's session token is random, and only its SHA-256 is stored, so a
copy of the database signs nobody in."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING

from skillgrid.domain.accounts import (
    SESSION_LIFETIME,
    Account,
    AccountError,
    SignInError,
    WebSession,
    check_password_rules,
    password_problem,
)
from skillgrid.domain.assessments import Actor
from skillgrid.domain.errors import NotFound
from skillgrid.domain.people import Role, check_email
from skillgrid.domain.throttle import ADDRESS_LIMIT
from skillgrid.services.audit import record
from skillgrid.services.permissions import require_admin, require_own_account
from skillgrid.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from argon2 import PasswordHasher


def password_hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    """The argon2 hash of a password (the rules are checked before: :func:`password_weakness`)."""
    return str(password_hasher().hash(password))


@cache
def common_passwords() -> frozenset[str]:
    """The common passwords the rules refuse (``skillgrid/data/common-passwords.txt``, from
    Django; see the README beside it), read on first use and kept for the process."""
    from importlib import resources

    listed = resources.files("skillgrid.data").joinpath("common-passwords.txt")
    return frozenset(listed.read_text(encoding="utf-8").splitlines())


def password_weakness(password: str, email: str) -> str | None:
    """What the password rules say against ``password`` for the account ``email``, or None."""
    return password_problem(password, email, common_passwords())


def check_new_password(email: str, new: str, repeat: str) -> None:
    """Raise :class:`AccountError` unless ``new`` equals ``repeat`` and meets the rules for
    the account ``email``."""
    if new != repeat:
        raise AccountError("the new password and its repeat differ: type the same one twice")
    check_password_rules(new, email, common_passwords())


def add_user(
    uow: UnitOfWork,
    email: str,
    password: str,
    *,
    admin: bool = False,
    actor: Actor,
) -> Account:
    """Create (or reset the password of) a local account. The audit trail says the password
    changed, never what it is (nor its hash)."""
    require_admin(actor, "add or change accounts")
    email = check_email(email)
    check_password_rules(password, email, common_passwords())
    account = Account(email, hash_password(password), admin)
    with uow.write():
        existing = uow.accounts.get(email)
        if existing is not None:
            account = replace(existing, password_hash=account.password_hash, is_admin=admin)
            uow.accounts.end_sessions_of(email)  # a new password signs everyone out
            uow.accounts.revoke_tokens_of(email)  # … stops every API token
            uow.sign_ins.forget_devices_of(email)  # … and trusts no browser any more
            record(
                uow,
                actor,
                "reset_password",
                "account",
                email,
                person=email,
                before={"admin": existing.is_admin},
                after={"admin": admin, "password": "changed", "sessions_and_tokens": "ended"},
            )
        else:
            record(uow, actor, "add", "account", email, person=email, after={"admin": admin})
        uow.accounts.save(account)
        uow.commit()
    return account


def change_password(
    uow: UnitOfWork,
    actor: Actor,
    email: str,
    current: str,
    new: str,
    repeat: str,
    *,
    address: str,
    session_token: str | None = None,
    address_limit: int = ADDRESS_LIMIT,
) -> None:
    """Change the acting account's own password: the new one must equal its repeat and
    meet the rules, and the current one be right (checked as a sign-in from ``address`` is,
    throttled: raises :class:`Throttled`). The account's other sessions end; the session of
    ``session_token`` (the one asking) stays and may open every page again. API tokens keep
    working. The audit trail says the password changed, never what it is."""
    from skillgrid.services.sign_in import Attempt, check_password

    require_own_account(actor, email, "change the password")
    check_new_password(email, new, repeat)
    with uow:
        account = uow.accounts.get(email)
    if account is not None and not account.has_password:
        raise AccountError(
            "this account signs in with SSO and has no password to change: an admin can give "
            "it one with `skillgrid user add`"
        )
    try:
        check_password(uow, Attempt(email, current, address), address_limit=address_limit)
    except SignInError:
        raise AccountError(
            "the current password is wrong: type the password you signed in with"
        ) from None
    # argon2 takes tens of milliseconds: never inside a transaction that writes
    new_hash = hash_password(new)
    keep = token_digest(session_token) if session_token else None
    with uow.write():
        account = uow.accounts.get(email)
        if account is None:
            raise NotFound(f"no account {email}")
        uow.accounts.save(replace(account, password_hash=new_hash))
        uow.accounts.end_sessions_of(email, keep=keep)
        if keep is not None:
            uow.accounts.password_changed(keep)
        after = {"password": "changed", "other_sessions": "ended"}
        record(uow, actor, "change_password", "account", email, person=email, after=after)
        uow.commit()


def list_users(uow: UnitOfWork, actor: Actor) -> list[Account]:
    """Every account, by email."""
    require_admin(actor, "list accounts")
    with uow:
        return uow.accounts.all()


def sign_out(uow: UnitOfWork, token: str) -> str | None:
    """End the session of a cookie token: the ID token it signed in with through the
    identity provider, for the provider's end-session endpoint (None for other sessions)."""
    with uow.write():
        id_token = uow.accounts.end_session(token_digest(token))
        uow.commit()
    return id_token


def open_session(
    uow: UnitOfWork,
    email: str,
    now: dt.datetime,
    *,
    must_change_password: bool = False,
    id_token: str | None = None,
) -> tuple[str, WebSession]:
    """In an open unit of work that writes: a new session of ``email`` (expired ones are
    purged), as the cookie's token and the session stored under its hash."""
    token = secrets.token_urlsafe(32)
    csrf, expires = secrets.token_urlsafe(32), now + SESSION_LIFETIME
    session = WebSession(token_digest(token), email, csrf, expires, must_change_password, id_token)
    uow.accounts.purge_expired(now)
    uow.accounts.add_session(session, now)
    return token, session


def session_caller(uow: UnitOfWork, token: str) -> tuple[WebSession, Actor] | None:
    """The live session a cookie token belongs to and who it acts as (one unit of work),
    or None."""
    with uow:
        found = uow.accounts.session_holder(token_digest(token), dt.datetime.now(dt.UTC))
    if found is None:
        return None
    actor = found[1].acting_as()
    return (found[0], actor) if actor is not None else None


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(prefix: str = "sg_") -> str:
    """A random bearer token (256 bits) starting with ``prefix``, which says what it is
    for; only its :func:`token_digest` is stored."""
    return prefix + secrets.token_urlsafe(32)


def token_name(name: str) -> str:
    """A token's name, checked: 1 to 100 characters saying what it is for."""
    name = name.strip()
    if not name or len(name) > 100:
        raise AccountError("give the token a name of 1 to 100 characters (what it is for)")
    return name


def create_token(uow: UnitOfWork, email: str, name: str) -> tuple[int, str]:
    """A personal API token for scripts: shown once, stored hashed, revocable."""
    email = email.strip().lower()
    name = token_name(name)
    token = new_token()
    with uow.write():
        if uow.accounts.get(email) is None:
            raise AccountError(f"no account {email}; add it with `skillgrid user add`")
        token_id = uow.accounts.add_token(email, name, token_digest(token), dt.datetime.now(dt.UTC))
        record(
            uow,
            Actor(email, Role.ENGINEER),
            "create",
            "token",
            str(token_id),
            person=email,
            after={"name": name},
        )
        uow.commit()
    return token_id, token


def token_caller(uow: UnitOfWork, token: str) -> tuple[str, Actor] | None:
    """The account a live API token belongs to and who it acts as (one unit of work), or
    None."""
    with uow:
        holder = uow.accounts.token_holder(token_digest(token))
    actor = holder.acting_as() if holder is not None else None
    return (holder.email, actor) if holder is not None and actor is not None else None


def list_tokens(uow: UnitOfWork, email: str) -> list[tuple[int, str, dt.datetime, bool]]:
    with uow:
        return uow.accounts.tokens(email.strip().lower())


def revoke_token(uow: UnitOfWork, email: str, token_id: int) -> None:
    """Revoke one of the account's live tokens (another account's token, or one revoked
    already, is not found: nothing changes and nothing is recorded)."""
    with uow.write():
        email = email.strip().lower()
        if not uow.accounts.revoke_token(email, token_id):
            raise NotFound(f"no live token #{token_id} of {email}: revoked already, or not yours")
        record(
            uow,
            Actor(email, Role.ENGINEER),
            "revoke",
            "token",
            str(token_id),
            person=email,
            before={"revoked": False},
            after={"revoked": True},
        )
        uow.commit()
