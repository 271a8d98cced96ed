"""export-all / import-all: the whole organisation as JSON, lossless between SQLite and
PostgreSQL, byte-identical for the same data, and refused (changing nothing) when wrong."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine

from skillgrid.db.dump import export_all
from skillgrid.db.engine import make_engine
from skillgrid.db.load import import_all
from skillgrid.db.migrate import HEAD, upgrade
from skillgrid.db.portable import PortabilityError
from skillgrid.domain.assessments import MANAGER, OPERATOR, SELF, Entry
from skillgrid.domain.evidence import Evidence
from skillgrid.domain.leveling import Rating
from tests.conftest import POSTGRES_URL, table_snapshot

# The manager comes after her reports, so her id is larger than theirs: the import must
# cope with rows that refer to later rows of the same table.
PEOPLE = (
    "name,email,team,manager_email,role\n"
    "Ana Lima,ana@x.org,SRE,zed@x.org,engineer\n"
    "Bo Chen,bo@x.org,SRE,zed@x.org,engineer\n"
    "Zed Ünal,zed@x.org,Infra,,manager\n"
)
PASSWORD = "correct horse battery"


def fill_org(make: Callable[[], object]) -> str:
    """A small organisation touching every table; returns an API token."""
    from skillgrid.services import (
        accounts,
        assessments,
        cycles,
        evidence,
        frameworks,
        people,
        people_import,
    )
    from skillgrid.services.sign_in import Attempt, sign_in

    frameworks.install_builtin(make(), actor=OPERATOR)
    people.add_team(make(), "Infra", actor=OPERATOR)
    people_import.import_people(make(), PEOPLE.encode(), "people.csv", actor=OPERATOR)
    people.add_team(make(), "Edge", parent="Infra", actor=OPERATOR)
    accounts.add_user(make(), "ana@x.org", PASSWORD, actor=OPERATOR)
    accounts.add_user(make(), "admin@x.org", PASSWORD, admin=True, actor=OPERATOR)
    _, token = accounts.create_token(make(), "ana@x.org", "ci — “laptop”")
    sign_in(make(), Attempt("ana@x.org", PASSWORD, "127.0.0.1"))  # a web session: never exported
    cycles.open_cycle(make(), "2026-H2", "sre", actor=OPERATOR)
    ratings = {
        "NET.1.1": Entry(Rating.MEETS, None, 'line one\nline two, "quoted" ✓'),
        "SEC.3.8": Entry(Rating.NOT_APPLICABLE, "no Linux hosts"),
        "CW.1.1": Entry(Rating.EXCEEDS),
    }
    assessments.rate(make(), OPERATOR, "ana@x.org", "2026-H2", SELF, ratings)
    assessments.rate(make(), OPERATOR, "ana@x.org", "2026-H2", MANAGER, ratings)
    assessments.submit(make(), OPERATOR, "ana@x.org", "2026-H2", MANAGER)
    assessments.finalize(make(), OPERATOR, "ana@x.org", "2026-H2")
    item = Evidence("ana@x.org", "DNS postmortem", "https://wiki/x", dt.date(2026, 2, 28))
    evidence.add_evidence(make(), OPERATOR, item, ["NET.1.1", "NET.2.1"], "sre")
    return token


def _export(engine: Engine) -> str:
    out = io.StringIO()
    export_all(engine, out)
    return out.getvalue()


def _import(engine: Engine, document: str, *, replace: bool = False) -> None:
    import_all(engine, io.StringIO(document), replace=replace)


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    return build_org(tmp_path_factory)


def build_org(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """The organisation built once through the services on SQLite: (export, API token)."""
    from skillgrid.db.engine import make_session_factory
    from skillgrid.db.unit_of_work import SqlAlchemyUnitOfWork

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('org') / 'org.db'}")
    try:
        upgrade(engine)
        factory = make_session_factory(engine)
        token = fill_org(lambda: SqlAlchemyUnitOfWork(factory))
        return _export(engine), token
    finally:
        engine.dispose()


@pytest.fixture
def filled(org: tuple[str, str], database_url: str) -> tuple[str, str]:
    """The organisation in this test's database (SQLite, and PostgreSQL when given)."""
    engine = make_engine(database_url)
    try:
        _import(engine, org[0])
    finally:
        engine.dispose()
    return database_url, org[1]


def test_two_exports_of_the_same_data_are_byte_identical(filled: tuple[str, str]) -> None:
    engine = make_engine(filled[0])
    try:
        first, second = _export(engine), _export(engine)
    finally:
        engine.dispose()
    assert first == second
    document = json.loads(first)
    assert document["schema_revision"] == HEAD and document["format_version"] == 1
    assert "web_sessions" not in document["tables"]
    assert document["excluded_tables"] == [
        "deliveries",
        "digests_sent",
        "pending_sso",
        "sign_in_failures",
        "sign_in_links",
        "trusted_devices",
        "web_sessions",
    ]
    people = document["tables"]["people"]
    assert people["count"] == 3 == len(people["rows"])
    created = people["rows"][0][people["columns"].index("created_at")]
    assert created.endswith("+00:00")


def test_import_restores_people_accounts_and_tokens_that_still_work(
    filled: tuple[str, str], tmp_path: Path
) -> None:
    from skillgrid.db.engine import make_session_factory
    from skillgrid.db.unit_of_work import SqlAlchemyUnitOfWork
    from skillgrid.services import accounts, people
    from skillgrid.services.sign_in import Attempt, sign_in

    source = make_engine(filled[0])
    target = make_engine(f"sqlite:///{tmp_path / 'copy.db'}")
    try:
        document = _export(source)
        _import(target, document)
        assert _export(target) == document
        factory = make_session_factory(target)

        def make() -> SqlAlchemyUnitOfWork:
            return SqlAlchemyUnitOfWork(factory)

        assert sign_in(make(), Attempt("ana@x.org", PASSWORD, "127.0.0.1"))
        caller = accounts.token_caller(make(), filled[1])
        assert caller is not None and caller[0] == "ana@x.org"
        managers = {p.email: p.manager for p in people.list_people(make(), OPERATOR)}
        assert managers["ana@x.org"] == "zed@x.org"
    finally:
        source.dispose()
        target.dispose()


def _empty_postgres(url: str) -> Engine:
    from sqlalchemy import create_engine, text

    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    admin.dispose()
    return make_engine(url)


@pytest.mark.skipif(not POSTGRES_URL, reason="SKILLGRID_TEST_DATABASE_URL not set")
def test_sqlite_to_postgresql_to_sqlite_gives_identical_json(
    org: tuple[str, str], tmp_path: Path, postgres_server: str
) -> None:
    """The move from the embedded default to PostgreSQL, and the way back."""
    from skillgrid.db.engine import make_session_factory
    from skillgrid.db.unit_of_work import SqlAlchemyUnitOfWork
    from skillgrid.domain.people import Person
    from skillgrid.services import people

    from_sqlite = org[0]  # built through the services on SQLite
    postgres = _empty_postgres(postgres_server)
    back = make_engine(f"sqlite:///{tmp_path / 'back.db'}")
    try:
        _import(postgres, from_sqlite)
        from_postgres = _export(postgres)
        assert from_postgres == from_sqlite
        _import(back, from_postgres)
        assert _export(back) == from_sqlite
        # new ids follow the imported ones: the sequences were moved past them
        factory = make_session_factory(postgres)
        people.add_person(SqlAlchemyUnitOfWork(factory), Person("new@x.org", "New"), actor=OPERATOR)
        assert '"new@x.org"' in _export(postgres)
    finally:
        postgres.dispose()
        back.dispose()


@pytest.mark.skipif(not POSTGRES_URL, reason="SKILLGRID_TEST_DATABASE_URL not set")
def test_postgresql_to_sqlite_to_postgresql_gives_identical_json(
    tmp_path: Path, postgres_server: str
) -> None:
    """Data written natively on PostgreSQL (server clock with microseconds and a zone)."""
    from skillgrid.db.engine import make_session_factory
    from skillgrid.db.unit_of_work import SqlAlchemyUnitOfWork

    postgres = _empty_postgres(postgres_server)
    sqlite = make_engine(f"sqlite:///{tmp_path / 'to.db'}")
    try:
        upgrade(postgres)
        factory = make_session_factory(postgres)
        fill_org(lambda: SqlAlchemyUnitOfWork(factory))
        from_postgres = _export(postgres)
        _import(sqlite, from_postgres)
        assert _export(sqlite) == from_postgres
        _import(postgres, _export(sqlite), replace=True)
        assert _export(postgres) == from_postgres
    finally:
        postgres.dispose()
        sqlite.dispose()


def _edit(document: str, old: str, new: str) -> str:
    assert old in document, old
    return document.replace(old, new, 1)


BAD_DOCUMENTS: dict[str, tuple[Callable[[str], str], str]] = {
    "not json": (lambda d: "hello", "not a SkillGrid export"),
    "other format": (lambda d: _edit(d, '"skillgrid-export"', '"other"'), "'format' is 'other'"),
    "newer format": (
        lambda d: _edit(d, '"format_version": 1', '"format_version": 2'),
        "format version 2",
    ),
    "older schema": (lambda d: _edit(d, f'"{HEAD}"', '"0006"'), "schema revision '0006'"),
    "unknown table": (
        lambda d: _edit(d, '"evidence_links":', '"evidence_linkz":'),
        "evidence_linkz",
    ),
    "session table": (lambda d: _edit(d, '"evidence_links":', '"web_sessions":'), "never exported"),
    "unknown column": (
        lambda d: _edit(d, '"rater","state"', '"rater","mood"'),
        "unknown column(s) mood",
    ),
    "bad value": (
        lambda d: _edit(d, '[1,"sre","strict"', '["one","sre","strict"'),
        "expected an integer",
    ),
    "bad date": (lambda d: _edit(d, '"2026-02-28"', '"yesterday"'), "expected an ISO date"),
    "wrong count": (lambda d: _edit(d, '"count": 3}', '"count": 4}'), "does not match"),
    "dangling reference": (
        lambda d: _edit(d, '[1,"2026-H2",1,', '[1,"2026-H2",99,'),
        "rows 1–1 break a rule",
    ),
    "dangling manager": (lambda d: _edit(d, ',3,"engineer"', ',99,"engineer"'), "reference"),
    "truncated": (lambda d: d[: len(d) * 2 // 3], "cut short"),
    "trailing text": (lambda d: d + "{}", "after the end"),
}


def test_every_bad_document_is_refused_and_changes_nothing(filled: tuple[str, str]) -> None:
    """Even with --replace, which deletes everything first: all in one transaction."""
    url = filled[0]
    engine = make_engine(url)
    try:
        document = _export(engine)
        before = table_snapshot(url)
        for case, (spoil, message) in BAD_DOCUMENTS.items():
            with pytest.raises(PortabilityError, match=re.escape(message)):
                _import(engine, spoil(document), replace=True)
            assert table_snapshot(url) == before, case
    finally:
        engine.dispose()


def test_a_database_with_data_is_refused_without_replace(filled: tuple[str, str]) -> None:
    url = filled[0]
    engine = make_engine(url)
    try:
        document = _export(engine)
        before = table_snapshot(url)
        with pytest.raises(PortabilityError, match=r"not empty .*--replace"):
            _import(engine, document)
        assert table_snapshot(url) == before
        _import(engine, document, replace=True)
        assert _export(engine) == document
    finally:
        engine.dispose()


def test_reformatted_json_reads_the_same(filled: tuple[str, str], tmp_path: Path) -> None:
    """The reader streams, but does not depend on the one-row-per-line layout."""
    source = make_engine(filled[0])
    target = make_engine(f"sqlite:///{tmp_path / 'copy.db'}")
    try:
        document = _export(source)
        _import(target, json.dumps(json.loads(document), indent=7, ensure_ascii=True))
        assert _export(target) == document
    finally:
        source.dispose()
        target.dispose()
