"""Accounts: add a local account, sessions that logout and expiry end, API tokens (signing
in, throttled, is in :mod:`skillgrid.services.sign_in`).

Passwords are hashed with argon2; the browser's session token is random, and only its
SHA-256 is stored, so a copy of the database signs nobody in."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import replace
from typing import TYPE_CHECKING

from skillgrid.domain.accounts import Account, AccountError, WebSession, check_password_rules
from skillgrid.domain.assessments import Actor
from skillgrid.domain.people import Role, check_email
from skillgrid.services.audit import record
from skillgrid.services.permissions import require_admin
from skillgrid.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from argon2 import PasswordHasher


def password_hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    check_password_rules(password)
    return str(password_hasher().hash(password))


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


def list_users(uow: UnitOfWork, actor: Actor) -> list[Account]:
    """Every account, by email."""
    require_admin(actor, "list accounts")
    with uow:
        return uow.accounts.all()


def sign_out(uow: UnitOfWork, token: str) -> None:
    with uow.write():
        uow.accounts.end_session(token_digest(token))
        uow.commit()


def session_caller(
    uow: UnitOfWork, token: str, now: dt.datetime | None = None
) -> tuple[WebSession, Actor] | None:
    """The live session a cookie token belongs to and who it acts as (one unit of work),
    or None."""
    now = now or dt.datetime.now(dt.UTC)
    with uow:
        found = uow.accounts.session_holder(token_digest(token), now)
    if found is None:
        return None
    actor = found[1].acting_as()
    return (found[0], actor) if actor is not None else None


def actor_of(uow: UnitOfWork, email: str) -> Actor | None:
    """Who a signed-in account acts as, or None when it may not act
    (:meth:`AccountHolder.acting_as`)."""
    with uow:
        return _actor_in(uow, email)


def _actor_in(uow: UnitOfWork, email: str) -> Actor | None:
    holder = uow.accounts.holder(email)
    return holder.acting_as() if holder is not None else None


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(uow: UnitOfWork, email: str, name: str) -> tuple[int, str]:
    """A personal API token for scripts: shown once, stored hashed, revocable."""
    email = email.strip().lower()
    name = name.strip()
    if not name or len(name) > 100:
        raise AccountError("give the token a name of 1 to 100 characters (what it is for)")
    token = "sg_" + secrets.token_urlsafe(32)
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


def token_owner(uow: UnitOfWork, token: str) -> str | None:
    """The account a live (not revoked) API token belongs to."""
    with uow:
        return uow.accounts.token_owner(token_digest(token))


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
    from skillgrid.domain.errors import NotFound

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
