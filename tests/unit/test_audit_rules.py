"""The audit trail's pure rules: who reads an entry, what a changed field looks like, and
the dates the CLI and the API take."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from skillgrid.domain.assessments import OPERATOR, Actor, Assessment, State
from skillgrid.domain.audit import AuditEntry, changed
from skillgrid.domain.errors import InputError
from skillgrid.domain.people import Role
from skillgrid.services.audit import DRAFT_HIDDEN, parse_since, parse_timestamp, readable
from tests.unit.fakes import FakeUnitOfWork

ANA, BO = Actor("ana@x.org", Role.ENGINEER), Actor("bo@x.org", Role.MANAGER)


def test_only_changed_fields_are_kept_on_each_side() -> None:
    assert changed({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == (
        {"b": 2, "c": None},
        {"b": 3, "c": 4},
    )


def test_a_drafts_ratings_are_its_authors_own_in_the_trail_until_it_is_submitted() -> None:
    uow = FakeUnitOfWork()
    draft = Assessment("ana@x.org", "H2", "self", State.DRAFT)
    uow.assessments.stored[("ana@x.org", "H2", "self")] = draft
    before, after = {"NET.1.1": {"rating": "meets"}}, {"NET.1.1": {"rating": "exceeds"}}
    rated = AuditEntry("ana@x.org", "rate", "assessment", "ana@x.org/H2/self", "ana@x.org")
    rated = replace(rated, before=before, after=after)
    for reader in (BO, Actor("cy@x.org", Role.MANAGER)):  # her manager, a skip-level
        [shown] = readable(uow, reader, [rated])
        assert (shown.actor, shown.before, shown.after) == ("ana@x.org", None, DRAFT_HIDDEN)
    for reader in (ANA, OPERATOR):  # the author, an admin
        assert readable(uow, reader, [rated]) == [rated]
    uow.assessments.stored[("ana@x.org", "H2", "self")] = replace(draft, state=State.SUBMITTED)
    assert readable(uow, BO, [rated]) == [rated]  # handed over: readable, as the ratings are


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-07-01T00:00:00Z", dt.datetime(2026, 7, 1, tzinfo=dt.UTC)),
        ("2026-07-01t02:00:00.1234567+02:00", dt.datetime(2026, 7, 1, 0, 0, 0, 123456, dt.UTC)),
        ("2016-12-31T23:59:60Z", dt.datetime(2016, 12, 31, 23, 59, 59, tzinfo=dt.UTC)),
    ],
)
def test_the_api_takes_rfc_3339_date_times(text: str, expected: dt.datetime) -> None:
    assert parse_timestamp(text) == expected


@pytest.mark.parametrize(
    "text", ["", "0.0", "2026-07-01", "2026-02-30T00:00:00Z", "2026-07-01T00:00:00"]
)
def test_the_api_refuses_anything_else(text: str) -> None:
    with pytest.raises(InputError, match="RFC 3339"):
        parse_timestamp(text)


def test_the_cli_takes_a_date_or_a_date_time_in_utc() -> None:
    assert parse_since("2026-07-01") == dt.datetime(2026, 7, 1, tzinfo=dt.UTC)
    assert parse_since("2026-07-01T10:00:00+02:00") == dt.datetime(2026, 7, 1, 8, tzinfo=dt.UTC)
    assert parse_since(None) is None
    with pytest.raises(InputError, match="not a date"):
        parse_since("last week")
