"""``skillgrid person sync``: an HR export made the people on file, on a real database — the
dry run prints exactly what the real run then does and changes nothing; deactivating ends
sessions and tokens at once and is audited; a bad row or too many deactivations change
nothing; the person running it is never deactivated."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from skillgrid.cli import app
from skillgrid.domain.assessments import OPERATOR
from skillgrid.services import accounts
from tests.conftest import table_snapshot

runner = CliRunner()
HEADER = "name,email,team,manager_email,role\n"
ON_FILE = HEADER + (
    "Bo Chen,bo@x.org,SRE,,admin\n"
    "Ana Lima,ana@x.org,SRE,bo@x.org,engineer\n"
    "Cy Diaz,cy@x.org,SRE,bo@x.org,engineer\n"
)
EXPORT = HEADER + (
    "Bo Chen,bo@x.org,SRE,,admin\n"
    "Ana Lima,ana@x.org,Edge,bo@x.org,manager\n"
    "Dee Ray,dee@x.org,Edge,ana@x.org,engineer\n"
)


def setup(database_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    env = {"SKILLGRID_DATABASE_URL": database_url}

    def run(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), env=env)

    (tmp_path / "on_file.csv").write_text(ON_FILE)
    assert run("person", "import", str(tmp_path / "on_file.csv")).exit_code == 0
    return run


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "hr.csv"
    path.write_text(text)
    return str(path)


def test_a_dry_run_prints_what_would_happen_and_changes_nothing(
    database_url: str, tmp_path: Path
) -> None:
    run = setup(database_url, tmp_path)
    before = table_snapshot(database_url)
    dry = run("person", "sync", write(tmp_path, EXPORT), "--deactivate-missing", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Would add 1, change 1, deactivate 1; 1 unchanged; teams created: Edge." in dry.stdout
    assert "Dry run: nothing was changed." in dry.stdout
    for shown in ("dee@x.org", "cy@x.org", "team", "Edge", "role", "manager"):
        assert shown in dry.stdout
    planned = json.loads(
        run(
            "person", "sync", write(tmp_path, EXPORT), "--deactivate-missing", "--dry-run", "--json"
        ).stdout
    )
    assert planned["applied"] is False
    assert [p["email"] for p in planned["added"]] == ["dee@x.org"]
    assert planned["changed"] == [
        {
            "email": "ana@x.org",
            "reactivated": False,
            "changes": [
                {"field": "team", "old": "SRE", "new": "Edge"},
                {"field": "role", "old": "engineer", "new": "manager"},
            ],
        }
    ]
    assert [p["email"] for p in planned["deactivated"]] == ["cy@x.org"]
    assert table_snapshot(database_url) == before

    done = run("person", "sync", write(tmp_path, EXPORT), "--deactivate-missing", "--json")
    assert done.exit_code == 0, done.output
    applied = json.loads(done.stdout)
    assert applied["applied"] is True
    assert {**applied, "applied": False} == planned  # the real run did what was planned
    listed = {p["email"]: p for p in json.loads(run("person", "list", "--json").stdout)}
    assert listed["cy@x.org"]["active"] is False and listed["dee@x.org"]["team"] == "Edge"
    trail = json.loads(run("audit", "list", "--entity", "person", "--json").stdout)
    actions = {(e["action"], e["entity_id"]) for e in trail}
    assert {("deactivate", "cy@x.org"), ("add", "dee@x.org"), ("update", "ana@x.org")} <= actions


def test_deactivating_ends_sessions_and_tokens_and_the_file_reactivates(
    database_url: str, tmp_path: Path, uow_factory
) -> None:
    run = setup(database_url, tmp_path)
    accounts.add_user(uow_factory(), "cy@x.org", "correct horse battery", actor=OPERATOR)
    _, token = accounts.create_token(uow_factory(), "cy@x.org", "script")
    assert accounts.token_caller(uow_factory(), token) is not None
    without_cy = HEADER + "Bo Chen,bo@x.org,SRE,,admin\nAna Lima,ana@x.org,SRE,bo@x.org,\n"
    gone = run("person", "sync", write(tmp_path, without_cy), "--deactivate-missing")
    assert gone.exit_code == 0, gone.output
    assert "Deactivated 1" not in gone.stdout and "deactivated 1" in gone.stdout
    assert accounts.token_caller(uow_factory(), token) is None
    back = run("person", "sync", write(tmp_path, ON_FILE), "--deactivate-missing")
    assert back.exit_code == 0 and "changed 1 (1 reactivated)" in back.stdout
    listed = {p["email"]: p for p in json.loads(run("person", "list", "--json").stdout)}
    assert listed["cy@x.org"]["active"] is True
    assert accounts.token_caller(uow_factory(), token) is None  # tokens do not come back


def test_a_bad_row_anywhere_is_named_and_changes_nothing(database_url: str, tmp_path: Path) -> None:
    run = setup(database_url, tmp_path)
    before = table_snapshot(database_url)
    bad = EXPORT + "Eve,eve@x.org,SRE,,boss\n"
    refused = run("person", "sync", write(tmp_path, bad), "--deactivate-missing")
    assert refused.exit_code == 1
    assert "hr.csv, row 5, column 5: role 'boss' is unknown" in refused.stderr
    assert "nothing was stored" in refused.stderr
    assert table_snapshot(database_url) == before


def test_too_many_deactivations_are_refused_unless_allowed(
    database_url: str, tmp_path: Path
) -> None:
    run = setup(database_url, tmp_path)
    many = HEADER + "".join(f"P{n},p{n}@x.org,,,\n" for n in range(10))
    (tmp_path / "many.csv").write_text(many)
    assert run("person", "import", str(tmp_path / "many.csv")).exit_code == 0
    before = table_snapshot(database_url)
    only_bo = write(tmp_path, HEADER + "Bo Chen,bo@x.org,SRE,,admin\n")
    refused = run("person", "sync", only_bo, "--deactivate-missing")
    assert refused.exit_code == 1
    assert "would deactivate 12 of 13 active people (92%)" in refused.stderr
    dry = run("person", "sync", only_bo, "--deactivate-missing", "--dry-run")
    assert dry.exit_code == 1 and "a real run would be refused" in dry.stderr
    assert (
        run("person", "sync", only_bo, "--deactivate-missing", "--max-deactivate", "11").exit_code
        == 1
    )
    assert table_snapshot(database_url) == before
    allowed = run("person", "sync", only_bo, "--deactivate-missing", "--allow-mass-deactivation")
    assert allowed.exit_code == 0 and "deactivated 12" in allowed.stdout


def test_the_person_running_it_is_kept_and_told_so(database_url: str, tmp_path: Path) -> None:
    run = setup(database_url, tmp_path)
    no_bo = HEADER + "Ana Lima,ana@x.org,SRE,,\nCy Diaz,cy@x.org,SRE,ana@x.org,\n"
    kept = run("person", "sync", write(tmp_path, no_bo), "--deactivate-missing", "--as", "bo@x.org")
    assert kept.exit_code == 0, kept.output
    assert "Kept active: bo@x.org" in kept.stdout and "nobody deactivates themself" in kept.stdout
    listed = {p["email"]: p for p in json.loads(run("person", "list", "--json").stdout)}
    assert listed["bo@x.org"]["active"] is True
    assert OPERATOR.email is None  # the local operator is no person: nobody to keep
