"""Accounts and sign-in sessions: what the rules say, not how passwords are hashed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from skillgrid.domain.assessments import Actor
from skillgrid.domain.errors import SkillGridError
from skillgrid.domain.people import Role

MIN_PASSWORD = 10
SESSION_LIFETIME = dt.timedelta(hours=12)


class AccountError(SkillGridError):
    """An account that cannot be created or used as asked."""


class SignInError(SkillGridError):
    """Wrong email or password (one message for both: it says nothing about which emails
    have accounts)."""


@dataclass(frozen=True, slots=True)
class Account:
    email: str
    password_hash: str
    is_admin: bool = False


@dataclass(frozen=True, slots=True)
class WebSession:
    """A signed-in browser; ``token_hash`` is stored, the token itself only in the cookie."""

    token_hash: str
    email: str
    csrf_token: str
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


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > 1000:
        raise AccountError("a password is limited to 1,000 characters")
