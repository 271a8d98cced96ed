"""Due dates on cycles: set when opening, changed later, the close last, admins only."""

from __future__ import annotations

import datetime as dt

import pytest

from skillgrid.domain.assessments import OPERATOR, AssessmentError, DueDates, Forbidden
from skillgrid.services import cycles, frameworks, people_import
from tests.unit.fakes import FakeUnitOfWork
from tests.unit.test_assessment_services import BO, PEOPLE

JULY = dt.date(2026, 7, 1)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    frameworks.install_builtin(uow, actor=OPERATOR)
    people_import.import_people(uow, PEOPLE, "people.csv", actor=OPERATOR)
    return uow


def test_a_cycle_opens_with_the_due_dates_given_and_keeps_them(uow) -> None:
    due = DueDates(self_=JULY, close=JULY + dt.timedelta(days=30))
    cycles.open_cycle(uow, "2026-H2", "sre", actor=OPERATOR, due=due)
    (stored,) = cycles.list_cycles(uow)
    assert stored.due == due
    assert stored.due.as_dict() == {
        "self": "2026-07-01",
        "manager": None,
        "calibration": None,
        "close": "2026-07-31",
    }


def test_due_dates_change_later_and_the_change_is_audited(uow) -> None:
    cycles.open_cycle(uow, "2026-H2", "sre", actor=OPERATOR)
    cycles.set_due_dates(uow, "2026-H2", {"manager": JULY, "close": JULY}, actor=OPERATOR)
    changed = cycles.set_due_dates(uow, "2026-H2", {"close": None}, actor=OPERATOR)
    assert changed.due == DueDates(manager=JULY)  # the manager's kept, the close cleared
    assert cycles.list_cycles(uow)[0].due == DueDates(manager=JULY)
    entry = uow.audit.entries[-1]
    assert (entry.action, entry.entity_id) == ("due", "2026-H2")
    assert entry.before == {
        "due": {**DueDates().as_dict(), "manager": "2026-07-01", "close": "2026-07-01"}
    }
    assert entry.after == {"due": {**DueDates().as_dict(), "manager": "2026-07-01"}}


def test_closing_a_cycle_keeps_its_due_dates(uow) -> None:
    cycles.open_cycle(uow, "2026-H2", "sre", actor=OPERATOR, due=DueDates(close=JULY))
    assert cycles.set_cycle_open(uow, "2026-H2", False, actor=OPERATOR).due.close == JULY


def test_the_close_may_not_come_before_another_due_date() -> None:
    with pytest.raises(AssessmentError, match="calibration due date 2026-07-02 is after the close"):
        DueDates(calibration=JULY + dt.timedelta(days=1), close=JULY)
    assert DueDates(self_=JULY, close=JULY).close == JULY  # the same day is fine


def test_an_unknown_step_is_named_with_the_steps_there_are() -> None:
    with pytest.raises(AssessmentError, match=r"no step 'review'.*self, manager, calibration"):
        DueDates.of({"review": JULY})


def test_only_an_admin_sets_due_dates(uow) -> None:
    cycles.open_cycle(uow, "2026-H2", "sre", actor=OPERATOR)
    with pytest.raises(Forbidden):
        cycles.set_due_dates(uow, "2026-H2", {"self": JULY}, actor=BO)


def test_a_change_that_would_put_the_close_first_is_refused_and_nothing_changes(uow) -> None:
    cycles.open_cycle(uow, "2026-H2", "sre", actor=OPERATOR, due=DueDates(close=JULY))
    with pytest.raises(AssessmentError, match="after the close"):
        cycles.set_due_dates(uow, "2026-H2", {"self": JULY + dt.timedelta(days=1)}, actor=OPERATOR)
    assert cycles.list_cycles(uow)[0].due == DueDates(close=JULY)
