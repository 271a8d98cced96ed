"""Reminders and webhooks in the database: the digests sent each day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from skillgrid.db.tables import DigestSentRow


class SqlNotificationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def digests_sent(self, day: dt.date) -> set[str]:
        """Who was sent (or is being sent) their digest on ``day``."""
        return set(
            self.session.scalars(select(DigestSentRow.email).where(DigestSentRow.day == day))
        )

    def add_digests_sent(self, emails: Sequence[str], day: dt.date) -> None:
        if emails:
            rows = [{"email": email, "day": day} for email in emails]
            self.session.execute(insert(DigestSentRow), rows)

    def remove_digests_sent(self, emails: Sequence[str], day: dt.date) -> None:
        if emails:
            self.session.execute(
                delete(DigestSentRow).where(
                    DigestSentRow.day == day, DigestSentRow.email.in_(emails)
                )
            )
