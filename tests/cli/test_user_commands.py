"""``skillgrid user add``: the password rules apply; a refused password adds no account."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from skillgrid.cli import app
from tests.conftest import table_snapshot

runner = CliRunner()


@pytest.mark.parametrize(
    ("password", "says"),
    [
        ("aaaaaaaaaa", "at least 12 characters"),
        ("aaaaaaaaaaaaaaaa", "one character repeated"),
        ("dee.lima.cardoso", "the part before the @"),
        ("qwertyuiop123", "common passwords"),
    ],
)
def test_user_add_refuses_a_weak_password_and_adds_no_account(
    database_url: str, password: str, says: str
) -> None:
    env = {"SKILLGRID_DATABASE_URL": database_url}
    assert runner.invoke(app, ["user", "list"], env=env).exit_code == 0  # migrated
    before = table_snapshot(database_url)
    refused = runner.invoke(
        app,
        ["user", "add", "dee.lima.cardoso@x.org", "--password-stdin"],
        input=password + "\n",
        env=env,
    )
    assert refused.exit_code == 1
    assert says in refused.stderr
    assert "choose a longer passphrase, e.g. four unrelated words" in refused.stderr
    assert table_snapshot(database_url) == before
    added = runner.invoke(
        app,
        ["user", "add", "dee.lima.cardoso@x.org", "--password-stdin"],
        input="quiet otter maps the harbour\n",
        env=env,
    )
    assert added.exit_code == 0, added.output
    assert "dee.lima.cardoso@x.org" in runner.invoke(app, ["user", "list"], env=env).stdout
