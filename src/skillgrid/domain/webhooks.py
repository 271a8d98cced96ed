"""Webhooks: which events there are, how a body is signed, and when a failed delivery is
tried again.

A delivery is a POST of a JSON body with these headers:

- ``X-SkillGrid-Event``: the event, e.g. ``assessment.finalized``;
- ``X-SkillGrid-Delivery``: the delivery's id (the same on every attempt: dedupe on it);
- ``X-SkillGrid-Timestamp``: Unix seconds when this attempt was sent;
- ``X-SkillGrid-Signature``: ``sha256=`` and the hex HMAC-SHA256, keyed with the webhook's
  secret, of ``<timestamp>.<body>`` — the timestamp is signed too, so a receiver that
  refuses old timestamps (say, older than five minutes) cannot be sent a replay.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from skillgrid.domain.errors import SkillGridError

EVENTS = (
    "assessment.submitted",
    "assessment.finalized",
    "assessment.reopened",
    "cycle.opened",
    "cycle.closed",
)
TEST_EVENT = "webhook.test"
MAX_ATTEMPTS = 8  # then the delivery is failed and left in the log
FIRST_RETRY = dt.timedelta(seconds=30)  # doubled after each failure …
LAST_RETRY = dt.timedelta(hours=1)  # … up to this
PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"


class WebhookError(SkillGridError):
    """A webhook that cannot be stored as given, or a receiver that could not be reached."""


@dataclass(frozen=True, slots=True)
class Webhook:
    id: int
    url: str
    events: tuple[str, ...]
    secret: str


@dataclass(frozen=True, slots=True)
class Delivery:
    """One event for one webhook (or, with ``recipient``, one event mail), and how sending
    it went so far."""

    id: int
    webhook_id: int | None
    event: str
    body: str
    state: str
    attempts: int
    next_attempt_at: dt.datetime
    created_at: dt.datetime
    last_status: int | None = None
    last_error: str | None = None
    delivered_at: dt.datetime | None = None
    recipient: str | None = None

    def fields(self) -> dict[str, object]:
        """What the API and the CLI show of a delivery (not its body)."""
        return {
            "id": self.id,
            "webhook": self.webhook_id,
            "recipient": self.recipient,
            "event": self.event,
            "state": self.state,
            "attempts": self.attempts,
            "last_status": self.last_status,
            "last_error": self.last_error,
            "created_at": self.created_at,
            "next_attempt_at": self.next_attempt_at,
            "delivered_at": self.delivered_at,
        }


def check_url(url: str) -> str:
    """An http(s) address with a host."""
    value = url.strip()
    parts = urlsplit(value)
    try:
        parts.port  # noqa: B018 (a port past 65535 is refused here, not when sending)
    except ValueError:
        parts = urlsplit("")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookError(
            f"{url!r} is not a web address to post to: give one like "
            "https://hooks.example.com/skillgrid"
        )
    return value


def check_events(events: Iterable[str]) -> tuple[str, ...]:
    """Known event names, each once, in the order of :data:`EVENTS`; at least one."""
    wanted = {event.strip() for event in events}
    unknown = sorted(wanted - set(EVENTS))
    if unknown:
        raise WebhookError(f"no event {unknown[0]!r}: the events are {', '.join(EVENTS)}")
    if not wanted:
        raise WebhookError(f"name at least one event: {', '.join(EVENTS)}")
    return tuple(event for event in EVENTS if event in wanted)


def event_body(delivery_key: str, event: str, at: dt.datetime, data: Mapping[str, Any]) -> str:
    """The JSON a receiver gets: ``id`` (stable across attempts), ``event``, ``at``, ``data``."""
    document = {"id": delivery_key, "event": event, "at": at.isoformat(), "data": dict(data)}
    return json.dumps(document, sort_keys=True, separators=(",", ":"))


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The ``X-SkillGrid-Signature`` value of ``body`` sent at ``timestamp``."""
    signed = f"{timestamp}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def headers(secret: str, delivery: Delivery, now: dt.datetime) -> dict[str, str]:
    timestamp = int(now.timestamp())
    return {
        "Content-Type": "application/json",
        "User-Agent": "SkillGrid-Webhook",
        "X-SkillGrid-Event": delivery.event,
        "X-SkillGrid-Delivery": str(delivery.id),
        "X-SkillGrid-Timestamp": str(timestamp),
        "X-SkillGrid-Signature": signature(secret, timestamp, delivery.body.encode()),
    }


def retry_delay(attempts: int) -> dt.timedelta:
    """How long to wait after the ``attempts``-th failed attempt: 30 s, 1 min, 2 min … 1 h."""
    delay: dt.timedelta = FIRST_RETRY * (2 ** max(attempts - 1, 0))
    return min(delay, LAST_RETRY)
