"""The audit trail in real SQLite and PostgreSQL: stored with the change and only with it,
readable by the right people, never editable."""

from __future__ import annotations

import pytest

from skillgrid.domain.assessments import OPERATOR, Actor, Entry
from skillgrid.domain.audit import AuditQuery
from skillgrid.domain.errors import Conflict, NotFound
from skillgrid.domain.leveling import Rating
from skillgrid.domain.people import Role
from skillgrid.services import (
    accounts,
    assessments,
    audit,
    cycles,
    frameworks,
    people_import,
)
from tests.unit.test_assessment_services import ANA, BO, CY, PEOPLE

SECRET = "correct horse battery"
MEETS = {"NET.1.1": Entry(Rating.MEETS)}


@pytest.fixture
def ready(uow_factory):  # type: ignore[no-untyped-def]
    frameworks.install_builtin(uow_factory(), actor=OPERATOR)
    people_import.import_people(uow_factory(), PEOPLE, "people.csv", actor=OPERATOR)
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    return uow_factory


def trail(ready, actor: Actor = OPERATOR, **filters: object) -> list[tuple[str, str, str]]:
    found = audit.list_audit(ready(), actor, AuditQuery(**filters))  # type: ignore[arg-type]
    return [(e.actor, e.action, e.entity_id) for e in found]


def test_entries_are_stored_newest_first_with_a_utc_time(ready) -> None:
    assessments.rate(ready(), ANA, "ana@x.org", "2026-H2", "self", MEETS)
    assessments.submit(ready(), ANA, "ana@x.org", "2026-H2", "self")
    newest = audit.list_audit(ready(), OPERATOR, AuditQuery(person="ana@x.org"))
    assert [e.action for e in newest[:2]] == ["submit", "rate"]
    assert newest[0].at is not None and newest[0].at.utcoffset() is not None
    assert newest[1].after == {
        "NET.1.1": {"uid": newest[1].after["NET.1.1"]["uid"], "rating": "meets"}
    }


def test_a_time_given_in_another_zone_is_stored_as_the_same_moment(ready) -> None:
    import datetime as dt

    from skillgrid.domain.audit import AuditEntry

    at = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    with ready().write() as uow:
        uow.audit.add(AuditEntry("op", "note", "account", "x", "ana@x.org", None, None, at=at))
        uow.commit()
    (found,) = audit.list_audit(ready(), OPERATOR, AuditQuery(entity_id="x"))
    assert found.at == at  # 10:00 UTC on either database, not 12:00 UTC on SQLite


def test_a_change_that_fails_to_commit_leaves_no_entry(ready, monkeypatch) -> None:
    from skillgrid.db.unit_of_work import SqlAlchemyUnitOfWork

    before = trail(ready)

    def broken_commit(self: SqlAlchemyUnitOfWork) -> None:
        self.session.flush()  # the rows reach the database …
        raise OSError("disk full")  # … and the transaction never commits

    monkeypatch.setattr(SqlAlchemyUnitOfWork, "commit", broken_commit)
    with pytest.raises(OSError, match="disk full"):
        assessments.rate(ready(), ANA, "ana@x.org", "2026-H2", "self", MEETS)
    monkeypatch.undo()
    assert trail(ready) == before
    assessment, _ = assessments.get_assessment(ready(), ANA, "ana@x.org", "2026-H2", "self")
    assert assessment.entries == {}


def test_a_refused_change_leaves_no_entry(ready) -> None:
    assessments.rate(ready(), ANA, "ana@x.org", "2026-H2", "self", MEETS)
    before = trail(ready)
    with pytest.raises(Conflict):  # a stale revision
        assessments.rate(ready(), ANA, "ana@x.org", "2026-H2", "self", {}, revision=0)
    assert trail(ready) == before


def test_accounts_are_recorded_without_passwords_or_tokens(ready) -> None:
    accounts.add_user(ready(), "ana@x.org", SECRET, actor=OPERATOR)
    accounts.add_user(ready(), "ana@x.org", SECRET + "!", admin=True, actor=OPERATOR)
    token_id, token = accounts.create_token(ready(), "ana@x.org", "ci")
    accounts.revoke_token(ready(), "ana@x.org", token_id)
    found = audit.list_audit(ready(), OPERATOR, AuditQuery(person="ana@x.org"))
    found = [e for e in found if e.entity != "person"]
    assert [(e.actor, e.action, e.entity) for e in found] == [
        ("ana@x.org", "revoke", "token"),
        ("ana@x.org", "create", "token"),
        ("cli/operator", "reset_password", "account"),
        ("cli/operator", "add", "account"),
    ]
    assert found[2].after == {"admin": True, "password": "changed", "sessions_and_tokens": "ended"}
    text = repr(found)
    assert SECRET not in text and token not in text and "argon2" not in text
    assert accounts.token_digest(token) not in text


def test_who_reads_what(ready) -> None:
    """Admins read all; the manager chain reads entries about their people; a person reads
    entries about themselves except rating changes by others (a draft stays its author's)."""
    assessments.rate(ready(), ANA, "ana@x.org", "2026-H2", "self", MEETS)
    assessments.rate(ready(), BO, "ana@x.org", "2026-H2", "manager", MEETS)
    assessments.submit(ready(), BO, "ana@x.org", "2026-H2", "manager")
    assessments.rate(ready(), CY, "cy@x.org", "2026-H2", "self", MEETS)
    mine = ("ana@x.org", "rate", "ana@x.org/2026-H2/self")
    bos_rating = ("bo@x.org", "rate", "ana@x.org/2026-H2/manager")
    bos_submit = ("bo@x.org", "submit", "ana@x.org/2026-H2/manager")
    cys = ("cy@x.org", "rate", "cy@x.org/2026-H2/self")
    on = {"entity": "assessment"}
    assert set(trail(ready, **on)) == {mine, bos_rating, bos_submit, cys}
    assert set(trail(ready, BO, **on)) == {mine, bos_rating, bos_submit, cys}
    assert trail(ready, ANA, **on) == [bos_submit, mine]
    assert trail(ready, CY, **on) == [cys]
    assert ("cli/operator", "add", "ana@x.org") in trail(ready, ANA, entity="person")
    with pytest.raises(NotFound):
        trail(ready, CY, person="ana@x.org")  # as if Ana did not exist
    with pytest.raises(NotFound):
        trail(ready, ANA, person="bo@x.org")  # not even one's own manager
    admin = Actor("ad@x.org", Role.ADMIN)
    assert len(trail(ready, admin, entity="team")) == 1


def test_filters_and_pages(ready) -> None:
    for rating in (Rating.DEVELOPING, Rating.MEETS, Rating.EXCEEDS):
        assessments.rate(ready(), ANA, "ana@x.org", "2026-H2", "self", {"NET.1.1": Entry(rating)})
    rates = trail(ready, entity="assessment", person="ana@x.org")
    assert len(rates) == 3
    assert trail(ready, entity="assessment", limit=2, offset=1) == rates[1:3]
    import datetime as dt

    tomorrow = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    assert trail(ready, since=tomorrow) == []


@pytest.mark.postgres
def test_postgresql_refuses_to_edit_or_delete_the_trail(ready, database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("the trigger is PostgreSQL's")
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import DBAPIError

    engine = create_engine(database_url)
    try:
        for statement in ("UPDATE audit_entries SET actor = 'x'", "DELETE FROM audit_entries"):
            with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
                connection.execute(text(statement))
    finally:
        engine.dispose()


def test_an_entry_recorded_in_a_unit_of_work_is_found_in_it(uow_factory) -> None:
    from skillgrid.domain.audit import AuditEntry

    with uow_factory().write() as uow:
        uow.audit.add(AuditEntry("operator", "note", "ladder", "sre", None))
        found = uow.audit.find(AuditQuery(entity="ladder", entity_id="sre"), None)
        assert [(e.action, e.entity_id) for e in found] == [("note", "sre")]
