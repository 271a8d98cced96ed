"""``skillgrid team report``, ``target`` and ``summaries`` and the synthetic demo, on the
command line: formats, exit codes, and bad input that changes nothing."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from skillgrid.cli import app
from tests.conftest import table_snapshot

runner = CliRunner()


def test_a_synthetic_org_and_its_reports_in_every_format(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    env = {"SKILLGRID_DATABASE_URL": url}

    def run(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), env=env)

    built = run("demo", "--people", "60", "--cycles", "2")
    assert built.exit_code == 0, built.output
    assert "Synthetic organisation: 60 people" in built.stdout
    assert run("summaries", "check").exit_code == 0
    teams = json.loads(run("team", "list", "--json").stdout)
    assert teams[0]["name"] == "Department 01" or any(t["parent"] is None for t in teams)
    data = json.loads(run("team", "report", "--format", "json").stdout)
    assert set(data) >= {"coverage", "distribution", "calibration", "movement"}
    assert data["cycle"] == "2026-H2" and data["movement"]["from"] == "2026-H1"
    assert data["distribution"]["teams"][0]["people"] > 0
    assert data["coverage"]["met"] + data["coverage"]["missed"] == len(data["coverage"]["targets"])
    rows = list(csv.reader(io.StringIO(run("team", "report", "--format", "csv").stdout)))
    assert rows[0] == ["section", "team", "track", "level", "name", "email", "value", "detail"]
    assert {row[0] for row in rows[1:]} >= {"distribution", "calibration"}
    assert run("team", "report", "--format", "md").stdout.startswith("# Whole organisation")
    assert "<h2>Coverage against targets</h2>" in run("team", "report", "--format", "html").stdout
    book = tmp_path / "org.xlsx"
    assert run("team", "report", "--format", "xlsx", "-o", str(book)).exit_code == 0
    assert load_workbook(book).sheetnames == [
        "Coverage",
        "Closest",
        "Distribution",
        "Calibration",
        "Movement",
        "Based on",
    ]
    assert run("team", "report", "--format", "xlsx").exit_code == 1  # binary needs -o
    assert run("summaries", "rebuild").exit_code == 0
    assert run("summaries", "check").exit_code == 0


def test_targets_from_the_command_line_and_bad_input_changes_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    env = {"SKILLGRID_DATABASE_URL": url}

    def run(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), env=env)

    assert run("demo").exit_code == 0
    assert run("target", "set", "SRE Platform", "Networking", "2", "1").exit_code == 0
    listed = json.loads(run("target", "list", "--json").stdout)
    assert {
        "team": "SRE Platform",
        "framework": "sre",
        "track": "NET",
        "level": 2,
        "people": 1,
    } in listed
    exported = run("target", "export").stdout
    (tmp_path / "targets.yaml").write_text(exported)
    assert run("target", "import", str(tmp_path / "targets.yaml")).exit_code == 0
    assert json.loads(run("target", "list", "--json").stdout) == listed
    report = json.loads(run("team", "report", "Edge Networking", "--format", "json").stdout)
    assert report["teams"] == ["Edge Networking"]
    before = table_snapshot(url)
    for args in (
        ("target", "set", "Nope", "NET", "2", "1"),
        ("target", "set", "SRE Platform", "DNS", "2", "1"),
        ("target", "set", "SRE Platform", "NET", "9", "1"),
        ("target", "remove", "SRE Platform", "SEC"),
        ("team", "report", "Nope"),
        ("team", "report", "--cycle", "1999-H1"),
    ):
        failed = run(*args)
        assert failed.exit_code == 1, args
        assert failed.stderr.startswith("error:"), failed.stderr
    (tmp_path / "bad.yaml").write_text("framework: sre\ntargets:\n  - {team: SRE Platform}\n")
    failed = run("target", "import", str(tmp_path / "bad.yaml"))
    assert failed.exit_code == 1 and "missing track, level, people" in failed.stderr
    assert table_snapshot(url) == before
