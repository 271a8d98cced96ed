"""``skillgrid webhook …``: tell other systems (Slack or Teams relays, HR tools) about events."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import typer

from skillgrid.cli.common import AS_JSON, out, poster, with_database
from skillgrid.domain.assessments import OPERATOR
from skillgrid.domain.webhooks import EVENTS

webhook_app = typer.Typer(
    rich_markup_mode=None,
    help="Webhooks: signed JSON posts about events, retried and logged.",
    no_args_is_help=True,
)


def print_deliveries(found: list[Any], as_json: bool) -> None:
    rows = [d.fields() for d in found]
    if as_json:
        print(json.dumps(rows, indent=2, default=dt.datetime.isoformat))
        return
    for row in rows:
        status = row["last_status"] or "-"
        error = f"  {row['last_error']}" if row["last_error"] else ""
        out().print(
            f"{row['id']}  {_to(row)}  {row['event']}  {row['state']}  "
            f"attempts {row['attempts']}  HTTP {status}{error}",
            markup=False,
        )


def _to(row: dict[str, Any]) -> str:
    return f"hook {row['webhook']}" if row["webhook"] else f"mail to {row['recipient']}"


@webhook_app.command("add")
def webhook_add(
    url: str = typer.Argument(..., help="Where to POST, e.g. https://relay.example/skillgrid."),
    events: list[str] = typer.Option(
        ..., "--event", help=f"An event to send (repeat for more): {', '.join(EVENTS)}."
    ),
) -> None:
    """Add a webhook; prints its id and the secret that signs its bodies (keep it).

    Example: skillgrid webhook add https://relay.example/sg --event assessment.finalized
    """
    from skillgrid.services.webhooks import add_webhook

    hook = with_database(lambda uow: add_webhook(uow, url, events, actor=OPERATOR))
    out().print(f"Added webhook {hook.id}: {hook.url} ({', '.join(hook.events)}).", markup=False)
    out().print(f"Secret (signs X-SkillGrid-Signature): {hook.secret}", markup=False)


@webhook_app.command("list")
def webhook_list(as_json: bool = AS_JSON) -> None:
    """List webhooks with their events (secrets with --json).

    Example: skillgrid webhook list
    """
    from skillgrid.services.webhooks import list_webhooks

    hooks = with_database(lambda uow: list_webhooks(uow, actor=OPERATOR))
    if as_json:
        found = [{"id": h.id, "url": h.url, "events": h.events, "secret": h.secret} for h in hooks]
        print(json.dumps(found, indent=2))
        return
    for hook in hooks:
        out().print(f"{hook.id}  {hook.url}  {' '.join(hook.events)}", markup=False)


@webhook_app.command("remove")
def webhook_remove(
    webhook_id: int = typer.Argument(..., help="Webhook id (webhook list)."),
) -> None:
    """Remove a webhook, with its pending deliveries and their log.

    Example: skillgrid webhook remove 3
    """
    from skillgrid.services.webhooks import remove_webhook

    with_database(lambda uow: remove_webhook(uow, webhook_id, actor=OPERATOR))
    out().print(f"Removed webhook {webhook_id}.")


@webhook_app.command("test")
def webhook_test(webhook_id: int = typer.Argument(..., help="Webhook id (webhook list).")) -> None:
    """Send a webhook.test delivery now and show how it went (retried later if it failed).

    Example: skillgrid webhook test 3
    """
    from skillgrid.services.webhooks import send_test

    sent = with_database(lambda uow: send_test(uow, poster(), webhook_id, actor=OPERATOR))
    print_deliveries([sent], False)
    if sent.state != "delivered":
        raise typer.Exit(1)


@webhook_app.command("log")
def webhook_log(
    webhook_id: int | None = typer.Option(None, "--webhook", help="Only this webhook."),
    limit: int = typer.Option(50, "--limit", min=1, max=1000, help="How many, newest first."),
    as_json: bool = AS_JSON,
) -> None:
    """The delivery log (webhooks and event mails), newest first: state, attempts, last
    answer or error.

    Example: skillgrid webhook log --webhook 3 --json
    """
    from skillgrid.services.webhooks import deliveries

    found = with_database(
        lambda uow: deliveries(uow, actor=OPERATOR, webhook_id=webhook_id, limit=limit)
    )
    print_deliveries(found, as_json)
