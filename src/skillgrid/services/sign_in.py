"""Sign in: check a password, throttled per client address and per account (the rules are
in :mod:`skillgrid.domain.throttle`), and start a session.

Failures are stored in the database, so every process on one PostgreSQL counts the same
ones; a row lives one throttling window and is then pruned. An attempt counts as a failure
from the moment it passes the throttle until its password proves right, so attempts made
at the same moment, on any process, cannot all get past the limits. A browser that signs
in gets a trusted-browser token (its cookie; the table holds only its hash): failures of
strangers on the account do not slow that browser down. A right password that the password
rules now refuse (an account made before them) still signs in, to a session that must change
it before anything else (``WebSession.must_change_password``). The audit trail records each
sign-in and each failure on an existing account, with the client address — never the
password, the email as typed for an unknown account, or a token."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from skillgrid.domain.accounts import Account, SignInError, WebSession
from skillgrid.domain.audit import ANONYMOUS, AuditEntry
from skillgrid.domain.people import Person
from skillgrid.domain.throttle import (
    ACCOUNT_WINDOW,
    ADDRESS_LIMIT,
    ADDRESS_WINDOW,
    DEVICE_LIFETIME,
    DEVICES_PER_ACCOUNT,
    KEPT,
    Throttled,
    account_wait,
    address_wait,
)
from skillgrid.services.accounts import (
    open_session,
    password_hasher,
    password_weakness,
    token_digest,
)
from skillgrid.services.unit_of_work import UnitOfWork

WRONG = "wrong email or password"


@dataclass(frozen=True)
class Attempt:
    """A sign-in as the web app sees it: ``address`` is the client's (already reduced to
    what is counted, see web/client.py); ``device`` the trusted-browser token it sent."""

    email: str
    password: str
    address: str
    device: str | None = None


@dataclass(frozen=True)
class NewSession:
    """The session cookie's token, the stored session, and the trusted-browser token to keep
    in the browser (the one it sent, or a new one)."""

    token: str
    session: WebSession
    device: str


def sign_in(
    uow: UnitOfWork,
    attempt: Attempt,
    *,
    now: dt.datetime | None = None,
    address_limit: int = ADDRESS_LIMIT,
) -> NewSession:
    """A new session for a right password. Raises :class:`Throttled` (checked before the
    password, so a throttled guess learns nothing) or :class:`SignInError`.

    Three steps, so that no lock is held while argon2 runs (tens of milliseconds) and yet
    attempts made at the same moment cannot all pass the throttle: the first short
    transaction, one at a time per address and per account, checks the throttle and counts
    the attempt as a failure; then the password is checked; then a second transaction
    forgets that failure (and the account's earlier ones from here) for a right password."""
    now = now or dt.datetime.now(dt.UTC)
    email = attempt.email.strip().lower()
    key = account_key(email)
    trusted = _checked(uow, attempt, email, key, now, address_limit)
    weak = password_weakness(attempt.password, email) is not None
    return _start_session(uow, attempt, email, key, trusted, now, weak)


def check_password(
    uow: UnitOfWork,
    attempt: Attempt,
    *,
    address_limit: int = ADDRESS_LIMIT,
) -> None:
    """Check a password as :func:`sign_in` does, without starting a session: throttled, and a
    wrong one counts (and is audited) as a failed sign-in, so a stolen session cookie gets no
    more guesses at the password than the sign-in form gives. Raises :class:`Throttled` or
    :class:`SignInError`. The change-password page checks the current password so."""
    now = dt.datetime.now(dt.UTC)
    email = attempt.email.strip().lower()
    key = account_key(email)
    trusted = _checked(uow, attempt, email, key, now, address_limit)
    with uow.write():
        uow.sign_ins.forget_failures(key, attempt.address, trusted)
        uow.commit()


def _checked(
    uow: UnitOfWork,
    attempt: Attempt,
    email: str,
    key: str,
    now: dt.datetime,
    address_limit: int,
) -> str | None:
    """Through the throttle, then the password (raises :class:`Throttled` or
    :class:`SignInError`): the hash of the trusted-browser token it came with, if any."""
    trusted, account, person = _admit(uow, attempt, email, key, now, address_limit)
    # argon2 takes tens of milliseconds: never inside a transaction that holds a lock
    if not _password_right(account, person, attempt.password):
        if account is not None:
            with uow.write():
                _audit_failure(uow, email, attempt.address, key, trusted, now)
                uow.commit()
        raise SignInError(WRONG)
    return trusted


def _admit(
    uow: UnitOfWork,
    attempt: Attempt,
    email: str,
    key: str,
    now: dt.datetime,
    address_limit: int,
) -> tuple[str | None, Account | None, Person | None]:
    """Raise :class:`Throttled`, or store the attempt as a failure (until its password
    proves right): the trusted-browser token (hashed) it came with, the account, the
    person."""
    device = token_digest(attempt.device) if attempt.device else None
    with uow.write():
        uow.sign_ins.hold_attempts(attempt.address, key)  # those in flight count: see sign_in
        trusted = device if device and uow.sign_ins.device_owner(device) == email else None
        from_address = uow.sign_ins.failures_from(attempt.address, now - ADDRESS_WINDOW)
        wait = address_wait(from_address, now, address_limit)
        if wait is not None:
            raise Throttled("address", wait)
        wait = account_wait(uow.sign_ins.failures_of(key, trusted, now - ACCOUNT_WINDOW), now)
        if wait is not None:
            raise Throttled("account", wait)
        account = uow.accounts.get(email)
        person = uow.people.get(email)
        uow.sign_ins.add_failure(now, attempt.address, key, trusted)
        uow.sign_ins.prune_failures(now - KEPT)
        uow.commit()
    return trusted, account, person


def _start_session(
    uow: UnitOfWork,
    attempt: Attempt,
    email: str,
    key: str,
    trusted: str | None,
    now: dt.datetime,
    weak: bool,
) -> NewSession:
    """After a right password: forget the account's failures from this address or browser
    (the attempt's own among them), trust the browser, start the session (one that must
    change the password first when it is ``weak``)."""
    with uow.write():
        uow.sign_ins.forget_failures(key, attempt.address, trusted)
        kept = attempt.device if trusted and attempt.device else secrets.token_urlsafe(32)
        uow.sign_ins.trust_device(email, token_digest(kept), now)
        uow.sign_ins.prune_devices(email, now - DEVICE_LIFETIME, DEVICES_PER_ACCOUNT)
        token, session = open_session(uow, email, now, must_change_password=weak)
        after = {"address": attempt.address, "browser": "trusted" if trusted else "new"}
        if weak:
            after["password"] = "must change"
        uow.audit.add(AuditEntry(email, "sign_in", "account", email, email, None, after))
        uow.commit()
    return NewSession(token, session, kept)


def _password_right(account: Account | None, person: Person | None, password: str) -> bool:
    """Whether the password signs this account in (an account made by single sign-on has
    none); the same argon2 work either way, so the time taken says nothing about which
    emails have accounts."""
    from argon2.exceptions import VerifyMismatchError

    hasher = password_hasher()
    inactive = person is not None and not person.active
    if account is None or not account.has_password or inactive:
        hasher.hash(password)
        return False
    try:
        hasher.verify(account.password_hash, password)
    except VerifyMismatchError:
        return False
    return True


def _audit_failure(
    uow: UnitOfWork,
    email: str,
    address: str,
    account_key: str,
    device: str | None,
    now: dt.datetime,
) -> None:
    """A failure on an existing account; ``wait_seconds`` says when it slows the account."""
    after: dict[str, object] = {"address": address}
    wait = account_wait(uow.sign_ins.failures_of(account_key, device, now - ACCOUNT_WINDOW), now)
    if wait is not None:
        after["wait_seconds"] = Throttled("account", wait).retry_after
    uow.audit.add(AuditEntry(ANONYMOUS, "sign_in_failed", "account", email, email, None, after))


def account_key(email: str) -> str:
    """How the failure table names an account: the SHA-256 of the email as normalised."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()
