"""``skillgrid person`` and ``skillgrid team``: exit codes, messages, JSON."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from skillgrid.cli import app
from tests.unit.test_people_services import PEOPLE_CSV

runner = CliRunner()


def listed(env: dict[str, str]) -> list[dict[str, object]]:
    """``person list --json``: everyone on file."""
    found: list[dict[str, object]] = json.loads(
        runner.invoke(app, ["person", "list", "--json"], env=env).stdout
    )
    return found


def managers(env: dict[str, str]) -> dict[str, object]:
    """Each person's manager, as ``person list --json`` says."""
    return {str(p["email"]): p["manager"] for p in listed(env)}


def test_people_and_teams_from_the_command_line(tmp_path: Path) -> None:
    env = {"SKILLGRID_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}

    def run(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), env=env)

    (tmp_path / "people.csv").write_bytes(PEOPLE_CSV)
    assert run("person", "import", str(tmp_path / "people.csv")).exit_code == 0
    assert run("team", "add", "Infra").exit_code == 0
    added = run("person", "add", "dee@example.com", "--name", "Dee", "--manager", "ana@example.com")
    assert added.exit_code == 0, added.output
    assert [p["email"] for p in listed(env)] == [
        "ana@example.com",
        "bo@example.com",
        "cy@example.com",
        "dee@example.com",
    ]
    teams = json.loads(run("team", "list", "--json").stdout)
    assert {
        "name": "SRE",
        "parent": None,
        "people": 2,
        "people_with_subteams": 2,
        "targets": 0,
    } in teams
    refused = run("person", "update", "bo@example.com", "--manager", "dee@example.com")
    assert refused.exit_code == 1
    chain = "bo@example.com → dee@example.com → ana@example.com → bo@example.com"
    assert f"management cycle {chain}" in refused.stderr


def test_deactivating_a_manager_says_where_their_reports_went(tmp_path: Path) -> None:
    env = {"SKILLGRID_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    (tmp_path / "people.csv").write_bytes(PEOPLE_CSV)
    assert runner.invoke(app, ["person", "import", str(tmp_path / "people.csv")], env=env)
    done = runner.invoke(app, ["person", "update", "ana@example.com", "--inactive"], env=env)
    assert done.exit_code == 0, done.output
    assert "Cy Diaz (cy@example.com) now reports to bo@example.com" in done.stdout
    assert managers(env)["cy@example.com"] == "bo@example.com"


def test_an_hr_export_header_reads_manager_email_and_names_the_columns_to_remove(
    tmp_path: Path,
) -> None:
    env = {"SKILLGRID_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    spaced = tmp_path / "spaced.csv"
    spaced.write_bytes(
        b"\xef\xbb\xbfName,Email,Team,Manager Email,Role\r\n"
        b"Ana,ana@example.com,SRE,,manager\r\nBo,bo@example.com,SRE,ana@example.com,\r\n,,,,\r\n"
    )
    done = runner.invoke(app, ["person", "import", str(spaced)], env=env)
    assert done.exit_code == 0, done.output
    assert managers(env)["bo@example.com"] == "ana@example.com"

    extra = tmp_path / "hr.csv"
    extra.write_bytes(
        b"Employee ID,Name,Email,Department,Team,Manager Email,Role\r\n"
        b"7,Cy,cy@example.com,Eng,SRE,ana@example.com,\r\n"
    )
    refused = runner.invoke(app, ["person", "import", str(extra)], env=env)
    assert refused.exit_code == 1
    assert "row 1, column 1: column 'Employee ID' is not one SkillGrid reads" in refused.stderr
    assert "row 1, column 4: column 'Department' is not one SkillGrid reads" in refused.stderr
    assert "delete the column" in refused.stderr
    assert "cy@example.com" not in runner.invoke(app, ["person", "list", "--json"], env=env).stdout


def test_a_title_row_above_the_people_header_is_named_as_one_to_delete(tmp_path: Path) -> None:
    import openpyxl

    env = {"SKILLGRID_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    for merged in (True, False):
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["Workday export 2026-12-07"])
        if merged:
            sheet.merge_cells("A1:E1")
        sheet.append(["Name", "Email", "Team", "Manager Email", "Role"])
        sheet.append(["Ana", "ana@example.com", "SRE", None, "manager"])
        book.save(tmp_path / "hr.xlsx")
        refused = runner.invoke(app, ["person", "import", str(tmp_path / "hr.xlsx")], env=env)
        assert refused.exit_code == 1
        assert "row 1" in refused.stderr
        assert "title row above" in refused.stderr, refused.stderr
        assert "delete the column" not in refused.stderr
        assert "team, manager and role in their row" not in refused.stderr


def test_people_workbooks_are_read_from_the_sheet_they_open_on_as_the_help_says(
    tmp_path: Path,
) -> None:
    import openpyxl

    env = {"SKILLGRID_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    book = openpyxl.Workbook()
    notes = book.active
    assert notes is not None
    notes.append(["About this export"])
    people = book.create_sheet("People")
    people.append(["name", "email"])
    people.append(["Ana", "ana@example.com"])
    book.active = 1
    book.save(tmp_path / "hr.xlsx")
    assert (
        runner.invoke(app, ["person", "import", str(tmp_path / "hr.xlsx")], env=env).exit_code == 0
    )
    for command in ("import", "sync"):
        shown = " ".join(runner.invoke(app, ["person", command, "--help"], env=env).stdout.split())
        assert "the sheet it opens on" in shown
        assert "first sheet" not in shown


def test_a_people_csv_with_semicolons_reads_as_a_ladder_csv_does(tmp_path: Path) -> None:
    env = {"SKILLGRID_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    path = tmp_path / "people.csv"  # as a spreadsheet in a comma-decimal locale saves it
    path.write_bytes(
        b"\xef\xbb\xbfName;Email;Team;Manager Email;Role\r\n"
        b"Ana;ana@example.com;SRE;;manager\r\nBo;bo@example.com;SRE;ana@example.com;\r\n"
    )
    done = runner.invoke(app, ["person", "import", str(path)], env=env)
    assert done.exit_code == 0, done.output
    assert managers(env)["bo@example.com"] == "ana@example.com"


def test_an_imported_manager_not_on_file_is_located_by_row_and_column(tmp_path: Path) -> None:
    env = {"SKILLGRID_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    path = tmp_path / "people.csv"
    path.write_bytes(
        b"name,email,team,manager_email,role\n"
        b"Hal,hal@example.com,SRE,ann@example.com,\nJo,jo@example.com,SRE,,\n"
    )
    refused = runner.invoke(app, ["person", "import", str(path)], env=env)
    assert refused.exit_code == 1
    where = f"{path}, row 2, column 4: manager ann@example.com is neither in the file nor on file"
    assert where in refused.stderr, refused.stderr
    assert listed(env) == []
