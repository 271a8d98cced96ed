"""The assessment flow from the command line: cycle, import, submit, finalize, report."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from skillgrid.cli import app
from skillgrid.domain.leveling import Rating
from tests.cli.test_level_command import write_ratings
from tests.unit.test_assessment_services import PEOPLE
from tests.unit.test_leveling import MAC, through

runner = CliRunner()


def test_a_cycle_from_ratings_to_the_official_report(tmp_path: Path) -> None:
    env = {"SKILLGRID_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}

    def run(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), env=env)

    (tmp_path / "people.csv").write_bytes(PEOPLE)
    assert run("init").exit_code == 0
    assert run("person", "import", str(tmp_path / "people.csv")).exit_code == 0
    assert run("cycle", "open", "2026-H2", "--framework", "sre").exit_code == 0
    mine = write_ratings(
        tmp_path / "mgr.csv",
        {**through(3, except_ids=(MAC,)), "NET.2.3": Rating.NOT_APPLICABLE},
        "no VPN here",
    )
    who = ("--person", "ana@x.org", "--cycle", "2026-H2")
    stored = run("assess", "import", str(mine), *who, "--rater", "manager", "--as", "bo@x.org")
    assert stored.exit_code == 0, stored.output
    assert run("assess", "submit", *who, "--rater", "manager", "--as", "bo@x.org").exit_code == 0
    refused = run("assess", "finalize", *who, "--as", "cy@x.org")  # a colleague: not found
    assert refused.exit_code == 1 and "no person ana@x.org" in refused.stderr
    refused = run("assess", "finalize", *who, "--as", "ana@x.org")  # herself: not allowed
    assert refused.exit_code == 1 and "may not finalize" in refused.stderr
    assert "(act as them with --as)" in refused.stderr  # the command line's own way out
    assert run("assess", "finalize", *who, "--as", "bo@x.org").exit_code == 0
    again = run("assess", "import", str(mine), *who, "--rater", "manager")
    assert again.exit_code == 1 and "read-only" in again.stderr
    added = run(
        "evidence",
        "add",
        "MAC rollout design",
        "--person",
        "ana@x.org",
        "-c",
        MAC,
        "--url",
        "https://wiki.example/mac",
        "--date",
        "2026-09-01",
        "--source",
        "design",
        "--as",
        "ana@x.org",
    )
    assert added.exit_code == 0, added.output
    listed = json.loads(run("evidence", "list", "--person", "ana@x.org", "--json").stdout)
    assert [(e["title"], e["criteria"]) for e in listed] == [("MAC rollout design", [MAC])]
    report = json.loads(run("report", "person", "ana@x.org", "--format", "json").stdout)
    mac = next(c for c in report["criteria"] if c["id"] == MAC)
    assert mac["evidence"][0]["url"] == "https://wiki.example/mac"
    assert report["overall"] == 2 and report["gaps"] == {"SEC": [MAC]}
    assert report["not_applicable"] == ["NET.2.3"]
    exported = run("assess", "export", *who, "--rater", "manager").stdout
    assert exported.splitlines()[0] == "criterion,rating,reason,comment"
    assert "NET.2.3,n/a,no VPN here," in exported
    markdown = run("report", "person", "ana@x.org").stdout
    assert "Overall level **2** of 6" in markdown and MAC in markdown
    page = run("report", "person", "ana@x.org", "--format", "html").stdout
    assert "<script" not in page and "MAC rollout design" in page and "rule <strong>strict" in page
    assert run("report", "person", "ana@x.org", "--format", "pdf").exit_code == 1
    pdf = tmp_path / "ana.pdf"
    written = run("report", "person", "ana@x.org", "--format", "pdf", "--output", str(pdf))
    assert written.exit_code == 0 and pdf.read_bytes().startswith(b"%PDF")


def test_bad_ratings_file_is_refused_with_row_and_column(tmp_path: Path) -> None:
    env = {"SKILLGRID_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    (tmp_path / "people.csv").write_bytes(PEOPLE)
    for args in (
        ["init"],
        ["person", "import", str(tmp_path / "people.csv")],
        ["cycle", "open", "2026-H2", "--framework", "sre"],
    ):
        runner.invoke(app, args, env=env)
    bad = tmp_path / "bad.csv"
    bad.write_text("criterion,rating,reason\nPO.1.1,superb,\nXX.1.1,meets,\n")
    result = runner.invoke(
        app, ["assess", "import", str(bad), "--person", "ana@x.org", "--cycle", "2026-H2"], env=env
    )
    assert result.exit_code == 1
    assert "row 2, column 2: rating 'superb'" in result.stderr
    assert "row 3, column 1: unknown criterion 'XX.1.1'" in result.stderr
