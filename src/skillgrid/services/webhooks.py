"""Webhooks: add, list, remove, send a test, read the delivery log. Events reach them
through the outbox (:mod:`skillgrid.services.outbox`)."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable

from skillgrid.domain.assessments import Actor
from skillgrid.domain.errors import NotFound
from skillgrid.domain.webhooks import (
    TEST_EVENT,
    Delivery,
    Webhook,
    WebhookError,
    check_events,
    check_url,
    event_body,
)
from skillgrid.services.audit import record
from skillgrid.services.outbox import Poster, deliver_due, now_utc
from skillgrid.services.permissions import require_admin
from skillgrid.services.unit_of_work import UnitOfWork


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


def send_test(uow: UnitOfWork, poster: Poster, webhook_id: int, *, actor: Actor) -> Delivery:
    """Send a ``webhook.test`` delivery to one webhook now; the answer is its log entry."""
    require_admin(actor, "manage webhooks")
    with uow.write():
        hook = _webhook_in(uow, webhook_id)
        now = now_utc()
        body = event_body(uuid.uuid4().hex, TEST_EVENT, now, {"url": hook.url})
        (queued,) = uow.notifications.add_deliveries([(hook.id, None, TEST_EVENT, body)], now)
        uow.commit()
    sent = deliver_due(uow, poster, actor=actor, only=queued)
    if not sent:  # another process claimed it first: it is delivering it
        raise WebhookError(f"test delivery {queued} is being sent by another process")
    return sent[0]


def _webhook_in(uow: UnitOfWork, webhook_id: int) -> Webhook:
    found = {hook.id: hook for hook in uow.notifications.webhooks()}
    if webhook_id not in found:
        known = ", ".join(str(i) for i in found) or "none yet"
        raise NotFound(f"no webhook {webhook_id} (webhooks: {known}); see `skillgrid webhook list`")
    return found[webhook_id]
