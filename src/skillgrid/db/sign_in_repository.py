"""Failed sign-ins, trusted browsers, sign-ins waiting for the identity provider, the
identities accounts are linked to there, and one-time sign-in links: in the database, so
every process counts and finds the same."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.orm import Session

from skillgrid.db.base import aware
from skillgrid.db.tables import (
    PendingSsoRow,
    SignInFailureRow,
    SignInLinkRow,
    SsoIdentityRow,
    TrustedDeviceRow,
    UserRow,
)
from skillgrid.domain.accounts import PendingSso


class SqlSignInRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def hold_attempts(self, address: str, account: str) -> None:
        """Until this transaction ends, other sign-ins from ``address`` or on ``account``
        wait here, so each one counts the failures of those before it. On PostgreSQL: a
        transaction-level advisory lock on each, taken in one order (no deadlock); SQLite
        needs none, since a write transaction (BEGIN IMMEDIATE) already excludes every other
        writer."""
        if self.session.get_bind().dialect.name != "postgresql":
            return
        for key in sorted({_lock_key("address", address), _lock_key("account", account)}):
            self.session.execute(select(func.pg_advisory_xact_lock(key)))

    def failures_from(self, address: str, since: dt.datetime) -> list[dt.datetime]:
        """When the failures from ``address`` after ``since`` happened."""
        return self._times(SignInFailureRow.address == address, since)

    def failures_of(
        self, account: str, device: str | None, since: dt.datetime
    ) -> list[dt.datetime]:
        """Failures on an account after ``since``: those of one trusted browser, or (device
        None) those of every browser the account does not trust."""
        column = SignInFailureRow.device
        same_device = column.is_(None) if device is None else column == device
        return self._times((SignInFailureRow.account == account) & same_device, since)

    def _times(self, condition: ColumnElement[bool], since: dt.datetime) -> list[dt.datetime]:
        rows = self.session.scalars(
            select(SignInFailureRow.at)
            .where(condition)
            .where(SignInFailureRow.at > since)
            .order_by(SignInFailureRow.at)
        )
        return [aware(at) for at in rows]

    def add_failure(self, at: dt.datetime, address: str, account: str, device: str | None) -> None:
        self.session.add(SignInFailureRow(at=at, address=address, account=account, device=device))
        self.session.flush()

    def forget_failures(self, account: str, address: str, device: str | None) -> None:
        """After a right password: the account's failures from this address or browser."""
        same_place = SignInFailureRow.address == address
        if device is not None:
            same_place = or_(same_place, SignInFailureRow.device == device)
        self.session.execute(
            delete(SignInFailureRow).where(SignInFailureRow.account == account).where(same_place)
        )

    def prune_failures(self, before: dt.datetime) -> None:
        """Delete failures older than the window: the table holds one window's worth."""
        self.session.execute(delete(SignInFailureRow).where(SignInFailureRow.at <= before))

    def device_owner(self, token_hash: str) -> str | None:
        """The account a trusted-browser token belongs to."""
        return self.session.scalar(
            select(UserRow.email)
            .join(TrustedDeviceRow, TrustedDeviceRow.user_id == UserRow.id)
            .where(TrustedDeviceRow.token_hash == token_hash)
        )

    def trust_device(self, email: str, token_hash: str, now: dt.datetime) -> None:
        """Remember a browser for an account (or note that it was used again)."""
        updated = self.session.execute(
            update(TrustedDeviceRow)
            .where(TrustedDeviceRow.token_hash == token_hash)
            .values(last_used_at=now)
            .returning(TrustedDeviceRow.id)
        ).first()
        if updated is None:
            user_id = self.session.scalar(select(UserRow.id).where(UserRow.email == email))
            self.session.add(
                TrustedDeviceRow(token_hash=token_hash, user_id=user_id, last_used_at=now)
            )
        self.session.flush()

    def prune_devices(self, email: str, unused_since: dt.datetime, keep: int) -> None:
        """Forget browsers unused since ``unused_since`` (anyone's), and the account's least
        recently used ones beyond ``keep``."""
        self.session.execute(
            delete(TrustedDeviceRow).where(TrustedDeviceRow.last_used_at <= unused_since)
        )
        user_id = select(UserRow.id).where(UserRow.email == email).scalar_subquery()
        kept = (
            select(TrustedDeviceRow.id)
            .where(TrustedDeviceRow.user_id == user_id)
            .order_by(TrustedDeviceRow.last_used_at.desc(), TrustedDeviceRow.id.desc())
            .limit(keep)
        )
        self.session.execute(
            delete(TrustedDeviceRow)
            .where(TrustedDeviceRow.user_id == user_id)
            .where(TrustedDeviceRow.id.not_in(kept))
        )

    def forget_devices_of(self, email: str) -> None:
        """A new password: no browser stays trusted."""
        user_id = select(UserRow.id).where(UserRow.email == email).scalar_subquery()
        self.session.execute(delete(TrustedDeviceRow).where(TrustedDeviceRow.user_id == user_id))

    def add_pending_sso(self, pending: PendingSso, now: dt.datetime) -> None:
        """Keep a sign-in sent to the identity provider (and drop those expired by ``now``)."""
        self.session.execute(delete(PendingSsoRow).where(PendingSsoRow.expires_at <= now))
        self.session.add(
            PendingSsoRow(
                state_hash=pending.state_hash,
                browser_hash=pending.browser_hash,
                nonce=pending.nonce,
                code_verifier=pending.code_verifier,
                next_path=pending.next_path,
                expires_at=pending.expires_at,
            )
        )
        self.session.flush()

    def take_pending_sso(self, state_hash: str) -> PendingSso | None:
        """The sign-in whose state hashes to ``state_hash``, deleted as it is read: whoever
        takes it first (of any process) has it, and nobody after."""
        row = self.session.execute(
            delete(PendingSsoRow)
            .where(PendingSsoRow.state_hash == state_hash)
            .returning(
                PendingSsoRow.browser_hash,
                PendingSsoRow.nonce,
                PendingSsoRow.code_verifier,
                PendingSsoRow.next_path,
                PendingSsoRow.expires_at,
            )
        ).first()
        if row is None:
            return None
        browser, nonce, verifier, next_path, expires = row
        return PendingSso(state_hash, browser, nonce, verifier, next_path, aware(expires))

    def add_sign_in_link(
        self, email: str, token_hash: str, expires_at: dt.datetime, now: dt.datetime
    ) -> None:
        """Keep a one-time sign-in link for the account (and drop links expired by ``now``)."""
        self.session.execute(delete(SignInLinkRow).where(SignInLinkRow.expires_at <= now))
        user_id = self.session.scalar(select(UserRow.id).where(UserRow.email == email))
        self.session.add(
            SignInLinkRow(token_hash=token_hash, user_id=user_id, expires_at=expires_at)
        )
        self.session.flush()

    def take_sign_in_link(self, token_hash: str) -> tuple[str, dt.datetime] | None:
        """The account of a one-time link and when it expires, deleted as it is read."""
        row = self.session.execute(
            delete(SignInLinkRow)
            .where(SignInLinkRow.token_hash == token_hash)
            .returning(SignInLinkRow.user_id, SignInLinkRow.expires_at)
        ).first()
        if row is None:
            return None
        email = self.session.scalar(select(UserRow.email).where(UserRow.id == row[0]))
        return (email, aware(row[1])) if email is not None else None

    def identity_of(self, email: str) -> tuple[str, str] | None:
        """The (issuer, subject) the account of ``email`` is linked to, if any."""
        found = self.session.execute(
            select(SsoIdentityRow.issuer, SsoIdentityRow.subject)
            .join(UserRow, UserRow.id == SsoIdentityRow.user_id)
            .where(UserRow.email == email)
        ).first()
        return (found[0], found[1]) if found is not None else None

    def identity_holder(self, issuer: str, subject: str) -> str | None:
        """The email of the account linked to this identity, if any."""
        return self.session.scalar(
            select(UserRow.email)
            .join(SsoIdentityRow, SsoIdentityRow.user_id == UserRow.id)
            .where(SsoIdentityRow.issuer == issuer, SsoIdentityRow.subject == subject)
        )

    def link_identity(self, email: str, issuer: str, subject: str, now: dt.datetime) -> None:
        """Link the account of ``email`` to this identity, in place of any other."""
        self.unlink_identity(email)
        user_id = self.session.scalar(select(UserRow.id).where(UserRow.email == email))
        row = SsoIdentityRow(user_id=user_id, issuer=issuer, subject=subject, linked_at=now)
        self.session.add(row)
        self.session.flush()

    def unlink_identity(self, email: str) -> None:
        user_id = select(UserRow.id).where(UserRow.email == email).scalar_subquery()
        self.session.execute(delete(SsoIdentityRow).where(SsoIdentityRow.user_id == user_id))


def _lock_key(kind: str, name: str) -> int:
    """A signed 64-bit advisory-lock key for one address or account."""
    digest = hashlib.sha256(f"skillgrid sign-in {kind} {name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)
