"""``skillgrid report person``: the report in each format, the errors people meet (told
nothing about people they may not see), and a database behind, missing or unreachable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillgrid.cli import app
from tests.organisation import build_organisation

runner = CliRunner()


@pytest.fixture
def organisation(uow_factory, database_url: str) -> str:  # type: ignore[no-untyped-def]
    build_organisation(uow_factory)
    return database_url


@pytest.mark.postgres
@pytest.mark.parametrize("report_format", ["md", "json", "html"])
def test_a_report_is_printed_in_each_format(organisation, report_format) -> None:
    args = ("report", "person", "ana@x.org", "--format", report_format, "--as", "bo@x.org")
    result = runner.invoke(app, args, env={"SKILLGRID_DATABASE_URL": organisation})
    assert result.exit_code == 0, result.stderr
    assert "Ana" in result.stdout and "2026-H2" in result.stdout


REFUSED = [
    (("ana@x.org", "--as", "cy@x.org"), "no person ana@x.org"),  # a colleague: not told
    (("ana@x.org", "--as", "ex@x.org"), "ex@x.org"),  # departed: may not act
    (("ana@x.org", "--as", "nobody@x.org"), "nobody@x.org"),
    (("di@x.org",), "no finalized manager assessment"),
    (("ghost@x.org",), "no person ghost@x.org"),
    (("ana@x.org", "--cycle", "1999-H1"), "1999-H1"),
    (("ana@x.org", "--policy", "bogus"), "bogus"),
    (("not an email",), "not an email"),
]


@pytest.mark.postgres
def test_refusals_exit_1_with_a_message_and_print_no_report(organisation) -> None:
    env = {"SKILLGRID_DATABASE_URL": organisation}
    for case, message in REFUSED:
        result = runner.invoke(app, ["report", "person", *case], env=env)
        assert result.exit_code == 1 and result.stdout == "", case
        assert message in result.stderr, (case, result.stderr)


@pytest.mark.postgres
def test_a_cycle_that_does_not_exist_is_named_as_such_with_the_cycles_there_are(
    organisation,
) -> None:
    env = {"SKILLGRID_DATABASE_URL": organisation}
    for person in ("ana@x.org", "di@x.org"):  # finalized in other cycles, and never
        result = runner.invoke(app, ["report", "person", person, "--cycle", "1999-H1"], env=env)
        assert result.exit_code == 1 and result.stdout == ""
        assert "no cycle '1999-H1' (cycles: " in result.stderr, result.stderr
        assert "no finalized manager assessment" not in result.stderr


@pytest.mark.postgres
def test_a_cycle_and_a_policy_can_be_chosen(organisation) -> None:
    args = ["report", "person", "ANA@x.org", "--format", "json", "--cycle", "2025-H2"]
    result = runner.invoke(
        app, [*args, "--policy", "points"], env={"SKILLGRID_DATABASE_URL": organisation}
    )
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["cycle"] == "2025-H2" and report["policy"] == "points"


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


def test_no_database_yet_is_created_and_has_no_one(tmp_path: Path) -> None:
    db = tmp_path / "new" / "skillgrid.db"
    result = runner.invoke(
        app, ["report", "person", "ana@x.org"], env={"SKILLGRID_DATABASE_URL": f"sqlite:///{db}"}
    )
    assert result.exit_code == 1 and "no person ana@x.org" in result.stderr
    assert db.exists()


def test_an_unreachable_server_is_reported_without_its_password() -> None:
    env = {"SKILLGRID_DATABASE_URL": "postgresql+psycopg://me:secret@127.0.0.1:9/none"}
    result = runner.invoke(app, ["report", "person", "ana@x.org"], env=env)
    assert result.exit_code == 1 and "secret" not in result.stderr
    assert "postgresql+psycopg://me:***@127.0.0.1:9/none" in result.stderr


def test_an_output_file_in_a_folder_that_does_not_exist_is_refused_with_a_message(
    organisation, tmp_path: Path
) -> None:
    target = tmp_path / "no-such-folder" / "ana.md"
    args = ["report", "person", "ana@x.org", "--format", "md", "--output", str(target)]
    result = runner.invoke(app, args, env={"SKILLGRID_DATABASE_URL": organisation})
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"cannot write {target}: No such file or directory" in result.stderr, result.stderr
    assert "check that its folder exists" in result.stderr
    assert not target.exists()
