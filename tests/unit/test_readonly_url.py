"""The read-only path reads database URLs as SQLAlchemy does, and shows them as it does."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from skillgrid.db.readonly.url import hidden, parse_url

URLS = [
    "sqlite:////abs/path/skillgrid.db",
    "sqlite:///relative.db",
    "sqlite:///with%20space%23hash.db",
    "sqlite://",
    "sqlite:///:memory:",
    "sqlite+pysqlite:///x.db?timeout=3",
    "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    "postgresql+psycopg://me:s%40cr%3At@db.example.com/sg?sslmode=require&application_name=sg",
    "postgresql://me:pw@[::1]:5433/sg",
    "postgres://u@h/d",
    "postgresql+psycopg://u:@h/d",
    "postgresql+psycopg://@/d",
    "postgresql+psycopg:///d?host=/var/run/postgresql",
    "postgresql+psycopg://u@h/d?a=1&a=2&b=",
    "mysql+pymysql://u:p@h/d",
]


@pytest.mark.parametrize("url", URLS)
def test_urls_are_read_and_shown_as_sqlalchemy_reads_and_shows_them(url: str) -> None:
    expected = make_url(url)
    parsed = parse_url(url)
    assert parsed is not None
    assert (parsed.drivername, parsed.username, parsed.password) == (
        expected.drivername,
        expected.username,
        expected.password,
    )
    assert (parsed.host, parsed.port, parsed.database) == (
        expected.host,
        expected.port,
        expected.database,
    )
    query: dict[str, list[str]] = {}
    for key, value in parsed.query:
        query.setdefault(key, []).append(value)
    assert query == {k: list(v) if isinstance(v, tuple) else [v] for k, v in expected.query.items()}
    assert hidden(url) == expected.render_as_string(hide_password=True)


@pytest.mark.parametrize("text", ["", "not a url", "sqlite:/x.db", "://x"])
def test_what_sqlalchemy_cannot_read_is_not_read_and_shown_as_given(text: str) -> None:
    with pytest.raises(ArgumentError):
        make_url(text)
    assert parse_url(text) is None
    assert hidden(text) == text


def test_a_port_sqlalchemy_would_fail_on_is_not_read() -> None:
    with pytest.raises(ValueError, match="invalid literal"):
        make_url("postgresql://u@h:port/d")
    assert parse_url("postgresql://u@h:port/d") is None


@pytest.mark.parametrize("url", [u for u in URLS if u.startswith("postgres")])
def test_psycopg_gets_the_arguments_sqlalchemy_gives_it(url: str) -> None:
    from sqlalchemy import create_engine

    from skillgrid.db.readonly.connection import psycopg_arguments

    parsed = parse_url(url)
    assert parsed is not None
    arguments = psycopg_arguments(parsed)
    if arguments is None:  # left to SQLAlchemy: several hosts or a repeated key
        assert "host=" in url or "a=1&a=2" in url
        return
    psycopg_url = make_url(url).set(drivername="postgresql+psycopg")  # as make_engine does
    engine = create_engine(psycopg_url)
    expected = engine.dialect.create_connect_args(psycopg_url)[1]
    engine.dispose()
    expected.pop("context", None)  # SQLAlchemy's own type adapters
    assert arguments == expected
