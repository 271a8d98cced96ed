"""``skillgrid serve`` before it hands over to uvicorn: the database migrated once, its
address shown without the password, and a database it cannot use refused in one line."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, make_url, text
from typer.testing import CliRunner

from skillgrid.cli import app
from skillgrid.db.engine import make_engine
from skillgrid.db.migrate import HEAD, current_revision, upgrade

runner = CliRunner()


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What uvicorn would have been asked to run (nothing is served)."""
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **options: calls.append(options))
    return calls


def serve(url: str):  # type: ignore[no-untyped-def]
    return runner.invoke(
        app, ["serve", "--port", "8123"], env={"SKILLGRID_DATABASE_URL": url, "NO_COLOR": "1"}
    )


def test_serve_migrates_the_database_and_shows_it_without_its_password(
    database_url: str, served: list[dict[str, Any]]
) -> None:
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":  # the test server trusts: any password does
        url = url.set(password="s3cret")
    started = serve(url.render_as_string(hide_password=False))
    assert started.exit_code == 0, started.output
    assert "SkillGrid on http://localhost:8123/" in started.stderr
    assert "s3cret" not in started.output
    assert len(served) == 1 and served[0]["port"] == 8123
    engine = make_engine(database_url)
    try:
        assert current_revision(engine) == HEAD
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql+psycopg://app:s3cret@127.0.0.1:1/skillgrid", "app:***@127.0.0.1:1"),
        ("mysql+nodriver://app:s3cret@db/skillgrid", "not a database SkillGrid can use"),
        ("not a url", "cannot be read"),
    ],
)
def test_serve_refuses_a_database_it_cannot_reach_in_one_line(
    url: str, message: str, served: list[dict[str, Any]]
) -> None:
    refused = serve(url)
    assert refused.exit_code == 1 and served == []
    assert refused.stderr.startswith("error: ") and message in refused.stderr
    assert refused.stderr.count("error:") == 1 and "Traceback" not in refused.output
    assert "s3cret" not in refused.output


def test_serve_refuses_a_database_migrated_by_a_newer_skillgrid(
    tmp_path: Path, served: list[dict[str, Any]]
) -> None:
    url = f"sqlite:///{tmp_path / 'newer.db'}"
    engine = create_engine(url)
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    refused = serve(url)
    assert refused.exit_code == 1 and served == []
    assert "schema revision 9999, which this SkillGrid does not know" in refused.stderr
    assert "Traceback" not in refused.output


def test_serve_refuses_a_port_another_program_listens_on_before_migrating(
    tmp_path: Path, served: list[dict[str, Any]]
) -> None:
    database = tmp_path / "untouched.sqlite"
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        refused = runner.invoke(
            app,
            ["serve", "--port", str(port), "--workers", "2"],
            env={"SKILLGRID_DATABASE_URL": f"sqlite:///{database}", "NO_COLOR": "1"},
        )
    assert refused.exit_code == 1 and served == []
    assert refused.stderr == (
        f"error: port {port} on 127.0.0.1 is in use by another program: stop it or choose "
        "another --port\n"
    )
    assert not database.exists()
