"""The data version rises with every committed change a page can show, and only then: app
processes trust it to tell when an answer they keep is out of date."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from skillgrid.db import changes
from skillgrid.db.changes import changes_data
from skillgrid.db.engine import make_engine
from skillgrid.db.migrate import upgrade
from skillgrid.domain.assessments import OPERATOR, Entry
from skillgrid.domain.errors import SkillGridError
from skillgrid.domain.evidence import Evidence
from skillgrid.domain.insight import Target
from skillgrid.domain.leveling import Rating
from skillgrid.domain.policies import parse_policy
from skillgrid.services import (
    accounts,
    assessments,
    cycles,
    evidence,
    frameworks,
    people,
    targets,
)
from tests.web.conftest import PEOPLE


def version(database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            found = changes.current(connection)
    finally:
        engine.dispose()
    assert found is not None
    return found


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO ratings (a) VALUES (1)",
        '  insert or replace into "people" (a) values (1)',
        "UPDATE assessments SET state = 'finalized'",
        "DELETE FROM evidence_links WHERE id = 1",
        "/* a note */ -- another\nUPDATE people SET name = 'x'",
        "WITH gone AS (SELECT 1) DELETE FROM people",
        "REPLACE INTO teams (name) VALUES ('x')",
        'UPDATE public."people" SET active = false',
        "TRUNCATE people",
        "ALTER TABLE people ADD COLUMN x INTEGER",
        "MERGE INTO people USING teams ON true WHEN MATCHED THEN DELETE",
    ],
)
def test_writes_to_shown_tables_count_as_changes(statement: str) -> None:
    assert changes_data(statement)


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT * FROM people",
        "  -- a note\nSELECT 1",
        "WITH t AS (SELECT 1) SELECT * FROM t",
        "PRAGMA foreign_keys=ON",
        "SAVEPOINT sa_1",
        "INSERT INTO web_sessions (token_hash) VALUES ('x')",
        "DELETE FROM web_sessions WHERE expires_at < now()",
        "UPDATE data_version SET value = value + 1 WHERE id = 1",
        "INSERT INTO audit_entries (actor) VALUES ('a')",  # written with what it records
        "INSERT INTO sign_in_failures (address) VALUES ('x')",
    ],
)
def test_reads_and_passing_state_do_not(statement: str) -> None:
    assert not changes_data(statement)


def test_every_kind_of_change_raises_the_version(database_url: str, uow_factory) -> None:
    def ana_rated() -> None:
        entries = {"SEC.3.8": Entry(Rating.MEETS)}
        assessments.rate(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "manager", entries)

    token: list[int] = []
    steps: list[tuple[str, Callable[[], object]]] = [
        ("ladder stored", lambda: frameworks.install_builtin(uow_factory())),
        ("people imported", lambda: people.import_people(uow_factory(), PEOPLE, "people.csv")),
        ("account added", lambda: accounts.add_user(uow_factory(), "ana@x.org", "a" * 12)),
        ("cycle opened", lambda: cycles.open_cycle(uow_factory(), "2026-H2", "sre")),
        ("rating stored", ana_rated),
        (
            "submitted",
            lambda: assessments.submit(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "manager"),
        ),
        (
            "finalized",
            lambda: assessments.finalize(uow_factory(), OPERATOR, "ana@x.org", "2026-H2"),
        ),
        (
            "evidence added",
            lambda: evidence.add_evidence(
                uow_factory(), OPERATOR, Evidence("ana@x.org", "Postmortem"), ["SEC.3.8"], "sre"
            ),
        ),
        (
            "target set",
            lambda: targets.set_target(uow_factory(), Target("SRE", "sre", "SEC", 3, 1)),
        ),
        (
            "policy changed",
            lambda: frameworks.set_policy(uow_factory(), "sre", parse_policy("tolerance:1")),
        ),
        ("person moved", lambda: people.update_person(uow_factory(), "ana@x.org", name="Ana B")),
        (
            "token made",
            lambda: token.append(accounts.create_token(uow_factory(), "ana@x.org", "ci")[0]),
        ),
        ("token revoked", lambda: accounts.revoke_token(uow_factory(), "ana@x.org", token[0])),
        ("cycle closed", lambda: cycles.set_cycle_open(uow_factory(), "2026-H2", False)),
    ]
    seen = version(database_url)
    for name, step in steps:
        step()
        now = version(database_url)
        assert now > seen, f"{name} did not raise the data version"
        seen = now


def test_refused_changes_sign_ins_and_sign_outs_leave_it(database_url: str, uow_factory) -> None:
    frameworks.install_builtin(uow_factory())
    people.import_people(uow_factory(), PEOPLE, "people.csv")
    accounts.add_user(uow_factory(), "ana@x.org", "a" * 12)
    from skillgrid.services.sign_in import Attempt, sign_in

    before = version(database_url)
    attempt = Attempt("ana@x.org", "a" * 12, "192.0.2.1")
    token = sign_in(uow_factory(), attempt, now=dt.datetime.now(dt.UTC)).token
    with pytest.raises(SkillGridError):
        sign_in(uow_factory(), Attempt("ana@x.org", "wrong" * 3, "192.0.2.1"))
    with pytest.raises(SkillGridError):
        people.import_people(uow_factory(), b"name,email\nX,not-an-email\n", "bad.csv")
    with pytest.raises(SkillGridError):
        cycles.open_cycle(uow_factory(), "2026-H2", "no-such-ladder")
    accounts.sign_out(uow_factory(), token)
    assert version(database_url) == before


def test_import_all_moves_it_to_a_number_never_seen(database_url: str, uow_factory) -> None:
    from skillgrid.db.dump import export_all
    from skillgrid.db.load import import_all

    frameworks.install_builtin(uow_factory())
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        document = io.StringIO()
        export_all(engine, document)
        before = version(database_url)
        import_all(engine, io.StringIO(document.getvalue()), replace=True)
    finally:
        engine.dispose()
    assert version(database_url) != before


def test_a_sqlite_restore_moves_it_and_brings_back_no_session(tmp_path: Path) -> None:
    from sqlalchemy import text

    from skillgrid.db.backup import backup, restore
    from skillgrid.db.engine import make_session_factory
    from skillgrid.db.unit_of_work import SqlAlchemyUnitOfWork

    url = f"sqlite:///{tmp_path / 'live.db'}"
    engine = make_engine(url)
    upgrade(engine)
    frameworks.install_builtin(SqlAlchemyUnitOfWork(make_session_factory(engine)))
    with engine.begin() as connection:  # a signed-in browser, copied into the backup
        connection.execute(text("INSERT INTO users (email, password_hash) VALUES ('a@x', 'h')"))
        connection.execute(
            text(
                "INSERT INTO web_sessions (token_hash, user_id, csrf_token, created_at, "
                "expires_at) VALUES ('t', 1, 'c', '2026-01-01', '2099-01-01')"
            )
        )
    backup(engine, tmp_path / "copy.db")
    before = version(url)
    restore(engine, tmp_path / "copy.db", force=True)
    with engine.connect() as connection:
        sessions = connection.execute(text("SELECT count(*) FROM web_sessions")).scalar()
    engine.dispose()
    assert version(url) != before
    assert sessions == 0  # everyone signs in again: a signed-out cookie stays signed out


def test_the_version_reader_replaces_a_dropped_connection(database_url: str, uow_factory) -> None:
    from skillgrid.db.changes import VersionReader

    frameworks.install_builtin(uow_factory())
    engine = make_engine(database_url)
    reader = VersionReader(engine)
    try:
        seen = reader.version()
        assert seen == version(database_url)
        held = reader._connection()
        getattr(held, "driver_connection", held).close()  # as a database restart would
        assert reader.version() == seen
        assert reader.version_for("session", "0" * 64) is None  # no such session
    finally:
        reader.close()
        engine.dispose()


def test_a_database_that_cannot_answer_gives_no_version(tmp_path: Path) -> None:
    from skillgrid.db.changes import VersionReader

    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")  # no schema: no table
    reader = VersionReader(engine)
    try:
        assert reader.version() is None
    finally:
        reader.close()
        engine.dispose()
