"""Due dates from the command line: set when opening, changed later, listed."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from skillgrid.cli import app

runner = CliRunner()


def test_due_dates_are_set_on_opening_changed_later_and_listed(tmp_path: Path) -> None:
    env = {"SKILLGRID_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}

    def run(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), env=env)

    assert run("init").exit_code == 0
    opened = run("cycle", "open", "2026-H2", "--framework", "sre", "--self-due", "2026-07-01")
    assert opened.exit_code == 0, opened.output
    assert "self 2026-07-01" in opened.output
    changed = run("cycle", "due", "2026-H2", "--close-due", "2026-07-31", "--self-due", "none")
    assert changed.exit_code == 0, changed.output
    listed = json.loads(run("cycle", "list", "--json").output)
    assert listed[0]["due"] == {
        "self": None,
        "manager": None,
        "calibration": None,
        "close": "2026-07-31",
    }


def test_a_bad_date_or_a_close_before_a_step_is_refused_and_says_why(tmp_path: Path) -> None:
    env = {"SKILLGRID_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    assert runner.invoke(app, ["init"], env=env).exit_code == 0
    runner.invoke(app, ["cycle", "open", "2026-H2", "--framework", "sre"], env=env)
    bad = runner.invoke(app, ["cycle", "due", "2026-H2", "--close-due", "31/07/2026"], env=env)
    assert bad.exit_code == 1 and "--close-due 31/07/2026: give a date as YYYY-MM-DD" in bad.stderr
    late = ["cycle", "due", "2026-H2", "--close-due", "2026-07-01", "--self-due", "2026-07-02"]
    refused = runner.invoke(app, late, env=env)
    assert (
        refused.exit_code == 1 and "self due date 2026-07-02 is after the close" in refused.stderr
    )
