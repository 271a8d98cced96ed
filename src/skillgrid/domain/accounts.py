"""Accounts and sign-in sessions: what the rules say, not how passwords are hashed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Container
from dataclasses import dataclass

from skillgrid.domain.assessments import Actor
from skillgrid.domain.errors import SkillGridError
from skillgrid.domain.people import Role

MIN_PASSWORD = 12
MAX_PASSWORD = 1000
ADVICE = "choose a longer passphrase, e.g. four unrelated words"
SESSION_LIFETIME = dt.timedelta(hours=12)
NO_PASSWORD = ""  # the hash of an account made by single sign-on: no password signs it in
INVITATION_DAYS = 7  # how long an invitation is valid unless told otherwise
MAX_INVITATION_DAYS = 30


class AccountError(SkillGridError):
    """An account that cannot be created or used as asked."""


class SignInError(SkillGridError):
    """Wrong email or password (one message for both: it says nothing about which emails
    have accounts)."""


class InvitationRefused(SkillGridError):
    """An invitation that cannot be used: unknown, used, expired, or its person has left."""


@dataclass(frozen=True, slots=True)
class Account:
    email: str
    password_hash: str
    is_admin: bool = False

    @property
    def has_password(self) -> bool:
        """False for an account made by single sign-on (until an admin gives it one)."""
        return self.password_hash != NO_PASSWORD


@dataclass(frozen=True, slots=True)
class WebSession:
    """A signed-in browser; ``token_hash`` is stored, the token itself only in the cookie."""

    token_hash: str
    email: str
    csrf_token: str
    expires_at: dt.datetime
    must_change_password: bool = False  # signed in with a password the rules now refuse
    id_token: str | None = None  # signed in through the identity provider: its ID token


@dataclass(frozen=True, slots=True)
class Invitation:
    """An invitation to choose a password for the account ``email`` (made when it is
    used, an admin account if ``is_admin``), until ``expires_at``; its token is only in the
    link, the table holds the token's SHA-256."""

    email: str
    is_admin: bool
    expires_at: dt.datetime
    created_by: str
    created_at: dt.datetime

    def expired(self, now: dt.datetime) -> bool:
        return self.expires_at <= now


@dataclass(frozen=True, slots=True)
class PendingSso:
    """A sign-in sent to the identity provider, until its answer comes back: the hashes of
    its ``state`` and of the browser's cookie, the ``nonce`` and PKCE ``code_verifier``
    the answer must match, and the page to go on to."""

    state_hash: str
    browser_hash: str
    nonce: str
    code_verifier: str
    next_path: str
    expires_at: dt.datetime


@dataclass(frozen=True, slots=True)
class AccountHolder:
    """Who holds an account (signed in, or calling with a token): the account, and what
    their person record says, when one is on file."""

    email: str
    is_admin: bool
    role: Role | None = None  # the person's role; None: no person record
    active: bool = True

    def acting_as(self) -> Actor | None:
        """Who they act as, or None when they may not act: admin rights come only from
        the account (never from a person record); others take their person's role (an
        account without one is an engineer); a person marked inactive acts as nobody."""
        if not self.active:
            return None
        if self.is_admin:
            return Actor(self.email, Role.ADMIN)
        role = self.role or Role.ENGINEER
        return Actor(self.email, Role.MANAGER if role is Role.ADMIN else role)


def password_problem(password: str, email: str, common: Container[str]) -> str | None:
    """What is wrong with ``password`` for the account ``email``, or None: at least
    ``MIN_PASSWORD`` characters, not one character repeated, not the email or the part
    before its ``@``, not in ``common`` (lower-case passwords; compared lower-cased). Each
    answer says what is wrong and ends with what to do."""
    if len(password) > MAX_PASSWORD:
        return f"a password is limited to {MAX_PASSWORD:,} characters: choose a shorter passphrase"
    if len(password) < MIN_PASSWORD:
        has = len(password)
        return f"a password needs at least {MIN_PASSWORD} characters (this one has {has}): {ADVICE}"
    if len(set(password)) == 1:
        return f"a password of one character repeated is guessed at once: {ADVICE}"
    lowered, email = password.lower(), email.strip().lower()
    if lowered in (email, email.partition("@")[0]):
        return f"a password may not be the account's email or the part before the @: {ADVICE}"
    if lowered in common:
        return f"this password is on the list of common passwords that are tried first: {ADVICE}"
    return None


def check_password_rules(password: str, email: str, common: Container[str]) -> None:
    """Raise :class:`AccountError` saying what is wrong with the password (see
    :func:`password_problem`)."""
    problem = password_problem(password, email, common)
    if problem is not None:
        raise AccountError(problem)
