"""``skillgrid user invite``: prints the one-time link, mails it when mail is configured (to a
real SMTP server, aiosmtpd, started by the test), and refuses clearly what it cannot do."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillgrid.cli import app
from skillgrid.services.invitations import accept_invitation
from tests.conftest import table_snapshot
from tests.receivers import MailServer, smtp_server

runner = CliRunner()
PEOPLE = b"name,email,team,manager_email,role\nAna Lima,ana@x.org,SRE,,engineer\n"
NEW = "quiet otter maps the harbour"


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> dict[str, str]:
    env = {"SKILLGRID_DATABASE_URL": database_url}
    (tmp_path / "people.csv").write_bytes(PEOPLE)
    imported = runner.invoke(app, ["person", "import", str(tmp_path / "people.csv")], env=env)
    assert imported.exit_code == 0, imported.output
    return env


@pytest.fixture
def mail() -> Iterator[MailServer]:
    with smtp_server() as server:
        yield server


def test_invite_prints_the_path_and_says_how_to_print_the_whole_address(env) -> None:  # type: ignore[no-untyped-def]
    made = runner.invoke(app, ["user", "invite", "ana@x.org", "--days", "3"], env=env)
    assert made.exit_code == 0, made.output
    assert made.stdout.strip().startswith("/auth/invite/")
    assert "valid for 3 days, once" in made.stderr
    assert "Set SKILLGRID_BASE_URL" in made.stderr and "Not emailed" in made.stderr
    listed = runner.invoke(app, ["user", "invitations"], env=env)
    assert "ana@x.org" in listed.stdout and "expires" in listed.stdout
    revoked = runner.invoke(app, ["user", "revoke-invitation", "ana@x.org"], env=env)
    assert revoked.exit_code == 0, revoked.output
    assert "No pending invitations." in runner.invoke(app, ["user", "invitations"], env=env).stdout


def test_invite_refuses_what_it_cannot_do_and_stores_nothing(env, database_url) -> None:  # type: ignore[no-untyped-def]
    before = table_snapshot(database_url)
    stranger = runner.invoke(app, ["user", "invite", "zed@x.org"], env=env)
    assert stranger.exit_code == 1 and "not a person in the organisation" in stranger.stderr
    no_mail = runner.invoke(app, ["user", "invite", "ana@x.org", "--send"], env=env)
    assert no_mail.exit_code == 1 and "mail is not configured" in no_mail.stderr
    too_long = runner.invoke(app, ["user", "invite", "ana@x.org", "--days", "31"], env=env)
    assert too_long.exit_code != 0
    assert table_snapshot(database_url) == before


def test_with_mail_configured_the_invitation_is_mailed_with_a_working_link(
    env, mail: MailServer, uow_factory
) -> None:  # type: ignore[no-untyped-def]
    env |= {
        "SKILLGRID_SMTP_URL": mail.url,
        "SKILLGRID_MAIL_FROM": "skillgrid@x.org",
        "SKILLGRID_BASE_URL": "https://skills.x.org/",
    }
    made = runner.invoke(app, ["user", "invite", "ana@x.org"], env=env)
    assert made.exit_code == 0, made.output
    link = made.stdout.strip()
    assert link.startswith("https://skills.x.org/auth/invite/")
    assert "Emailed to ana@x.org." in made.stderr
    (sent,) = mail.to("ana@x.org")
    assert sent["From"] == "skillgrid@x.org"
    assert sent["Subject"] == "SkillGrid: choose your password"
    text = sent.get_payload()
    assert text.startswith("Hello Ana Lima,") and link in text
    accept_invitation(uow_factory(), link.rsplit("/", 1)[1], NEW, NEW, address="127.0.0.1")
    quiet = runner.invoke(app, ["user", "invite", "ana@x.org", "--no-send"], env=env)
    assert quiet.exit_code == 1 and "has a password already" in quiet.stderr
    assert len(mail.received) == 1


def test_inviting_someone_who_left_says_how_to_mark_them_back(env, database_url) -> None:  # type: ignore[no-untyped-def]
    left = runner.invoke(app, ["person", "update", "ana@x.org", "--inactive"], env=env)
    assert left.exit_code == 0, left.output
    before = table_snapshot(database_url)
    refused = runner.invoke(app, ["user", "invite", "ana@x.org"], env=env)
    assert refused.exit_code == 1
    assert "ana@x.org is marked as having left" in refused.stderr
    assert "skillgrid person update ana@x.org --active" in refused.stderr
    assert table_snapshot(database_url) == before
