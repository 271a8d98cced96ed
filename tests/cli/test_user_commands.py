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


def test_user_sso_unlink_unlinks_an_account_and_names_one_that_is_not_linked(
    database_url: str, uow_factory
) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    env = {"SKILLGRID_DATABASE_URL": database_url}
    made = runner.invoke(
        app,
        ["user", "add", "ana@x.org", "--password-stdin"],
        input="correct horse battery\n",
        env=env,
    )
    assert made.exit_code == 0, made.output
    with uow_factory().write() as uow:
        uow.sign_ins.link_identity(
            "ana@x.org", "https://idp.example", "a-1", dt.datetime.now(dt.UTC)
        )
        uow.commit()
    done = runner.invoke(app, ["user", "sso-unlink", "ana@x.org"], env=env)
    assert done.exit_code == 0, done.output
    assert "Unlinked ana@x.org from subject a-1 at https://idp.example." in done.stdout
    with uow_factory() as uow:
        assert uow.sign_ins.identity_of("ana@x.org") is None
    again = runner.invoke(app, ["user", "sso-unlink", "ana@x.org"], env=env)
    assert again.exit_code != 0
    assert "ana@x.org is not linked to an identity at the provider" in again.stderr
