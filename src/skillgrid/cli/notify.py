"""``skillgrid notify …``: reminders by mail."""

from __future__ import annotations

import typer

from skillgrid.cli.common import error_line, fail, mailer, out, settings, with_database
from skillgrid.domain.assessments import OPERATOR

notify_app = typer.Typer(
    rich_markup_mode=None, help="Reminders by mail (for cron).", no_args_is_help=True
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
