"""The command contract scripts rely on: exit codes, stderr, JSON shapes, nothing stored on
error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillgrid.cli import app
from tests.conftest import SEED, table_snapshot

runner = CliRunner()


@pytest.fixture
def cli(database_url: str):  # type: ignore[no-untyped-def]
    def invoke(*args: str, input: str | bytes | None = None):  # type: ignore[no-untyped-def]
        return runner.invoke(
            app, list(args), env={"SKILLGRID_DATABASE_URL": database_url}, input=input
        )

    return invoke


def test_init_imports_the_sre_ladder_once(cli) -> None:
    first = cli("init")
    assert first.exit_code == 0, first.output
    assert "version 1" in first.stdout and "90 criteria" in first.stdout
    again = cli("init")
    assert again.exit_code == 0 and "No change" in again.stdout


def test_export_json_has_the_documented_shape(cli) -> None:
    cli("init")
    result = cli("framework", "export", "sre", "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert {"name", "version", "title", "levels", "tracks", "criteria"} <= set(document)
    assert document["name"] == "sre" and document["version"] == 1
    assert document["levels"][0] == {"number": 1, "title": None}
    assert {"key": "SEC", "name": "Security"} in document["tracks"]
    assert len(document["criteria"]) == 90
    first = document["criteria"][0]
    assert {"id": first["id"], "track": first["track"], "level": first["level"]} == {
        "id": "PO.1.1",
        "track": "PO",
        "level": 1,
    }


def test_import_then_reimport_changed_file_makes_version_2(cli, tmp_path: Path) -> None:
    path = tmp_path / "ops.csv"
    path.write_text("Level,Ops\n1,Runs it.\n")
    assert cli("framework", "import", str(path), "--name", "ops").exit_code == 0
    path.write_text("Level,Ops\n1,Runs it. Watches it.\n")
    result = cli("framework", "import", str(path), "--name", "ops")
    assert result.exit_code == 0 and "version 2" in result.stdout and "1 added" in result.stdout
    versions = json.loads(cli("framework", "versions", "ops", "--json").stdout)
    assert [v["version"] for v in versions] == [1, 2]


def test_failed_import_exits_1_with_located_errors_on_stderr_and_stores_nothing(
    cli, database_url: str, tmp_path: Path
) -> None:
    cli("init")
    before = table_snapshot(database_url)
    path = tmp_path / "bad.csv"
    path.write_text("Level,Ops,ops\n1,a,b\n")
    result = cli("framework", "import", str(path), "--name", "sre")
    assert result.exit_code == 1
    assert "row 1, column 3" in result.stderr and "duplicate track" in result.stderr
    assert "nothing was stored" in result.stderr
    assert table_snapshot(database_url) == before


def test_dry_run_prints_the_split_and_stores_nothing(cli, database_url: str) -> None:
    cli("init")
    before = table_snapshot(database_url)
    result = cli("framework", "import", str(SEED), "--name", "copy", "--dry-run")
    assert result.exit_code == 0
    assert "SRE.2.5" in result.stdout and "Prometheus, Grafana)" in result.stdout
    assert "nothing was stored" in result.stdout
    assert table_snapshot(database_url) == before


def test_validate_never_stores_and_says_why(cli, tmp_path: Path) -> None:
    good = cli("framework", "validate", str(SEED))
    assert good.exit_code == 0 and "90 criteria" in good.stdout
    (tmp_path / "empty.csv").write_bytes(b"")
    bad = cli("framework", "validate", str(tmp_path / "empty.csv"), "--json")
    assert bad.exit_code == 1
    assert json.loads(bad.stdout)["problems"][0]["message"] == "the file is empty"


def test_diff_between_files_as_json_for_ci(cli, tmp_path: Path) -> None:
    old, new = tmp_path / "old.csv", tmp_path / "new.csv"
    old.write_text("Level,Ops\n1,Runs it. Watches it. Pages people.\n2,Scales it.\n")
    new.write_text("Level,Ops\n1,Runs it well. Watches it.\n2,Pages people. Designs it.\n")
    result = cli("framework", "diff", str(old), str(new), "--json", "--exit-code")
    assert result.exit_code == 1
    changes = {c["change"]: c for c in json.loads(result.stdout)["criteria"]}
    assert changes["reworded"]["old"]["text"] == "Runs it."
    assert changes["reworded"]["new"]["text"] == "Runs it well."
    assert changes["moved"]["old"]["level"] == 1 and changes["moved"]["new"]["level"] == 2
    assert changes["added"]["new"]["text"] == "Designs it."
    assert changes["removed"]["old"]["text"] == "Scales it."
    same = cli("framework", "diff", str(old), str(old), "--exit-code")
    assert same.exit_code == 0 and "No differences" in same.stdout


def test_diff_between_stored_versions(cli, tmp_path: Path) -> None:
    path = tmp_path / "ops.csv"
    path.write_text("Level,Ops\n1,Runs it.\n")
    cli("framework", "import", str(path), "--name", "ops")
    path.write_text("Level,Ops\n1,Runs it.\n2,Scales it.\n")
    cli("framework", "import", str(path), "--name", "ops")
    result = cli("framework", "diff", "ops@1", "ops@2")
    assert result.exit_code == 0
    assert "+ level 2" in result.stdout and "+ OPS.2.1" in result.stdout


def test_xlsx_export_needs_output_and_round_trips(cli, tmp_path: Path) -> None:
    cli("init")
    assert cli("framework", "export", "sre", "--format", "xlsx").exit_code == 1
    target = tmp_path / "sre.xlsx"
    assert (
        cli("framework", "export", "sre", "--format", "xlsx", "--output", str(target)).exit_code
        == 0
    )
    assert cli("framework", "diff", "sre", str(target), "--exit-code").exit_code == 0


def test_unknown_ladder_is_a_clear_error(cli) -> None:
    result = cli("framework", "show", "nope")
    assert result.exit_code == 1 and "no ladder named 'nope'" in result.stderr


def test_show_lists_every_criterion_of_a_track(cli) -> None:
    cli("init")
    result = cli("framework", "show", "sre", "--track", "SEC")
    assert result.exit_code == 0
    assert "SEC.3.8" in result.stdout and "PO.1.1" not in result.stdout


def test_import_reads_stdin(cli) -> None:
    result = cli(
        "framework", "import", "-", "--name", "piped", "--format", "tsv", input=SEED.read_bytes()
    )
    assert result.exit_code == 0 and "90 criteria" in result.stdout


def test_schema_command_prints_the_published_json_schema(cli) -> None:
    result = cli("framework", "schema")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["required"] == ["levels", "tracks", "criteria"]


def test_unreadable_database_url_is_a_clear_error_not_a_traceback() -> None:
    result = runner.invoke(app, ["framework", "list"], env={"SKILLGRID_DATABASE_URL": "nonsense"})
    assert result.exit_code == 1
    assert "database URL 'nonsense' cannot be read" in result.stderr


def test_unreachable_database_server_is_a_clear_error() -> None:
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"
    result = runner.invoke(app, ["framework", "list"], env={"SKILLGRID_DATABASE_URL": url})
    assert result.exit_code == 1
    assert "check SKILLGRID_DATABASE_URL" in result.stderr


def test_diff_names_criteria_whose_examples_changed(cli, tmp_path: Path) -> None:
    old, new = tmp_path / "old.csv", tmp_path / "new.csv"
    old.write_text('Level,Ops\n1,"- Runs it.\n  - Example: Ran the cluster for a year"\n')
    new.write_text('Level,Ops\n1,"- Runs it.\n  - Example: Kept the cluster up at 99.95%"\n')
    result = cli("framework", "diff", str(old), str(new), "--exit-code")
    assert result.exit_code == 1
    assert "~ OPS.1.1 examples" in result.stdout
    assert "+ Kept the cluster up at 99.95%" in result.stdout
    as_json = json.loads(cli("framework", "diff", str(old), str(new), "--json").stdout)
    assert as_json["examples"][0]["new"] == ["Kept the cluster up at 99.95%"]


def test_sheet_help_says_a_workbook_is_read_from_the_sheet_it_opens_on() -> None:
    for command in ("import", "validate", "diff"):
        shown = " ".join(runner.invoke(app, ["framework", command, "--help"]).stdout.split())
        assert "the sheet it opens on" in shown, command
        assert "(default: the first)" not in shown, command
