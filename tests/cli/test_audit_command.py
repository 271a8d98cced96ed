"""``skillgrid audit list``: JSON and text, filters, and a clear error for a bad date."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from skillgrid.cli import app
from tests.unit.test_people_services import PEOPLE_CSV

runner = CliRunner()


def test_audit_list_from_the_command_line(tmp_path: Path) -> None:
    env = {"SKILLGRID_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}

    def run(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), env=env)

    (tmp_path / "people.csv").write_bytes(PEOPLE_CSV)
    assert run("init").exit_code == 0
    assert run("person", "import", str(tmp_path / "people.csv")).exit_code == 0
    assert run("cycle", "open", "2026-H2", "--framework", "sre").exit_code == 0
    listed = run("audit", "list", "--json", "--entity", "cycle")
    assert listed.exit_code == 0, listed.output
    (entry,) = json.loads(listed.stdout)
    assert (entry["actor"], entry["action"], entry["entity_id"]) == (
        "cli/operator",
        "open",
        "2026-H2",
    )
    about = json.loads(run("audit", "list", "--json", "--person", "ana@example.com").stdout)
    assert [e["action"] for e in about] == ["add"]
    text = run("audit", "list", "--since", "2000-01-01", "--limit", "1")
    assert text.exit_code == 0 and "cli/operator open cycle 2026-H2" in text.stdout
    assert run("audit", "list", "--since", "2999-01-01").stdout.strip() == "No entries."
    bad = run("audit", "list", "--since", "yesterday")
    assert bad.exit_code == 1 and "is not a date" in bad.stderr
    hidden = run("audit", "list", "--as", "cy@example.com", "--person", "bo@example.com")
    assert hidden.exit_code == 1 and "no person bo@example.com" in hidden.stderr


def test_audit_list_says_why_a_cycle_move_flagged_each_rating(tmp_path: Path) -> None:
    from tests.unit.test_assessment_services import PEOPLE
    from tests.unit.test_cycle_moves import MOVED, V1

    env = {"SKILLGRID_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}

    def run(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), env=env)

    (tmp_path / "people.csv").write_bytes(PEOPLE)
    (tmp_path / "v1.csv").write_bytes(V1)
    (tmp_path / "v2.csv").write_bytes(MOVED)
    (tmp_path / "mine.csv").write_text("criterion,rating\nNET.1.2,meets\nNET.2.1,meets\n")
    assert run("init").exit_code == 0
    assert run("framework", "import", str(tmp_path / "v1.csv"), "--name", "ops").exit_code == 0
    assert run("person", "import", str(tmp_path / "people.csv")).exit_code == 0
    assert run("cycle", "open", "2026-H2", "--framework", "ops").exit_code == 0
    who = ("--person", "ana@x.org", "--cycle", "2026-H2", "--rater", "manager", "--as", "bo@x.org")
    stored = run("assess", "import", str(tmp_path / "mine.csv"), *who)
    assert stored.exit_code == 0, stored.output
    assert run("framework", "import", str(tmp_path / "v2.csv"), "--name", "ops").exit_code == 0
    moved = run("cycle", "move", "2026-H2")
    assert moved.exit_code == 0, moved.output
    text = run("audit", "list", "--entity", "cycle", "--limit", "1")
    assert text.exit_code == 0, text.output
    assert "cli/operator move cycle 2026-H2" in text.stdout and '"review_reasons":' in text.stdout
    listed = run("audit", "list", "--entity", "cycle", "--limit", "1", "--json")
    (entry,) = json.loads(listed.stdout)
    assert entry["after"]["review_reasons"] == {"moved": 2}
    assert entry["after"]["to_review"] == [
        ["ana@x.org", "manager", "NET.2.1", "moved from level 1 to level 2"],
        ["ana@x.org", "manager", "SEC.2.2", "moved from Networking to Security"],
    ]
