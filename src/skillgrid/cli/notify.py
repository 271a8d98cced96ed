"""``skillgrid notify …``: reminders by mail, event mails, and sending the outbox."""

from __future__ import annotations

import time

import typer

from skillgrid.cli.common import (
    error_line,
    fail,
    mailer,
    out,
    poster,
    settings,
    with_database,
)
from skillgrid.domain.assessments import OPERATOR

notify_app = typer.Typer(
    rich_markup_mode=None,
    help="Reminders by mail (for cron), event mails, sending webhooks and mails.",
    no_args_is_help=True,
)


@notify_app.command("due")
def notify_due(
    cycle: str | None = typer.Option(
        None, "--cycle", help="Only this cycle (default: every open cycle)."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="List who would get what; send and store nothing."
    ),
) -> None:
    """Send each person with pending work one digest of it: their self-assessment, reports
    waiting for their review, due dates. At most one a person a day (UTC): a second run
    that day skips those already sent theirs.

    Example: skillgrid notify due --dry-run
    """
    from skillgrid.services.reminders import send_due_digests

    base_url = settings().base_url
    sender = None if dry_run else mailer()
    run = with_database(
        lambda uow: send_due_digests(
            uow, sender, actor=OPERATOR, cycle=cycle, dry_run=dry_run, base_url=base_url
        )
    )
    verb = "Would send" if dry_run else "Sent"
    for digest in run.sent:
        out().print(f"{digest.email}: {digest.summary()}")
    out().print(f"{verb} {len(run.sent)} digest{'s' if len(run.sent) != 1 else ''}.")
    if run.already:
        out().print(f"Already sent today: {', '.join(run.already)}.")
    for email, error in run.failed:
        error_line(f"not sent to {email}: {error}")
    if run.failed:
        fail(f"{len(run.failed)} digest(s) not sent; the next run tries them again")


@notify_app.command("events")
def notify_events(
    person: str = typer.Argument(..., help="The person's email."),
    on: bool = typer.Option(..., "--on/--off", help="Send them event mails, or not."),
    acting: str | None = typer.Option(
        None, "--as", help="Act as this person (by default the local operator, an admin)."
    ),
) -> None:
    """Turn a person's event mails (e.g. "your assessment is finalized") on or off.

    Example: skillgrid notify events ana@example.com --off --as ana@example.com
    """
    from skillgrid.services.people import actor_for
    from skillgrid.services.reminders import set_event_mails

    def change(uow):  # type: ignore[no-untyped-def]
        return set_event_mails(uow, person, on, actor=actor_for(uow, acting))

    with_database(change)
    out().print(f"Event mails for {person}: {'on' if on else 'off'}.")


@notify_app.command("send")
def notify_send(
    watch: float = typer.Option(
        0, "--watch", min=0, help="Keep going, looking again every this many seconds."
    ),
) -> None:
    """Send what is due in the outbox: webhook deliveries and event mails (the web app does
    this too, every SKILLGRID_OUTBOX_INTERVAL seconds).

    Example: skillgrid notify send --watch 5
    """
    from skillgrid.cli.webhooks import print_deliveries
    from skillgrid.services.outbox import BATCH, deliver_due

    sender, address = mailer(), settings().base_url
    while True:
        sent = with_database(
            lambda uow: deliver_due(uow, poster(), actor=OPERATOR, mailer=sender, base_url=address)
        )
        print_deliveries(sent, False)
        if len(sent) == BATCH:
            continue  # a full batch: more may be due (a burst of events)
        if not watch:
            return
        time.sleep(watch)
