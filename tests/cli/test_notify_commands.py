"""``skillgrid notify due`` against a real SMTP server (aiosmtpd) started by the test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillgrid.cli import app
from tests.receivers import MailServer, smtp_server
from tests.unit.test_reminder_services import PEOPLE

runner = CliRunner()


@pytest.fixture
def mail() -> Iterator[MailServer]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def env(tmp_path: Path, mail: MailServer) -> dict[str, str]:
    """A cycle in which Ana submitted her self-assessment (it waits for Bo, her manager);
    Bo and Cy have not submitted theirs, Ed has; Di is inactive."""
    env = {
        "SKILLGRID_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
        "SKILLGRID_SMTP_URL": mail.url,
        "SKILLGRID_MAIL_FROM": "skillgrid@x.org",
        "SKILLGRID_BASE_URL": "https://skills.x.org/",
    }
    (tmp_path / "people.csv").write_bytes(
        PEOPLE.replace(b"Di,di@x.org,SRE,bo@x.org,engineer\n", b"")
    )
    (tmp_path / "ratings.csv").write_text("criterion,rating\nPO.1.1,meets\n")
    steps = [
        ["init"],
        ["person", "import", str(tmp_path / "people.csv")],
        ["cycle", "open", "2026-H2", "--framework", "sre", "--self-due", "2026-07-10"],
    ]
    for email in ("ana@x.org", "ed@x.org"):
        who = ["--person", email, "--cycle", "2026-H2", "--rater", "self"]
        steps += [
            ["assess", "import", str(tmp_path / "ratings.csv"), *who],
            ["assess", "submit", *who],
        ]
    for step in steps:
        result = runner.invoke(app, step, env=env)
        assert result.exit_code == 0, (step, result.output)
    return env


def test_each_person_with_pending_work_gets_exactly_one_mail_and_nobody_else(env, mail) -> None:
    result = runner.invoke(app, ["notify", "due"], env=env)
    assert result.exit_code == 0, result.output
    assert sorted(rcpt for rcpts, _ in mail.received for rcpt in rcpts) == ["bo@x.org", "cy@x.org"]
    (bo,) = mail.to("bo@x.org")
    assert bo["From"] == "skillgrid@x.org" and bo["Subject"] == "SkillGrid: 2 things wait for you"
    text = bo.get_payload(decode=True).decode()
    assert "Cycle 2026-H2 (due: self 2026-07-10)" in text
    assert "Ana (ana@x.org) waits for your review: " in text
    assert "https://skills.x.org/people/ana@x.org/assess/2026-H2/manager" in text
    assert "Sent 2 digests." in result.output


def test_run_twice_the_same_day_the_second_run_sends_nothing(env, mail) -> None:
    assert runner.invoke(app, ["notify", "due"], env=env).exit_code == 0
    again = runner.invoke(app, ["notify", "due"], env=env)
    assert again.exit_code == 0 and len(mail.received) == 2
    assert (
        "Sent 0 digests." in again.output
        and "Already sent today: bo@x.org, cy@x.org" in again.output
    )


def test_a_dry_run_lists_who_would_get_what_and_sends_nothing(env, mail) -> None:
    result = runner.invoke(app, ["notify", "due", "--dry-run", "--cycle", "2026-H2"], env=env)
    assert result.exit_code == 0, result.output
    assert "bo@x.org: 2026-H2: own self-assessment, review ana@x.org" in result.output
    assert "Would send 2 digests." in result.output
    assert mail.received == []


def test_without_a_mail_server_the_command_says_what_to_set(env, mail) -> None:
    unset = {**env, "SKILLGRID_SMTP_URL": ""}
    result = runner.invoke(app, ["notify", "due"], env=unset)
    assert (
        result.exit_code == 1 and "mail is not configured: set SKILLGRID_SMTP_URL" in result.stderr
    )
    assert mail.received == []


def test_a_mail_server_that_cannot_be_reached_is_named_and_nobody_is_marked_sent(env, mail) -> None:
    from tests.receivers import free_port

    down = {**env, "SKILLGRID_SMTP_URL": f"smtp://127.0.0.1:{free_port()}"}
    result = runner.invoke(app, ["notify", "due"], env=down)
    assert result.exit_code == 1 and "via smtp://127.0.0.1:" in result.stderr
    assert runner.invoke(app, ["notify", "due"], env=env).exit_code == 0
    assert len(mail.received) == 2  # the failed run claimed nobody


def finalize_ana(env: dict[str, str], tmp_path: Path) -> None:
    who = ["--person", "ana@x.org", "--cycle", "2026-H2", "--rater", "manager", "--as", "bo@x.org"]
    for step in (
        ["assess", "import", str(tmp_path / "ratings.csv"), *who],
        ["assess", "submit", *who],
        ["assess", "finalize", *who[:4], "--as", "bo@x.org"],
    ):
        result = runner.invoke(app, step, env=env)
        assert result.exit_code == 0, (step, result.output)


def test_event_mails_go_out_after_the_change_and_tell_the_person_concerned(
    env, mail, tmp_path
) -> None:
    finalize_ana(env, tmp_path)
    assert mail.received == []  # written with the change, sent by a sender
    sent = runner.invoke(app, ["notify", "send"], env=env)
    assert sent.exit_code == 0, sent.output
    (ana,) = mail.to("ana@x.org")
    assert ana["Subject"] == "SkillGrid: your 2026-H2 assessment is finalized"
    assert "Bo finalized your manager assessment" in ana.get_payload(decode=True).decode()
    (bo,) = mail.to("bo@x.org")  # Ana's self-assessment, submitted when the test began
    assert bo["Subject"] == "SkillGrid: Ana submitted their self-assessment (2026-H2)"
    assert len(mail.received) == 2  # Ed has no manager: his submission tells nobody


def test_a_person_who_turned_event_mails_off_gets_none(env, mail, tmp_path) -> None:
    off = runner.invoke(
        app, ["notify", "events", "ana@x.org", "--off", "--as", "ana@x.org"], env=env
    )
    assert off.exit_code == 0 and "Event mails for ana@x.org: off." in off.output
    refused = runner.invoke(
        app, ["notify", "events", "ana@x.org", "--on", "--as", "bo@x.org"], env=env
    )
    assert refused.exit_code == 1 and "only they or an admin may" in refused.stderr
    finalize_ana(env, tmp_path)
    assert runner.invoke(app, ["notify", "send"], env=env).exit_code == 0
    assert mail.to("ana@x.org") == [] and len(mail.to("bo@x.org")) == 1
