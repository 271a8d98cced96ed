"""Reminder digests on a real database: two runs at the same moment send each person one
digest between them, and neither fails."""

from __future__ import annotations

import datetime as dt
import threading

from skillgrid.domain.assessments import OPERATOR, Entry
from skillgrid.domain.leveling import Rating
from skillgrid.services import assessments, cycles, frameworks, people_import
from skillgrid.services.reminders import send_due_digests
from tests.unit.test_reminder_services import PEOPLE, Outbox


def test_two_runs_at_once_send_each_person_one_digest_between_them(uow_factory) -> None:
    frameworks.install_builtin(uow_factory(), actor=OPERATOR)
    people_import.import_people(uow_factory(), PEOPLE, "people.csv", actor=OPERATOR)
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    met = {"PO.1.1": Entry(Rating.MEETS)}
    assessments.rate(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "self", met)
    assessments.submit(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "self")
    outbox, barrier, errors = Outbox(), threading.Barrier(2), []
    day = dt.date(2026, 7, 1)

    def run() -> None:
        barrier.wait()
        try:
            send_due_digests(uow_factory(), outbox, actor=OPERATOR, today=day)
        except Exception as error:  # the test reports any
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # Bo (Ana waits for him, his own self-assessment), Cy, Di and Ed (theirs)
    assert sorted(mail.to for mail in outbox.mails) == [
        "bo@x.org",
        "cy@x.org",
        "di@x.org",
        "ed@x.org",
    ]
