"""Reminders, event mails and webhooks in the database: the digests sent each day, who
wants no event mails, the webhooks, and the outbox of deliveries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.orm import Session

from skillgrid.db.base import aware
from skillgrid.db.tables import DeliveryRow, DigestSentRow, MailOptOutRow, WebhookRow
from skillgrid.domain.webhooks import PENDING, Delivery, Webhook

_D = DeliveryRow


class SqlNotificationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def digests_sent(self, day: dt.date) -> set[str]:
        """Who was sent (or is being sent) their digest on ``day``."""
        query = select(DigestSentRow.email).where(DigestSentRow.day == day)
        return set(self.session.scalars(query))

    def claim_digests(self, emails: Sequence[str], day: dt.date) -> list[str]:
        """Record that these people are sent their digest on ``day``; those someone else
        recorded first (another run) are left out of the answer. PostgreSQL: ON CONFLICT DO
        NOTHING, so a run at the same moment waits for this one and then skips them;
        SQLite's writers take turns, so a look first is enough."""
        if not emails:
            return []
        rows = [{"email": email, "day": day} for email in emails]
        if self.session.get_bind().dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as upsert

            statement = upsert(DigestSentRow).values(rows).on_conflict_do_nothing()
            return list(self.session.scalars(statement.returning(DigestSentRow.email)))
        taken = self.digests_sent(day)
        fresh = [row for row in rows if row["email"] not in taken]
        if fresh:
            self.session.execute(insert(DigestSentRow), fresh)
        return [str(row["email"]) for row in fresh]

    def remove_digests_sent(self, emails: Sequence[str], day: dt.date) -> None:
        if emails:
            self.session.execute(
                delete(DigestSentRow).where(
                    DigestSentRow.day == day, DigestSentRow.email.in_(emails)
                )
            )

    def opted_out(self, email: str) -> bool:
        return self.session.get(MailOptOutRow, email) is not None

    def set_opted_out(self, email: str, opted_out: bool) -> None:
        row = self.session.get(MailOptOutRow, email)
        if opted_out and row is None:
            self.session.add(MailOptOutRow(email=email))
        elif not opted_out and row is not None:
            self.session.delete(row)
        self.session.flush()

    def add_webhook(self, url: str, events: Sequence[str], secret: str) -> Webhook:
        row = WebhookRow(url=url, events=" ".join(events), secret=secret)
        self.session.add(row)
        self.session.flush()
        return Webhook(row.id, url, tuple(events), secret)

    def webhooks(self) -> list[Webhook]:
        rows = self.session.scalars(select(WebhookRow).order_by(WebhookRow.id))
        return [_webhook(row) for row in rows]

    def remove_webhook(self, webhook_id: int) -> None:
        self.session.execute(delete(_D).where(_D.webhook_id == webhook_id))
        self.session.execute(delete(WebhookRow).where(WebhookRow.id == webhook_id))

    def add_deliveries(
        self, rows: Sequence[tuple[int | None, str | None, str, str]], now: dt.datetime
    ) -> list[int]:
        made = [
            _D(
                webhook_id=hook,
                recipient=recipient,
                event=event,
                body=body,
                state=PENDING,
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
            for hook, recipient, event, body in rows
        ]
        self.session.add_all(made)
        self.session.flush()
        return [row.id for row in made]

    def any_due(self, now: dt.datetime) -> bool:
        """Whether some pending delivery is due and unclaimed."""
        query = select(_D.id).where(*_due(now)).limit(1)
        return self.session.execute(query).first() is not None

    def claim_deliveries(
        self, now: dt.datetime, until: dt.datetime, limit: int, only: int | None
    ) -> list[tuple[Delivery, Webhook | None]]:
        """Due pending deliveries no one holds, held till ``until``, each with its webhook
        (None for an event mail). PostgreSQL skips rows another transaction is claiming
        (FOR UPDATE SKIP LOCKED); SQLite's writers take turns, so the second sees the
        first's claim."""
        query = (
            select(_D, WebhookRow)
            .outerjoin(WebhookRow, WebhookRow.id == _D.webhook_id)
            .where(*_due(now))
            .order_by(_D.id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=_D)
        )
        if only is not None:
            query = query.where(_D.id == only)
        found = self.session.execute(query).all()
        if found:
            ids = [row.id for row, _ in found]
            self.session.execute(update(_D).where(_D.id.in_(ids)).values(claimed_until=until))
        return [(_delivery(row), _webhook(hook) if hook else None) for row, hook in found]

    def finish_delivery(self, delivery: Delivery) -> None:
        self.session.execute(
            update(_D)
            .where(_D.id == delivery.id)
            .values(
                state=delivery.state,
                attempts=delivery.attempts,
                next_attempt_at=delivery.next_attempt_at,
                claimed_until=None,
                last_status=delivery.last_status,
                last_error=delivery.last_error,
                delivered_at=delivery.delivered_at,
            )
        )

    def deliveries(self, webhook_id: int | None, limit: int) -> list[Delivery]:
        """The log, newest first: of one webhook, or all (event mails too)."""
        query = select(_D).order_by(_D.id.desc()).limit(limit)
        if webhook_id is not None:
            query = query.where(_D.webhook_id == webhook_id)
        return [_delivery(row) for row in self.session.scalars(query)]


def _due(now: dt.datetime) -> tuple[Any, ...]:
    """Pending, due, and not held by another sender."""
    return (
        _D.state == PENDING,
        _D.next_attempt_at <= now,
        or_(_D.claimed_until.is_(None), _D.claimed_until < now),
    )


def _webhook(row: WebhookRow) -> Webhook:
    return Webhook(row.id, row.url, tuple(row.events.split()), row.secret)


def _delivery(row: DeliveryRow) -> Delivery:
    return Delivery(
        row.id,
        row.webhook_id,
        row.event,
        row.body,
        row.state,
        row.attempts,
        aware(row.next_attempt_at),
        aware(row.created_at),
        row.last_status,
        row.last_error,
        aware(row.delivered_at) if row.delivered_at else None,
        row.recipient,
    )
