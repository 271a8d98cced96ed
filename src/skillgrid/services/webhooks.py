"""Webhooks: add, list, remove, test; events written in the transaction of the change (the
outbox, :func:`emit`) and delivered after it commits (:func:`deliver_due`), signed, retried
with backoff, logged.

Several processes may deliver at once: each claims the rows it sends (on PostgreSQL with
``FOR UPDATE SKIP LOCKED``; SQLite's writers take turns) for a lease, so two processes
never send one delivery at the same time. A process that dies mid-send leaves its claim
to run out; the delivery is then sent again (receivers dedupe on the body's ``id``).
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any, Protocol

from skillgrid.domain.assessments import Actor
from skillgrid.domain.errors import NotFound
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
    check_events,
    check_url,
    event_body,
    headers,
    retry_delay,
)
from skillgrid.services.audit import record
from skillgrid.services.permissions import require_admin
from skillgrid.services.unit_of_work import UnitOfWork

LEASE = dt.timedelta(minutes=2)  # longer than a POST may take (the poster's timeout)
BATCH = 20


class Poster(Protocol):
    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> int:
        """POST ``body``; the HTTP status, or :class:`WebhookError` if no answer came."""
        ...


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def add_webhook(uow: UnitOfWork, url: str, events: Iterable[str], *, actor: Actor) -> Webhook:
    """Tell ``url`` about ``events``; the answer holds the secret its bodies are signed with."""
    require_admin(actor, "manage webhooks")
    url, wanted = check_url(url), check_events(events)
    secret = secrets.token_hex(32)
    with uow.write():
        hook = uow.notifications.add_webhook(url, wanted, secret)
        record(
            uow, actor, "add", "webhook", str(hook.id), after={"url": url, "events": list(wanted)}
        )
        uow.commit()
    return hook


def list_webhooks(uow: UnitOfWork, *, actor: Actor) -> list[Webhook]:
    """Every webhook, oldest first."""
    require_admin(actor, "manage webhooks")
    with uow:
        return uow.notifications.webhooks()


def remove_webhook(uow: UnitOfWork, webhook_id: int, *, actor: Actor) -> None:
    """Stop telling a webhook anything (its deliveries and their log go with it)."""
    require_admin(actor, "manage webhooks")
    with uow.write():
        hook = _webhook_in(uow, webhook_id)
        uow.notifications.remove_webhook(webhook_id)
        record(uow, actor, "remove", "webhook", str(webhook_id), before={"url": hook.url})
        uow.commit()


def deliveries(
    uow: UnitOfWork, *, actor: Actor, webhook_id: int | None = None, limit: int = 50
) -> list[Delivery]:
    """The delivery log, newest first (of one webhook, or all)."""
    require_admin(actor, "read the webhook delivery log")
    with uow:
        if webhook_id is not None:
            _webhook_in(uow, webhook_id)
        return uow.notifications.deliveries(webhook_id, limit)


def emit(uow: UnitOfWork, event: str, data: Mapping[str, Any]) -> None:
    """Queue ``event`` for every webhook that asked for it, in the caller's open write
    (it commits, or rolls back, with the change)."""
    assert event in EVENTS or event == TEST_EVENT, event
    hooks = [h.id for h in uow.notifications.webhooks() if event in h.events]
    if hooks:
        now = _now()
        body = event_body(uuid.uuid4().hex, event, now, data)
        uow.notifications.add_deliveries([(hook, event, body) for hook in hooks], now)


def send_test(uow: UnitOfWork, poster: Poster, webhook_id: int, *, actor: Actor) -> Delivery:
    """Send a ``webhook.test`` delivery to one webhook now; the answer is its log entry."""
    require_admin(actor, "manage webhooks")
    with uow.write():
        hook = _webhook_in(uow, webhook_id)
        now = _now()
        body = event_body(uuid.uuid4().hex, TEST_EVENT, now, {"url": hook.url})
        (queued,) = uow.notifications.add_deliveries([(hook.id, TEST_EVENT, body)], now)
        uow.commit()
    sent = deliver_due(uow, poster, actor=actor, only=queued)
    if not sent:  # another process claimed it first: it is delivering it
        raise WebhookError(f"test delivery {queued} is being sent by another process")
    return sent[0]


def deliver_due(
    uow: UnitOfWork,
    poster: Poster,
    *,
    actor: Actor,
    now: dt.datetime | None = None,
    limit: int = BATCH,
    only: int | None = None,
) -> list[Delivery]:
    """Send the deliveries that are due (up to ``limit``; or only delivery ``only``); a
    failure is tried again later, waiting twice as long each time, up to MAX_ATTEMPTS."""
    require_admin(actor, "deliver webhooks")
    start = now or _now()
    with uow:  # a read first: most looks find nothing, and need no write lock
        if not uow.notifications.any_due(start):
            return []
    with uow.write():
        claimed = uow.notifications.claim_deliveries(start, start + LEASE, limit, only)
        uow.commit()
    done = []
    for delivery, hook in claimed:
        sent_at = now or _now()
        status, error = None, None
        try:
            status = poster.post(
                hook.url, delivery.body.encode(), headers(hook.secret, delivery, sent_at)
            )
            if not 200 <= status < 300:
                error = f"the receiver answered HTTP {status}"
        except WebhookError as failure:
            error = str(failure)
        done.append(_outcome(delivery, sent_at, status, error))
    if done:
        with uow.write():
            for delivery in done:
                uow.notifications.finish_delivery(delivery)
            uow.commit()
    return done


def _outcome(
    delivery: Delivery, at: dt.datetime, status: int | None, error: str | None
) -> Delivery:
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
    state = FAILED if attempts >= MAX_ATTEMPTS else PENDING
    return replace(
        delivery,
        state=state,
        attempts=attempts,
        last_status=status,
        last_error=error[:2000],
        next_attempt_at=at + retry_delay(attempts),
    )


def _webhook_in(uow: UnitOfWork, webhook_id: int) -> Webhook:
    found = {hook.id: hook for hook in uow.notifications.webhooks()}
    if webhook_id not in found:
        known = ", ".join(str(i) for i in found) or "none yet"
        raise NotFound(f"no webhook {webhook_id} (webhooks: {known}); see `skillgrid webhook list`")
    return found[webhook_id]
