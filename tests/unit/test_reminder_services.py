"""Who gets a digest of pending work, what it says, and how often."""

from __future__ import annotations

import datetime as dt

import pytest

from skillgrid.domain.assessments import OPERATOR, DueDates, Entry, Forbidden
from skillgrid.domain.errors import ConfigurationError
from skillgrid.domain.leveling import Rating
from skillgrid.domain.reminders import Mail, MailError
from skillgrid.services import assessments, cycles, frameworks, people_import
from skillgrid.services.reminders import send_due_digests
from tests.unit.fakes import FakeUnitOfWork
from tests.unit.test_assessment_services import BO

# Bo manages Ana, Cy and Di (inactive); Ed is on no team with no manager; Ad is an admin.
PEOPLE = (
    b"name,email,team,manager_email,role\n"
    b"Bo,bo@x.org,SRE,,manager\nAna,ana@x.org,SRE,bo@x.org,engineer\n"
    b"Cy,cy@x.org,SRE,bo@x.org,engineer\nDi,di@x.org,SRE,bo@x.org,engineer\n"
    b"Ed,ed@x.org,,,engineer\n"
)
DAY = dt.date(2026, 7, 1)
MET = {"PO.1.1": Entry(Rating.MEETS)}


class Outbox:
    """A mailer that keeps what it is given; ``refuse`` names addresses it fails for."""

    def __init__(self, refuse: tuple[str, ...] = ()) -> None:
        self.mails: list[Mail] = []
        self.refuse = refuse

    def send(self, mail: Mail) -> None:
        if mail.to in self.refuse:
            raise MailError(f"mail to {mail.to}: 550 no such mailbox")
        self.mails.append(mail)


def submitted(uow: FakeUnitOfWork, email: str, rater: str = "self") -> None:
    assessments.rate(uow, OPERATOR, email, "2026-H2", rater, MET)
    assessments.submit(uow, OPERATOR, email, "2026-H2", rater)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    """Ana and Ed submitted their self-assessments (Ana's waits for Bo's review); Bo and Cy
    have not submitted theirs; Di, inactive, has not either."""
    uow = FakeUnitOfWork()
    frameworks.install_builtin(uow, actor=OPERATOR)
    people_import.import_people(uow, PEOPLE, "people.csv", actor=OPERATOR)
    di = uow.people.by_email["di@x.org"]
    uow.people.save([type(di)(di.email, di.name, di.team, di.manager, di.role, active=False)])
    due = DueDates(self_=dt.date(2026, 7, 10), close=dt.date(2026, 7, 31))
    cycles.open_cycle(uow, "2026-H2", "sre", actor=OPERATOR, due=due)
    submitted(uow, "ana@x.org")
    submitted(uow, "ed@x.org")
    return uow


def test_each_person_with_pending_work_gets_exactly_one_digest_and_no_one_else(uow) -> None:
    outbox = Outbox()
    run = send_due_digests(uow, outbox, actor=OPERATOR, today=DAY)
    assert sorted(mail.to for mail in outbox.mails) == ["bo@x.org", "cy@x.org"]
    assert [d.email for d in run.sent] == ["bo@x.org", "cy@x.org"]
    bo = next(mail for mail in outbox.mails if mail.to == "bo@x.org")
    assert bo.subject == "SkillGrid: 2 things wait for you"
    assert "Cycle 2026-H2 (due: self 2026-07-10, close 2026-07-31)" in bo.text
    assert "- your self-assessment, not submitted yet" in bo.text
    assert "- Ana (ana@x.org) waits for your review" in bo.text
    assert "Cy (cy@x.org)" not in bo.text  # Cy has not submitted: nothing for Bo yet
    assert "di@x.org" not in bo.text  # inactive


def test_a_finalized_review_waits_on_nobody(uow) -> None:
    submitted(uow, "ana@x.org", "manager")
    assessments.finalize(uow, BO, "ana@x.org", "2026-H2")
    outbox = Outbox()
    send_due_digests(uow, outbox, actor=OPERATOR, today=DAY)
    bo = next(mail for mail in outbox.mails if mail.to == "bo@x.org")
    assert "Ana" not in bo.text and bo.subject == "SkillGrid: 1 thing waits for you"


def test_links_go_to_the_pages_when_the_address_is_known(uow) -> None:
    outbox = Outbox()
    send_due_digests(uow, outbox, actor=OPERATOR, today=DAY, base_url="https://sk.example/")
    bo = next(mail for mail in outbox.mails if mail.to == "bo@x.org")
    assert "https://sk.example/people/ana@x.org/assess/2026-H2/manager" in bo.text


def test_a_second_run_the_same_day_sends_nothing_and_the_next_day_sends_again(uow) -> None:
    send_due_digests(uow, Outbox(), actor=OPERATOR, today=DAY)
    again = Outbox()
    run = send_due_digests(uow, again, actor=OPERATOR, today=DAY)
    assert again.mails == [] and run.already == ("bo@x.org", "cy@x.org")
    tomorrow = Outbox()
    send_due_digests(uow, tomorrow, actor=OPERATOR, today=DAY + dt.timedelta(days=1))
    assert len(tomorrow.mails) == 2


def test_a_dry_run_lists_who_would_get_what_and_sends_and_keeps_nothing(uow) -> None:
    run = send_due_digests(uow, None, actor=OPERATOR, today=DAY, dry_run=True)
    assert [(d.email, d.summary()) for d in run.sent] == [
        ("bo@x.org", "2026-H2: own self-assessment, review ana@x.org"),
        ("cy@x.org", "2026-H2: own self-assessment"),
    ]
    outbox = Outbox()
    send_due_digests(uow, outbox, actor=OPERATOR, today=DAY)
    assert len(outbox.mails) == 2  # the dry run claimed nobody


def test_a_mail_that_fails_is_reported_and_tried_again_next_run(uow) -> None:
    run = send_due_digests(uow, Outbox(refuse=("cy@x.org",)), actor=OPERATOR, today=DAY)
    assert run.failed == (("cy@x.org", "mail to cy@x.org: 550 no such mailbox"),)
    retry = Outbox()
    send_due_digests(uow, retry, actor=OPERATOR, today=DAY)
    assert [mail.to for mail in retry.mails] == ["cy@x.org"]


def test_without_a_mail_server_the_run_says_what_to_set(uow) -> None:
    with pytest.raises(ConfigurationError, match=r"SKILLGRID_SMTP_URL.*--dry-run"):
        send_due_digests(uow, None, actor=OPERATOR, today=DAY)


def test_a_closed_cycle_sends_nothing_unless_named(uow) -> None:
    cycles.set_cycle_open(uow, "2026-H2", False, actor=OPERATOR)
    assert send_due_digests(uow, Outbox(), actor=OPERATOR, today=DAY).sent == ()
    named = send_due_digests(uow, Outbox(), actor=OPERATOR, today=DAY, cycle="2026-H2")
    assert len(named.sent) == 2


def test_only_an_admin_sends_reminders(uow) -> None:
    with pytest.raises(Forbidden):
        send_due_digests(uow, Outbox(), actor=BO, today=DAY)


def test_a_review_s_stage_is_how_far_it_has_got() -> None:
    from skillgrid.domain.reminders import stage

    assert stage({}) == "not started"
    assert stage({"self": "draft"}) == "draft"
    assert stage({"manager": "draft"}) == "draft"
    assert stage({"self": "submitted", "manager": "draft"}) == "submitted"
    assert stage({"manager": "submitted"}) == "submitted"
    assert stage({"self": "draft", "manager": "finalized"}) == "finalized"


def test_a_mail_s_link_to_an_email_with_url_characters_opens_that_person_s_page() -> None:
    from skillgrid.domain.reminders import event_mail

    event = {
        "event": "assessment.submitted",
        "data": {"person": "jo#ops@x.org", "cycle": "2026-H2", "by": "jo#ops@x.org"},
    }
    mail = event_mail("bo@x.org", {}, event, "https://sk.example/")
    assert "https://sk.example/people/jo%23ops@x.org/assess/2026-H2/manager" in mail.text


def test_a_step_is_overdue_after_its_due_day_until_it_is_done() -> None:
    from skillgrid.domain.assessments import Cycle
    from skillgrid.domain.reminders import overdue_steps

    due = DueDates(self_=dt.date(2026, 7, 10), manager=dt.date(2026, 7, 20))
    cycle = Cycle("2026-H2", "sre", 1, due=due)
    assert overdue_steps(cycle, {}, dt.date(2026, 7, 10)) == frozenset()  # due that day
    assert overdue_steps(cycle, {}, dt.date(2026, 7, 11)) == {"self"}
    assert overdue_steps(cycle, {"self": "draft"}, dt.date(2026, 7, 21)) == {"self", "manager"}
    done = {"self": "submitted", "manager": "submitted"}  # a review is done when finalized
    assert overdue_steps(cycle, done, dt.date(2026, 7, 21)) == {"manager"}
    assert overdue_steps(cycle, {"self": "finalized", "manager": "finalized"}, dt.date.max) == set()
    closed = Cycle("2026-H2", "sre", 1, open=False, due=due)
    assert overdue_steps(closed, {}, dt.date(2026, 7, 21)) == frozenset()  # nothing to do
