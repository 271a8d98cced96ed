"""PostgreSQL connections the server dropped while they sat in the pool are replaced before
a use case gets one, without a round trip for every connection in steady use."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from skillgrid.db import engine as engines
from skillgrid.db.engine import make_engine, make_session_factory
from skillgrid.db.migrate import upgrade
from skillgrid.db.unit_of_work import SqlAlchemyUnitOfWork
from skillgrid.domain.assessments import OPERATOR
from skillgrid.services import frameworks


def _drop_connections(url: str, application: str) -> None:
    """What a server restart does to the pool: end its connections from the server side."""
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :a"
            ),
            {"a": application},
        )
    admin.dispose()


@pytest.fixture
def postgres(database_url: str) -> str:
    if not database_url.startswith("postgresql"):
        pytest.skip("pooled connections the server drops: PostgreSQL's")
    return database_url


def _pooled(url: str, application: str):  # type: ignore[no-untyped-def]
    engine = make_engine(f"{url}?application_name={application}")
    upgrade(engine)
    make = make_session_factory(engine)
    frameworks.install_builtin(
        SqlAlchemyUnitOfWork(make), actor=OPERATOR
    )  # the pool now holds a connection
    return engine, lambda: SqlAlchemyUnitOfWork(make)


def test_a_connection_dropped_while_idle_is_replaced_before_use(postgres, monkeypatch) -> None:
    engine, uow = _pooled(postgres, "skillgrid_idle_test")
    monkeypatch.setattr(engines, "IDLE_BEFORE_PING", 0.0)  # every pooled one counts as idle
    _drop_connections(postgres, "skillgrid_idle_test")
    assert frameworks.get_framework(uow(), "sre").name == "sre"
    engine.dispose()


def test_without_the_check_a_dropped_connection_fails_its_first_use(postgres, monkeypatch) -> None:
    engine, uow = _pooled(postgres, "skillgrid_busy_test")
    monkeypatch.setattr(engines, "IDLE_BEFORE_PING", 3600.0)  # in steady use: not checked
    _drop_connections(postgres, "skillgrid_busy_test")
    with pytest.raises(OperationalError):
        frameworks.get_framework(uow(), "sre")
    assert frameworks.get_framework(uow(), "sre").name == "sre"  # then the pool recovers
    engine.dispose()
