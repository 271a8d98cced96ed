"""Webhooks in JSON (admins): add, list, remove, send a test, read the delivery log."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from skillgrid.web.api.errors import ERRORS
from skillgrid.web.api.json_body import StrictJsonRoute
from skillgrid.web.api.models import Answer, UtcDatetime
from skillgrid.web.deps import ApiUser

router = APIRouter(tags=["webhooks"], responses=ERRORS, route_class=StrictJsonRoute)
EventValue = Literal[
    "assessment.submitted",
    "assessment.finalized",
    "assessment.reopened",
    "cycle.opened",
    "cycle.closed",
]
PORT = r"(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})"
WebhookId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class WebhookCreate(BaseModel):
    url: str = Field(
        ...,
        max_length=2000,
        pattern=rf"^https?://[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:{PORT})?(/[^\s]*)?$",
        description="Where to POST: an http or https address.",
    )
    events: list[EventValue] = Field(..., min_length=1, max_length=20)


class WebhookPublic(Answer):
    id: int
    url: str
    events: list[str]


class WebhookCreated(WebhookPublic):
    secret: str = Field(description="Signs every body (X-SkillGrid-Signature); shown only here.")


class DeliveryPublic(Answer):
    id: int
    webhook: int | None = Field(description="The webhook; null for an event mail.")
    recipient: str | None = Field(description="An event mail's address; null for a webhook.")
    event: str
    state: Literal["pending", "delivered", "failed"]
    attempts: int
    last_status: int | None
    last_error: str | None
    created_at: UtcDatetime
    next_attempt_at: UtcDatetime
    delivered_at: UtcDatetime | None


def _hook(hook: Any) -> dict[str, Any]:
    return {"id": hook.id, "url": hook.url, "events": list(hook.events)}


def _delivery(d: Any) -> dict[str, Any]:
    return dict(d.fields())


@router.get("/webhooks", response_model=list[WebhookPublic])
def list_all(user: ApiUser) -> list[dict[str, Any]]:
    """Every webhook and its events, never its secret (admins)."""
    from skillgrid.services.webhooks import list_webhooks

    with user:
        return [_hook(hook) for hook in list_webhooks(user.uow, actor=user.actor)]


@router.post("/webhooks", status_code=201, response_model=WebhookCreated)
def add(user: ApiUser, body: WebhookCreate) -> dict[str, Any]:
    """Add a webhook; the answer holds the secret that signs its bodies (admins)."""
    from skillgrid.services.webhooks import add_webhook

    with user:
        hook = add_webhook(user.uow, body.url, body.events, actor=user.actor)
        return {**_hook(hook), "secret": hook.secret}


@router.delete("/webhooks/{webhook_id}", status_code=204)
def remove(user: ApiUser, webhook_id: WebhookId) -> None:
    """Remove a webhook with its deliveries and their log (admins)."""
    from skillgrid.services.webhooks import remove_webhook

    with user:
        remove_webhook(user.uow, webhook_id, actor=user.actor)


@router.post("/webhooks/{webhook_id}/test", response_model=DeliveryPublic)
def test(request: Request, user: ApiUser, webhook_id: WebhookId) -> dict[str, Any]:
    """Send a webhook.test delivery now; the answer says how it went (admins)."""
    from skillgrid.services.webhooks import send_test

    with user:
        poster = request.app.state.poster
        return _delivery(send_test(user.uow, poster, webhook_id, actor=user.actor))


@router.get("/webhooks/deliveries", response_model=list[DeliveryPublic])
def log(
    user: ApiUser,
    webhook: int | None = Query(None, ge=1, le=2**31 - 1, description="Only this webhook."),
    limit: int = Query(50, ge=1, le=1000),
) -> list[dict[str, Any]]:
    """The delivery log (webhooks and event mails), newest first: state, attempts, last
    answer or error (admins)."""
    from skillgrid.services.webhooks import deliveries

    with user:
        found = deliveries(user.uow, actor=user.actor, webhook_id=webhook, limit=limit)
        return [_delivery(d) for d in found]
