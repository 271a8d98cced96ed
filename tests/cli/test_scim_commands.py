"""``skillgrid scim token create|list|revoke``: a token is printed once and stored hashed,
listed without its value, and refused once revoked."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from skillgrid.cli import app
from skillgrid.config import Settings
from skillgrid.web.app import create_app

runner = CliRunner()


def test_a_scim_token_is_printed_once_stored_hashed_listed_and_revoked(database_url: str) -> None:
    env = {"SKILLGRID_DATABASE_URL": database_url}
    made = runner.invoke(app, ["scim", "token", "create", "okta"], env=env)
    assert made.exit_code == 0, made.output
    token = made.stdout.split("Token: ", 1)[1].split()[0]
    assert token.startswith("sg_scim_")
    engine = create_engine(database_url)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT token_hash FROM scim_tokens")).scalars().all()
    engine.dispose()
    assert len(stored) == 1 and token not in stored[0] and len(stored[0]) == 64
    listed = runner.invoke(app, ["scim", "token", "list"], env=env)
    assert "okta" in listed.stdout and "live" in listed.stdout and token not in listed.stdout
    again = runner.invoke(app, ["scim", "token", "create", "okta"], env=env)
    assert again.exit_code == 1 and "exists" in again.stderr
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        asked = {"authorization": f"Bearer {token}"}
        assert client.get("/scim/v2/Users", headers=asked).status_code == 200
        revoked = runner.invoke(app, ["scim", "token", "revoke", "okta"], env=env)
        assert revoked.exit_code == 0, revoked.output
        assert client.get("/scim/v2/Users", headers=asked).status_code == 401
    assert "revoked" in runner.invoke(app, ["scim", "token", "list"], env=env).stdout
    twice = runner.invoke(app, ["scim", "token", "revoke", "okta"], env=env)
    assert twice.exit_code == 1 and "no live SCIM token 'okta'" in twice.stderr
