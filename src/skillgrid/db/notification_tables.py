"""Reminders, event mails and webhooks: the digests sent each day, who wants no event
mails, the webhooks, and the outbox of deliveries (re-exported by ``skillgrid.db.tables``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from skillgrid.db.base import Base


class DigestSentRow(Base):
    """A person was sent (or is being sent) their digest of pending work on ``day`` (UTC):
    a second run the same day skips them. Operational, not exported."""

    __tablename__ = "digests_sent"
    __table_args__ = ({"info": {"exported": False}},)

    email: Mapped[str] = mapped_column(String(320), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)


class MailOptOutRow(Base):
    """A person who wants no event mails (reminder digests still come)."""

    __tablename__ = "mail_opt_outs"

    email: Mapped[str] = mapped_column(String(320), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class WebhookRow(Base):
    """An address told about events; ``events`` space-separated; ``secret`` signs bodies."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    events: Mapped[str] = mapped_column(Text)
    secret: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class DeliveryRow(Base):
    """One event for one webhook, or one event mail to ``recipient``: written in the
    transaction of the change (the outbox), sent after it commits. ``state``: pending,
    delivered or failed (attempts used up). A sender claims a row by setting
    ``claimed_until``; another leaves it alone till then."""

    __tablename__ = "deliveries"
    __table_args__ = (
        Index("ix_deliveries_state_next_attempt_at", "state", "next_attempt_at"),
        Index("ix_deliveries_webhook_id", "webhook_id"),
        {"info": {"exported": False}},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    webhook_id: Mapped[int | None] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"))
    recipient: Mapped[str | None] = mapped_column(String(320))  # an event mail's address
    event: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)  # JSON, sent byte for byte as signed
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    claimed_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
