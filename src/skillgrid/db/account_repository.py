"""Accounts and web sessions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from skillgrid.db.tables import ApiTokenRow, UserRow, WebSessionRow
from skillgrid.domain.accounts import Account, WebSession


class SqlAccountRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, email: str) -> Account | None:
        row = self.session.scalar(select(UserRow).where(UserRow.email == email))
        if row is None:
            return None
        return Account(row.email, row.password_hash, row.is_admin)

    def all(self) -> list[Account]:
        rows = self.session.scalars(select(UserRow).order_by(UserRow.email))
        return [Account(r.email, r.password_hash, r.is_admin) for r in rows]

    def save(self, account: Account) -> None:
        row = self.session.scalar(select(UserRow).where(UserRow.email == account.email))
        if row is None:
            row = UserRow(email=account.email)
            self.session.add(row)
        row.password_hash, row.is_admin = account.password_hash, account.is_admin
        self.session.flush()

    def add_session(self, web_session: WebSession, now: dt.datetime) -> None:
        user_id = self.session.scalar(select(UserRow.id).where(UserRow.email == web_session.email))
        self.session.add(
            WebSessionRow(
                token_hash=web_session.token_hash,
                user_id=user_id,
                csrf_token=web_session.csrf_token,
                created_at=now,
                expires_at=web_session.expires_at,
            )
        )
        self.session.flush()

    def find_session(self, token_hash: str, now: dt.datetime) -> WebSession | None:
        row = self.session.execute(
            select(WebSessionRow, UserRow.email)
            .join(UserRow, UserRow.id == WebSessionRow.user_id)
            .where(WebSessionRow.token_hash == token_hash)
            .where(WebSessionRow.expires_at > now)
        ).first()
        if row is None:
            return None
        web, email = row
        return WebSession(web.token_hash, email, web.csrf_token, _aware(web.expires_at) or now)

    def end_session(self, token_hash: str) -> None:
        self.session.execute(delete(WebSessionRow).where(WebSessionRow.token_hash == token_hash))

    def end_sessions_of(self, email: str) -> None:
        user_id = select(UserRow.id).where(UserRow.email == email).scalar_subquery()
        self.session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == user_id))

    def purge_expired(self, now: dt.datetime) -> None:
        self.session.execute(delete(WebSessionRow).where(WebSessionRow.expires_at <= now))

    def add_token(self, email: str, name: str, token_hash: str, now: dt.datetime) -> int:
        user_id = self.session.scalar(select(UserRow.id).where(UserRow.email == email))
        row = ApiTokenRow(user_id=user_id, name=name, token_hash=token_hash, created_at=now)
        self.session.add(row)
        self.session.flush()
        return row.id

    def token_owner(self, token_hash: str) -> str | None:
        return self.session.scalar(
            select(UserRow.email)
            .join(ApiTokenRow, ApiTokenRow.user_id == UserRow.id)
            .where(ApiTokenRow.token_hash == token_hash)
            .where(ApiTokenRow.revoked.is_(False))
        )

    def tokens(self, email: str) -> list[tuple[int, str, dt.datetime, bool]]:
        rows = self.session.execute(
            select(ApiTokenRow.id, ApiTokenRow.name, ApiTokenRow.created_at, ApiTokenRow.revoked)
            .join(UserRow, UserRow.id == ApiTokenRow.user_id)
            .where(UserRow.email == email)
            .order_by(ApiTokenRow.id)
        )
        return [(i, n, _aware(c) or c, r) for i, n, c, r in rows]

    def revoke_token(self, email: str, token_id: int) -> bool:
        user_id = select(UserRow.id).where(UserRow.email == email).scalar_subquery()
        result = self.session.execute(
            update(ApiTokenRow)
            .where(ApiTokenRow.id == token_id)
            .where(ApiTokenRow.user_id == user_id)
            .values(revoked=True)
            .returning(ApiTokenRow.id)
        )
        return result.scalar() is not None

    def revoke_tokens_of(self, email: str) -> None:
        user_id = select(UserRow.id).where(UserRow.email == email).scalar_subquery()
        self.session.execute(
            update(ApiTokenRow).where(ApiTokenRow.user_id == user_id).values(revoked=True)
        )


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite returns naive datetimes; everything SkillGrid stores is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value
