"""The admin page of webhooks: add one (its secret shown once), send a test, remove one, and
the delivery log (webhooks and event mails). Admins only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from skillgrid.domain.errors import InputError
from skillgrid.domain.webhooks import WebhookError
from skillgrid.web.deps import Csrf, CurrentUser, check_csrf, templates_of

router = APIRouter(include_in_schema=False)
PAGE = "/admin/webhooks"


def _page(request: Request, user: Any, created: Any = None, **refused: Any) -> Response:
    from skillgrid.domain.webhooks import EVENTS
    from skillgrid.services.webhooks import deliveries, list_webhooks

    return templates_of(request).TemplateResponse(
        request,
        "webhooks.html",
        {
            "user": user,
            "hooks": list_webhooks(user.uow, actor=user.actor),
            "log": deliveries(user.uow, actor=user.actor, limit=50),
            "events": EVENTS,
            "created": created,
            "error": None,
            "typed": {"url": "", "events": []},
            **refused,
        },
        status_code=422 if refused else 200,
    )


@router.get(PAGE)
def webhooks_page(request: Request, user: CurrentUser) -> Response:
    with user:
        return _page(request, user)


@router.post(PAGE)
def webhook_add(
    request: Request,
    user: CurrentUser,
    url: Annotated[str, Form(max_length=2000)],
    events: Annotated[list[str], Form(max_length=20)],
    csrf_token: Csrf = "",
) -> Response:
    """Add a webhook and show its secret, this once."""
    from skillgrid.services.webhooks import add_webhook

    with user:
        check_csrf(user, csrf_token)
        try:
            created = add_webhook(user.uow, url, events, actor=user.actor)
        except (
            WebhookError,
            InputError,
        ) as error:  # what was typed comes back, the reason beside it
            typed = {"url": url, "events": events}
            return _page(request, user, error=str(error), typed=typed)
        return _page(request, user, created)


@router.post(PAGE + "/{webhook_id}/test")
def webhook_test(
    request: Request, user: CurrentUser, webhook_id: int, csrf_token: Csrf = ""
) -> Response:
    """Send a test delivery now; the log on the page says how it went."""
    from skillgrid.services.webhooks import send_test

    with user:
        check_csrf(user, csrf_token)
        send_test(user.uow, request.app.state.poster, webhook_id, actor=user.actor)
        return RedirectResponse(PAGE + "#log", status_code=303)


@router.post(PAGE + "/{webhook_id}/remove")
def webhook_remove(user: CurrentUser, webhook_id: int, csrf_token: Csrf = "") -> Response:
    from skillgrid.services.webhooks import remove_webhook

    with user:
        check_csrf(user, csrf_token)
        remove_webhook(user.uow, webhook_id, actor=user.actor)
        return RedirectResponse(PAGE, status_code=303)
