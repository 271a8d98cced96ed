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
    ],
)
def test_writes_to_shown_tables_count_as_changes(statement: str) -> None:
    assert changes_data(statement)


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT * FROM people",
        "INSERT INTO web_sessions (token_hash) VALUES ('x')",
        "DELETE FROM web_sessions WHERE expires_at < now()",
        "UPDATE data_version SET value = value + 1 WHERE id = 1",
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


def test_refused_changes_and_sign_outs_leave_it(database_url: str, uow_factory) -> None:
    frameworks.install_builtin(uow_factory())
    people.import_people(uow_factory(), PEOPLE, "people.csv")
    accounts.add_user(uow_factory(), "ana@x.org", "a" * 12)
    from skillgrid.services.sign_in import Attempt, sign_in

    attempt = Attempt("ana@x.org", "a" * 12, "192.0.2.1")
    token = sign_in(uow_factory(), attempt, now=dt.datetime.now(dt.UTC)).token
    before = version(database_url)
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


def test_a_sqlite_restore_moves_it(tmp_path: Path) -> None:
    from skillgrid.db.backup import backup, restore
    from skillgrid.db.engine import make_session_factory
    from skillgrid.db.unit_of_work import SqlAlchemyUnitOfWork

    url = f"sqlite:///{tmp_path / 'live.db'}"
    engine = make_engine(url)
    upgrade(engine)
    frameworks.install_builtin(SqlAlchemyUnitOfWork(make_session_factory(engine)))
    backup(engine, tmp_path / "copy.db")
    before = version(url)
    restore(engine, tmp_path / "copy.db", force=True)
    engine.dispose()
    assert version(url) != before


def test_the_version_reader_replaces_a_dropped_connection(database_url: str, uow_factory) -> None:
    from skillgrid.db.changes import VersionReader

    frameworks.install_builtin(uow_factory())
    engine = make_engine(database_url)
    reader = VersionReader(engine)
    try:
        seen = reader.version()
        assert seen == version(database_url)
        reader._connection().driver_connection.close()  # as a database restart would
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
