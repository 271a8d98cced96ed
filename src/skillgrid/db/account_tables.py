"""Accounts, sign-in sessions, sign-in counters, trusted browsers, pending single sign-ons,
identities at the identity provider, one-time sign-in links, invitations and API tokens
(re-exported by ``skillgrid.db.tables``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from skillgrid.db.base import Base


class UserRow(Base):
    """A local account; its email ties it to a person (if one is on file)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class WebSessionRow(Base):
    """A signed-in browser: the cookie holds a random token, the table only its hash."""

    __tablename__ = "web_sessions"
    # ephemeral: export-all and backups leave sessions out (everyone signs in again)
    __table_args__ = ({"info": {"exported": False}},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    # signed in with a password the rules refuse: only the change page until it changes
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # signed in through the identity provider: its ID token, the hint its end-session
    # endpoint asks for at sign-out (read only then)
    id_token: Mapped[str | None] = mapped_column(Text)


class SignInFailureRow(Base):
    """One failed sign-in, kept for the throttling window (domain/throttle.py) and then
    pruned. ``account`` is the SHA-256 of the email tried (it may name no account, or be a
    password typed into the wrong field: never stored as typed); ``device`` the hash of the
    trusted-browser cookie when the browser held one for that account."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (
        Index("ix_sign_in_failures_address_at", "address", "at"),
        Index("ix_sign_in_failures_account_at", "account", "at"),
        {"info": {"exported": False}},  # ephemeral: never exported or restored
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    address: Mapped[str] = mapped_column(String(64))
    account: Mapped[str] = mapped_column(String(64))
    device: Mapped[str | None] = mapped_column(String(64))


class TrustedDeviceRow(Base):
    """A browser that signed in to an account: its cookie holds a random token, the table
    only its hash. A stranger's failed sign-ins do not slow it down."""

    __tablename__ = "trusted_devices"
    __table_args__ = ({"info": {"exported": False}},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    last_used_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class PendingSsoRow(Base):
    """A sign-in sent to the identity provider and not back yet (10 minutes at most): the
    hash of its ``state``, the hash of the browser cookie it belongs to, and the nonce and
    PKCE verifier that the answer must match. Taken (deleted) when the answer comes, so each
    is used once, by whichever app process the answer reaches."""

    __tablename__ = "pending_sso"
    __table_args__ = ({"info": {"exported": False}},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    state_hash: Mapped[str] = mapped_column(String(64), unique=True)
    browser_hash: Mapped[str] = mapped_column(String(64))
    nonce: Mapped[str] = mapped_column(String(100))
    code_verifier: Mapped[str] = mapped_column(String(200))
    next_path: Mapped[str] = mapped_column(String(500))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class SsoIdentityRow(Base):
    """The identity at the identity provider (the ID token's ``iss`` and ``sub``) that an
    account is linked to by its first single sign-on: only it signs the account in."""

    __tablename__ = "sso_identities"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    issuer: Mapped[str] = mapped_column(String(500))
    subject: Mapped[str] = mapped_column(String(255))
    linked_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class SignInLinkRow(Base):
    """A one-time sign-in link for an admin (``skillgrid user sign-in-link``, the way in
    when single sign-on fails and passwords are off): only the token's SHA-256 is stored;
    used once, or expired."""

    __tablename__ = "sign_in_links"
    __table_args__ = ({"info": {"exported": False}},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class InvitationRow(Base):
    """An invitation to choose a password (``skillgrid user invite``, the admin page, the
    API): one per email, the account made when it is used. Only the token's SHA-256 is
    stored; using it deletes the row. Exported and backed up like API tokens (a pending
    invitation still works on the new database); ``created_by`` is the audit trail's name
    of the admin who made it."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ApiTokenRow(Base):
    """A personal API token; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
