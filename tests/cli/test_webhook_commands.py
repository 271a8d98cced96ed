"""``skillgrid webhook …`` against a real HTTP receiver."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from skillgrid.cli import app
from tests.receivers import hook_receiver

runner = CliRunner()


def test_add_test_log_and_remove_a_webhook(tmp_path: Path) -> None:
    env = {"SKILLGRID_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}

    def run(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), env=env)

    with hook_receiver(failures=1) as receiver:
        added = run("webhook", "add", receiver.url, "--event", "assessment.finalized")
        assert added.exit_code == 0, added.output
        assert "Added webhook 1" in added.output and "Secret" in added.output
        (hook,) = json.loads(run("webhook", "list", "--json").output)
        assert hook["events"] == ["assessment.finalized"] and len(hook["secret"]) == 64
        failed = run("webhook", "test", "1")  # the receiver fails the first POST
        assert failed.exit_code == 1 and "pending" in failed.output and "HTTP 500" in failed.output
        assert run("webhook", "test", "1").exit_code == 0
        assert len(receiver.received) == 2
    log = json.loads(run("webhook", "log", "--webhook", "1", "--json").output)
    assert [(d["state"], d["attempts"], d["last_status"]) for d in log] == [
        ("delivered", 1, 204),
        ("pending", 1, 500),
    ]
    assert run("webhook", "remove", "1").exit_code == 0
    assert json.loads(run("webhook", "list", "--json").output) == []


def test_an_unknown_event_or_address_is_refused_with_the_choices(tmp_path: Path) -> None:
    env = {"SKILLGRID_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    bad = runner.invoke(
        app, ["webhook", "add", "https://x.org/h", "--event", "assessment.done"], env=env
    )
    assert bad.exit_code == 1 and "no event 'assessment.done': the events are" in bad.stderr
    bad = runner.invoke(app, ["webhook", "add", "ftp://x.org", "--event", "cycle.opened"], env=env)
    assert bad.exit_code == 1 and "not a web address to post to" in bad.stderr
    gone = runner.invoke(app, ["webhook", "test", "7"], env=env)
    assert gone.exit_code == 1 and "no webhook 7" in gone.stderr
