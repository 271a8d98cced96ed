"""Failed sign-ins and trusted browsers, in the database so every process counts the same."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.orm import Session

from skillgrid.db.tables import SignInFailureRow, TrustedDeviceRow, UserRow


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
        return [_aware(at) for at in rows]

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


def _lock_key(kind: str, name: str) -> int:
    """A signed 64-bit advisory-lock key for one address or account."""
    digest = hashlib.sha256(f"skillgrid sign-in {kind} {name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _aware(value: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes; everything SkillGrid stores is UTC."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value
