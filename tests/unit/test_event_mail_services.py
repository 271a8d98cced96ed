"""Event mails: who is told what when an assessment moves, and the opt-out."""

from __future__ import annotations

import pytest

from skillgrid.domain.assessments import OPERATOR, Forbidden
from skillgrid.domain.errors import NotFound
from skillgrid.services import assessments, reminders
from skillgrid.services.outbox import NO_MAIL, deliver_due
from tests.unit.fakes import FakeUnitOfWork
from tests.unit.test_assessment_services import ANA, BO, CY
from tests.unit.test_reminder_services import Outbox, submitted
from tests.unit.test_reminder_services import uow as uow  # the same organisation


class NoPosts:
    def post(self, url: str, body: bytes, headers: object) -> int:
        raise AssertionError("no webhook here")


def send(uow: FakeUnitOfWork, mailer: Outbox | None) -> list:  # type: ignore[type-arg]
    return deliver_due(uow, NoPosts(), actor=OPERATOR, mailer=mailer, base_url="https://s.x/")


@pytest.fixture
def org(uow: FakeUnitOfWork) -> FakeUnitOfWork:
    """The organisation of the reminder tests, its earlier mails sent."""
    send(uow, Outbox())
    return uow


def test_a_submitted_self_assessment_tells_the_manager(org) -> None:
    uow = org
    outbox = Outbox()
    submitted(uow, "cy@x.org")
    (sent,) = send(uow, outbox)
    assert (sent.recipient, sent.state) == ("bo@x.org", "delivered")
    (mail,) = outbox.mails
    assert (
        mail.to == "bo@x.org"
        and mail.subject == "SkillGrid: Cy submitted their self-assessment (2026-H2)"
    )
    assert "https://s.x/people/cy@x.org/assess/2026-H2/manager" in mail.text


def test_a_finalized_manager_assessment_tells_the_person_who_finalized_it(org) -> None:
    uow = org
    submitted(uow, "ana@x.org", "manager")
    assessments.finalize(uow, BO, "ana@x.org", "2026-H2")
    outbox = Outbox()
    send(uow, outbox)
    (mail,) = outbox.mails
    assert (
        mail.to == "ana@x.org" and mail.subject == "SkillGrid: your 2026-H2 assessment is finalized"
    )
    assert "Bo finalized your manager assessment in 2026-H2" in mail.text


def test_a_person_who_opted_out_gets_no_event_mail_and_can_opt_in_again(org) -> None:
    uow = org
    reminders.set_event_mails(uow, "bo@x.org", False, actor=BO)
    assert reminders.event_mails_wanted(uow, "bo@x.org", actor=OPERATOR) is False
    submitted(uow, "cy@x.org")
    outbox = Outbox()
    assert send(uow, outbox) == [] and outbox.mails == []
    reminders.set_event_mails(uow, "bo@x.org", True, actor=OPERATOR)
    assert uow.audit.entries[-1].after == {"event_mails": True}


def test_only_the_person_or_an_admin_changes_their_event_mails(org) -> None:
    uow = org
    with pytest.raises(Forbidden, match="only they or an admin"):
        reminders.set_event_mails(uow, "ana@x.org", False, actor=BO)
    with pytest.raises(Forbidden):
        reminders.event_mails_wanted(uow, "ana@x.org", actor=CY)
    assert reminders.set_event_mails(uow, "ana@x.org", False, actor=ANA) is False
    with pytest.raises(NotFound):
        reminders.set_event_mails(uow, "zed@x.org", False, actor=OPERATOR)


def test_without_a_mail_server_an_event_mail_fails_at_once_saying_why(org) -> None:
    uow = org
    submitted(uow, "cy@x.org")
    (sent,) = send(uow, None)
    assert (sent.state, sent.last_error) == ("failed", NO_MAIL)
