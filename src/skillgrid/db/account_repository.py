"""Accounts and web sessions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, bindparam, delete, select, update
from sqlalchemy.orm import Session

from skillgrid.db.base import aware
from skillgrid.db.tables import ApiTokenRow, PersonRow, UserRow, WebSessionRow
from skillgrid.domain.accounts import Account, AccountHolder, WebSession
from skillgrid.domain.people import Role

# Every request asks who holds its session or token: one statement each, built once.
_users, _people = UserRow.__table__, PersonRow.__table__
_sessions, _tokens = WebSessionRow.__table__, ApiTokenRow.__table__
_HOLDER = (_users.c.email, _users.c.is_admin, _people.c.role, _people.c.active)


def _holder_query(*columns: Any) -> Select[*tuple[Any, ...]]:
    return select(*columns, *_HOLDER).outerjoin(_people, _people.c.email == _users.c.email)


_SESSION_HOLDER = (
    _holder_query(_sessions.c.csrf_token, _sessions.c.expires_at, _sessions.c.must_change_password)
    .join(_sessions, _sessions.c.user_id == _users.c.id)
    .where(_sessions.c.token_hash == bindparam("token_hash"))
    .where(_sessions.c.expires_at > bindparam("now"))
)
_TOKEN_HOLDER = (
    _holder_query()
    .join(_tokens, _tokens.c.user_id == _users.c.id)
    .where(_tokens.c.token_hash == bindparam("token_hash"))
    .where(_tokens.c.revoked.is_(False))
)


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
                must_change_password=web_session.must_change_password,
                id_token=web_session.id_token,
            )
        )
        self.session.flush()

    def session_holder(
        self, token_hash: str, now: dt.datetime
    ) -> tuple[WebSession, AccountHolder] | None:
        """A live session and who holds it, in one statement."""
        row = self.session.execute(_SESSION_HOLDER, {"token_hash": token_hash, "now": now}).first()
        if row is None:
            return None
        holder = _holder(row[3:])
        expires = aware(row[1])
        return WebSession(token_hash, holder.email, row[0], expires, bool(row[2])), holder

    def token_holder(self, token_hash: str) -> AccountHolder | None:
        """Who holds a live (not revoked) API token, in one statement."""
        row = self.session.execute(_TOKEN_HOLDER, {"token_hash": token_hash}).first()
        return _holder(row) if row is not None else None

    def end_session(self, token_hash: str) -> str | None:
        """End one session: the ID token it signed in with through the identity provider
        (None for any other sign-in)."""
        ended = self.session.execute(
            delete(WebSessionRow)
            .where(WebSessionRow.token_hash == token_hash)
            .returning(WebSessionRow.id_token)
        ).first()
        return ended[0] if ended is not None else None

    def admins(self) -> list[str]:
        """The emails of the admin accounts."""
        found = select(UserRow.email).where(UserRow.is_admin.is_(True)).order_by(UserRow.email)
        return list(self.session.scalars(found))

    def end_sessions_of(self, email: str, keep: str | None = None) -> None:
        """End every session of the account but the one whose token hash is ``keep``."""
        user_id = select(UserRow.id).where(UserRow.email == email).scalar_subquery()
        ended = delete(WebSessionRow).where(WebSessionRow.user_id == user_id)
        if keep is not None:
            ended = ended.where(WebSessionRow.token_hash != keep)
        self.session.execute(ended)

    def password_changed(self, token_hash: str) -> None:
        """The session's password now meets the rules: every page is open to it again."""
        self.session.execute(
            update(WebSessionRow)
            .where(WebSessionRow.token_hash == token_hash)
            .values(must_change_password=False)
        )

    def purge_expired(self, now: dt.datetime) -> None:
        self.session.execute(delete(WebSessionRow).where(WebSessionRow.expires_at <= now))

    def add_token(self, email: str, name: str, token_hash: str, now: dt.datetime) -> int:
        user_id = self.session.scalar(select(UserRow.id).where(UserRow.email == email))
        row = ApiTokenRow(user_id=user_id, name=name, token_hash=token_hash, created_at=now)
        self.session.add(row)
        self.session.flush()
        return row.id

    def tokens(self, email: str) -> list[tuple[int, str, dt.datetime, bool]]:
        rows = self.session.execute(
            select(ApiTokenRow.id, ApiTokenRow.name, ApiTokenRow.created_at, ApiTokenRow.revoked)
            .join(UserRow, UserRow.id == ApiTokenRow.user_id)
            .where(UserRow.email == email)
            .order_by(ApiTokenRow.id)
        )
        return [(i, n, aware(c), r) for i, n, c, r in rows]

    def revoke_token(self, email: str, token_id: int) -> bool:
        user_id = select(UserRow.id).where(UserRow.email == email).scalar_subquery()
        result = self.session.execute(
            update(ApiTokenRow)
            .where(ApiTokenRow.id == token_id)
            .where(ApiTokenRow.user_id == user_id)
            .where(ApiTokenRow.revoked.is_(False))
            .values(revoked=True)
            .returning(ApiTokenRow.id)
        )
        return result.scalar() is not None

    def revoke_tokens_of(self, email: str) -> None:
        user_id = select(UserRow.id).where(UserRow.email == email).scalar_subquery()
        self.session.execute(
            update(ApiTokenRow).where(ApiTokenRow.user_id == user_id).values(revoked=True)
        )


def _holder(values: Sequence[Any]) -> AccountHolder:
    """(email, is_admin, role, active) of an account and its person record, if any."""
    email, is_admin, role, active = values
    return AccountHolder(email, bool(is_admin), Role(role) if role else None, active is not False)
