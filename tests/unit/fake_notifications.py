"""The fake of the outbox, webhooks, digests sent and mail opt-outs (the unit of work's
``notifications``)."""

from __future__ import annotations

from typing import Any

from skillgrid.domain.webhooks import Delivery, Webhook


class FakeNotificationRepository:
    def __init__(self) -> None:
        self.sent: set[tuple[str, Any]] = set()
        self.hooks: list[Webhook] = []
        self.outbox: dict[int, Delivery] = {}
        self.claims: dict[int, Any] = {}
        self.opt_outs: set[str] = set()

    def opted_out(self, email: str) -> bool:
        return email in self.opt_outs

    def set_opted_out(self, email: str, opted_out: bool) -> None:
        if opted_out:
            self.opt_outs.add(email)
        else:
            self.opt_outs.discard(email)

    def add_webhook(self, url: str, events: Any, secret: str) -> Webhook:
        hook = Webhook(len(self.hooks) + 1, url, tuple(events), secret)
        self.hooks.append(hook)
        return hook

    def webhooks(self) -> list[Webhook]:
        return list(self.hooks)

    def remove_webhook(self, webhook_id: int) -> None:
        self.hooks = [hook for hook in self.hooks if hook.id != webhook_id]
        self.outbox = {k: d for k, d in self.outbox.items() if d.webhook_id != webhook_id}

    def add_deliveries(self, rows: Any, now: Any) -> list[int]:
        ids = []
        for hook, recipient, event, body in rows:
            key = len(self.outbox) + 1
            self.outbox[key] = Delivery(
                key, hook, event, body, "pending", 0, now, now, recipient=recipient
            )
            ids.append(key)
        return ids

    def any_due(self, now: Any) -> bool:
        return bool(self.claim_deliveries(now, now, 1_000_000, None, hold=False))

    def claim_deliveries(
        self, now: Any, until: Any, limit: int, only: Any, hold: bool = True
    ) -> list[Any]:
        hooks = {hook.id: hook for hook in self.hooks}
        due = [
            d
            for d in self.outbox.values()
            if d.state == "pending"
            and d.next_attempt_at <= now
            and (self.claims.get(d.id) is None or self.claims[d.id] < now)
            and only in (None, d.id)
        ][:limit]
        if hold:
            self.claims.update({d.id: until for d in due})
        return [(d, hooks.get(d.webhook_id)) for d in due]

    def finish_delivery(self, delivery: Delivery) -> None:
        self.outbox[delivery.id] = delivery
        self.claims.pop(delivery.id, None)

    def deliveries(self, webhook_id: Any, limit: int) -> list[Delivery]:
        found = [d for d in self.outbox.values() if webhook_id in (None, d.webhook_id)]
        return sorted(found, key=lambda d: -d.id)[:limit]

    def digests_sent(self, day: Any) -> set[str]:
        return {email for email, sent_on in self.sent if sent_on == day}

    def claim_digests(self, emails: Any, day: Any) -> list[str]:
        fresh = [email for email in emails if (email, day) not in self.sent]
        self.sent.update((email, day) for email in fresh)
        return fresh

    def remove_digests_sent(self, emails: Any, day: Any) -> None:
        self.sent -= {(email, day) for email in emails}
