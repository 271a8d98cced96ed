"""The outbox: events written in the transaction of the change that made them (:func:`emit`)
and sent after it commits (:func:`deliver_due`) — webhook posts, signed, and event mails to
the people concerned — retried with backoff and logged.

Several processes may send at once: each claims the rows it sends (on PostgreSQL with
``FOR UPDATE SKIP LOCKED``; SQLite's writers take turns) for a lease, so two processes
never send one delivery at the same time. A process that dies mid-send leaves its claim
to run out; the delivery is then sent again (receivers dedupe on the body's ``id``).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Protocol

from skillgrid.domain.assessments import Actor
from skillgrid.domain.reminders import (
    MAILED_EVENTS,
    Mail,
    MailError,
    event_mail,
    event_recipient,
)
from skillgrid.domain.webhooks import (
    DELIVERED,
    EVENTS,
    FAILED,
    MAX_ATTEMPTS,
    PENDING,
    TEST_EVENT,
    Delivery,
    Webhook,
    WebhookError,
    event_body,
    headers,
    retry_delay,
)
from skillgrid.services.permissions import require_admin
from skillgrid.services.unit_of_work import UnitOfWork

# A sender holds what it claimed for LEASE: far longer than a batch can take (BATCH sends,
# each bounded by the poster's 10 s or the mailer's 30 s a step), so no other sender takes
# a row while it is being sent; a sender that died gives its rows up when LEASE ends.
LEASE = dt.timedelta(minutes=10)
BATCH = 10
NO_MAIL = "mail is not configured: set SKILLGRID_SMTP_URL and SKILLGRID_MAIL_FROM"


class Poster(Protocol):
    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> int:
        """POST ``body``; the HTTP status, or :class:`WebhookError` if no answer came."""
        ...


class Mailer(Protocol):
    def send(self, mail: Mail) -> None:
        """Hand ``mail`` to the mail server; :class:`MailError` when it cannot."""
        ...


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def today_utc() -> dt.date:
    """The day by which due dates are reckoned (the reminders' and the pages' overdue)."""
    return now_utc().date()


def emit(uow: UnitOfWork, event: str, data: Mapping[str, Any]) -> None:
    """Queue ``event`` for every webhook that asked for it, and its mail for the person it
    concerns (unless they opted out), in the caller's open write: it commits, or rolls
    back, with the change."""
    assert event in EVENTS or event == TEST_EVENT, event
    now = now_utc()
    body = event_body(uuid.uuid4().hex, event, now, data)
    rows: list[tuple[int | None, str | None, str, str]] = [
        (h.id, None, event, body) for h in uow.notifications.webhooks() if event in h.events
    ]
    mail = _event_mail(uow, event, data)
    if mail is not None:
        rows.append((None, mail[0], event, json.dumps({**json.loads(body), "names": mail[1]})))
    if rows:
        uow.notifications.add_deliveries(rows, now)


def _event_mail(
    uow: UnitOfWork, event: str, data: Mapping[str, Any]
) -> tuple[str, dict[str, str]] | None:
    """Who gets a mail about ``event`` and the names it uses, or None."""
    if event not in MAILED_EVENTS:
        return None
    person = uow.people.get(str(data["person"]))
    if person is None:
        return None
    to = event_recipient(event, str(data["rater"]), person.email, person.manager)
    recipient = uow.people.get(to) if to else None
    if recipient is None or not recipient.active or uow.notifications.opted_out(recipient.email):
        return None
    by = uow.people.get(str(data["by"])) if data.get("by") else None
    return recipient.email, {p.email: p.name for p in (person, recipient, by) if p is not None}


def deliver_due(
    uow: UnitOfWork,
    poster: Poster,
    *,
    actor: Actor,
    mailer: Mailer | None = None,
    base_url: str | None = None,
    now: dt.datetime | None = None,
    limit: int = BATCH,
    only: int | None = None,
) -> list[Delivery]:
    """Send the deliveries that are due (up to ``limit``; or only delivery ``only``); a
    failure is tried again later, waiting twice as long each time, up to MAX_ATTEMPTS. An
    event mail with no mail server configured fails at once, saying so."""
    require_admin(actor, "send webhook deliveries and event mails")
    start = now or now_utc()
    with uow:  # a read first: most looks find nothing, and need no write lock
        if not uow.notifications.any_due(start):
            return []
    with uow.write():
        claimed = uow.notifications.claim_deliveries(start, start + LEASE, limit, only)
        uow.commit()
    done = [_send(delivery, hook, poster, mailer, base_url, now) for delivery, hook in claimed]
    if done:
        with uow.write():
            for delivery in done:
                uow.notifications.finish_delivery(delivery)
            uow.commit()
    return done


def _send(
    delivery: Delivery,
    hook: Webhook | None,
    poster: Poster,
    mailer: Mailer | None,
    base_url: str | None,
    now: dt.datetime | None,
) -> Delivery:
    """Send one delivery; what became of it."""
    at = now or now_utc()
    status, error = None, None
    try:
        if hook is not None:
            status = poster.post(
                hook.url, delivery.body.encode(), headers(hook.secret, delivery, at)
            )
            if not 200 <= status < 300:
                error = f"the receiver answered HTTP {status}"
        elif mailer is None:
            return replace(
                delivery, state=FAILED, attempts=delivery.attempts + 1, last_error=NO_MAIL
            )
        else:
            assert delivery.recipient is not None
            event = json.loads(delivery.body)
            mailer.send(event_mail(delivery.recipient, event["names"], event, base_url))
    except (WebhookError, MailError) as failure:
        error = str(failure)
    attempts = delivery.attempts + 1
    if error is None:
        return replace(
            delivery,
            state=DELIVERED,
            attempts=attempts,
            last_status=status,
            last_error=None,
            delivered_at=at,
        )
    return replace(
        delivery,
        state=FAILED if attempts >= MAX_ATTEMPTS else PENDING,
        attempts=attempts,
        last_status=status,
        last_error=error[:2000],
        next_attempt_at=at + retry_delay(attempts),
    )
