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
