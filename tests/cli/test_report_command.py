"""``skillgrid report person`` takes the quick read-only path (no SQLAlchemy imported) and
prints exactly what the SQLAlchemy path prints, errors and exit codes included; a database
it does not read (none yet, a schema behind) goes the usual way and is migrated as before."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillgrid.cli import app
from tests.integration.test_read_only_reports import build_organisation

runner = CliRunner()
HEAVY = ("sqlalchemy", "alembic", "pydantic_settings", "fastapi", "jinja2", "openpyxl")
PROBE = """
import json, sys
from skillgrid.cli import app
try:
    app(sys.argv[1:])
except SystemExit as done:
    code = done.code
sys.stderr.write("\\nMODULES " + json.dumps([code, sorted(sys.modules)]) + "\\n")
"""


def _probe(url: str, *args: str) -> tuple[int, str, set[str]]:
    """Run the command in a fresh interpreter: exit code, output, top-level modules loaded."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        env={"SKILLGRID_DATABASE_URL": url, "PATH": "/usr/bin:/bin"},
        check=False,
    )
    code, modules = json.loads(result.stderr.rsplit("MODULES ", 1)[1])
    return code, result.stdout, {name.split(".")[0] for name in modules}


@pytest.fixture
def organisation(uow_factory, database_url: str) -> str:  # type: ignore[no-untyped-def]
    build_organisation(uow_factory)
    return database_url


@pytest.mark.postgres
@pytest.mark.parametrize("report_format", ["md", "json", "html"])
def test_a_report_is_printed_without_importing_sqlalchemy(organisation, report_format) -> None:
    args = ("report", "person", "ana@x.org", "--format", report_format, "--as", "bo@x.org")
    code, output, modules = _probe(organisation, *args)
    assert code in (0, None), output
    assert "Ana" in output and "2026-H2" in output
    allowed = {"jinja2"} if report_format == "html" else set()
    assert modules & set(HEAVY) <= allowed
    assert ("psycopg" in modules) == organisation.startswith("postgresql")


def test_the_probe_sees_sqlalchemy_when_a_command_uses_it(tmp_path: Path) -> None:
    code, _, modules = _probe(f"sqlite:///{tmp_path / 'db.sqlite'}", "cycle", "list")
    assert code in (0, None) and "sqlalchemy" in modules


CASES = [
    ("ana@x.org",),
    ("ana@x.org", "--format", "json", "--cycle", "2025-H2", "--policy", "points"),
    ("ana@x.org", "--format", "html", "--as", "ana@x.org"),
    ("ANA@x.org", "--format", "md", "--as", "bo@x.org"),
    ("ana@x.org", "--as", "cy@x.org"),  # a colleague: not told the person exists
    ("ana@x.org", "--as", "ex@x.org"),  # departed: may not act
    ("ana@x.org", "--as", "nobody@x.org"),
    ("di@x.org",),  # no result yet
    ("ghost@x.org",),
    ("ana@x.org", "--cycle", "1999-H1"),
    ("ana@x.org", "--policy", "bogus"),
    ("not an email",),
]


@pytest.mark.postgres
def test_both_paths_print_the_same_and_exit_the_same(organisation, monkeypatch) -> None:
    from skillgrid.cli import common

    env = {"SKILLGRID_DATABASE_URL": organisation}
    opened, original = [], common._reader

    def spy(config):  # type: ignore[no-untyped-def]
        opened.append(original(config))
        return opened[-1]

    monkeypatch.setattr(common, "_reader", spy)
    quick = [runner.invoke(app, ["report", "person", *case], env=env) for case in CASES]
    assert len(opened) == len(CASES) and all(opened)  # every one took the quick path
    monkeypatch.setattr(common, "_reader", lambda config: None)
    full = [runner.invoke(app, ["report", "person", *case], env=env) for case in CASES]
    for case, a, b in zip(CASES, quick, full, strict=True):
        assert (a.exit_code, a.stdout, a.stderr) == (b.exit_code, b.stdout, b.stderr), case
    assert {r.exit_code for r in quick} == {0, 1}
    assert "no person ana@x.org" in quick[4].stderr


@pytest.mark.postgres
def test_a_database_one_migration_behind_is_migrated_and_reported_as_before(
    organisation,
) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    from skillgrid.db.migrate import HEAD, _config, current_revision, known_revisions

    env = {"SKILLGRID_DATABASE_URL": organisation}
    args = ["report", "person", "ana@x.org", "--format", "json"]
    before = runner.invoke(app, args, env=env)
    engine = create_engine(organisation)
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, known_revisions()[-2])
    after = runner.invoke(app, args, env=env)
    try:
        assert current_revision(engine) == HEAD
    finally:
        engine.dispose()
    assert (after.exit_code, after.stdout) == (0, before.stdout)
    assert json.loads(after.stdout)["cycle"] == "2026-H2"


def test_no_database_yet_is_created_and_has_no_one_as_before(tmp_path: Path) -> None:
    db = tmp_path / "new" / "skillgrid.db"
    result = runner.invoke(
        app, ["report", "person", "ana@x.org"], env={"SKILLGRID_DATABASE_URL": f"sqlite:///{db}"}
    )
    assert result.exit_code == 1 and "no person ana@x.org" in result.stderr
    assert db.exists()


def test_an_unreachable_server_is_reported_alike_on_both_paths(monkeypatch) -> None:
    env = {"SKILLGRID_DATABASE_URL": "postgresql+psycopg://me:secret@127.0.0.1:9/none"}
    quick = runner.invoke(app, ["report", "person", "ana@x.org"], env=env)
    monkeypatch.setattr("skillgrid.cli.common._reader", lambda config: None)
    full = runner.invoke(app, ["report", "person", "ana@x.org"], env=env)
    assert (quick.exit_code, quick.stderr) == (full.exit_code, full.stderr)
    assert quick.exit_code == 1 and "secret" not in quick.stderr
    assert "postgresql+psycopg://me:***@127.0.0.1:9/none" in quick.stderr
