"""``skillgrid notify due``: each person with pending work gets one digest of it.

The mail server is an adapter the composition root hands in (:class:`Mailer`); this module
decides who gets what. A person is sent at most one digest a UTC day: the run claims them
(in ``digests_sent``) before it sends, so a second run that day — or one running at the
same time — skips them; a mail that fails is unclaimed, and the next run tries again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from skillgrid.domain.assessments import Actor
from skillgrid.domain.errors import ConfigurationError, NotFound
from skillgrid.domain.people import normal_email
from skillgrid.domain.reminders import Digest, MailError, digest_mail, pending_work
from skillgrid.services.audit import record
from skillgrid.services.cycles import get_cycle_in
from skillgrid.services.outbox import Mailer, today_utc
from skillgrid.services.permissions import require_admin, require_self_or_admin
from skillgrid.services.unit_of_work import UnitOfWork

NOT_CONFIGURED = (
    "mail is not configured: set SKILLGRID_SMTP_URL (e.g. smtp://mail.example.com:25 or "
    "smtps://user:password@mail.example.com:465) and SKILLGRID_MAIL_FROM, or add --dry-run "
    "to see who would get what"
)


@dataclass(frozen=True)
class DigestRun:
    """What a run did: ``sent`` (or, in a dry run, would send), ``already`` (people sent
    their digest earlier today), ``failed`` (person, error) — they are tried again next run."""

    sent: tuple[Digest, ...]
    already: tuple[str, ...]
    failed: tuple[tuple[str, str], ...]


def send_due_digests(
    uow: UnitOfWork,
    mailer: Mailer | None,
    *,
    actor: Actor,
    cycle: str | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
    base_url: str | None = None,
) -> DigestRun:
    """Send each active person with pending work in the open cycles (or in ``cycle``)
    exactly one digest; nobody else gets anything. ``dry_run`` sends and stores nothing."""
    require_admin(actor, "send reminders")
    if mailer is None and not dry_run:
        raise ConfigurationError(NOT_CONFIGURED)
    day = today or today_utc()
    digests, already = _digests(uow, cycle, day)
    if dry_run or not digests:
        return DigestRun(tuple(digests), already, ())
    assert mailer is not None
    with uow.write():  # claimed before sending: another run the same day skips them
        claimed = set(uow.notifications.claim_digests([d.email for d in digests], day))
        uow.commit()
    already += tuple(d.email for d in digests if d.email not in claimed)
    digests = [d for d in digests if d.email in claimed]
    sent, failed = [], []
    for digest in digests:
        try:
            mailer.send(digest_mail(digest, base_url))
            sent.append(digest)
        except MailError as error:
            failed.append((digest.email, str(error)))
    if failed:
        with uow.write():
            uow.notifications.remove_digests_sent([email for email, _ in failed], day)
            uow.commit()
    return DigestRun(tuple(sent), already, tuple(failed))


def _digests(
    uow: UnitOfWork, name: str | None, day: dt.date
) -> tuple[list[Digest], tuple[str, ...]]:
    """The digests due (people sent one on ``day`` left out) and who those people are."""
    with uow:
        if name is None:
            cycles = [c for c in uow.assessments.cycles() if c.open]
        else:
            cycles = [get_cycle_in(uow, name)]
        states = [(c, uow.assessments.states(c.name)) for c in cycles]
        digests = pending_work(uow.people.people(), states)
        taken = uow.notifications.digests_sent(day)
    already = tuple(d.email for d in digests if d.email in taken)
    return [d for d in digests if d.email not in taken], already


def set_event_mails(uow: UnitOfWork, person: str, wanted: bool, *, actor: Actor) -> bool:
    """Turn a person's event mails (e.g. "your assessment is finalized") on or off; the
    reminder digest is not an event mail. The person or an admin."""
    email = normal_email(person)
    require_self_or_admin(actor, email, "change the event mails")
    with uow.write():
        if uow.people.get(email) is None:
            raise NotFound(f"no person {email}")
        if uow.notifications.opted_out(email) == wanted:
            uow.notifications.set_opted_out(email, not wanted)
            record(
                uow, actor, "mails", "person", email, person=email, after={"event_mails": wanted}
            )
        uow.commit()
    return wanted


def event_mails_wanted(uow: UnitOfWork, person: str, *, actor: Actor) -> bool:
    """Whether the person gets event mails (the person or an admin asks)."""
    email = normal_email(person)
    require_self_or_admin(actor, email, "read the event mail setting")
    with uow:
        if uow.people.get(email) is None:
            raise NotFound(f"no person {email}")
        return not uow.notifications.opted_out(email)
