"""Webhooks over the JSON API (admins), and the app's own sender delivering after commit."""

from __future__ import annotations

import datetime as dt
import json
import time

from fastapi.testclient import TestClient

from skillgrid.config import Settings
from skillgrid.domain.assessments import OPERATOR, Entry
from skillgrid.domain.leveling import Rating
from skillgrid.services import assessments, cycles
from skillgrid.web.app import create_app
from tests.receivers import hook_receiver
from tests.web.conftest import as_


def test_an_admin_adds_tests_reads_the_log_of_and_removes_a_webhook(app_client) -> None:
    admin = as_(app_client, "root@x.org")
    with hook_receiver() as receiver:
        body = {"url": receiver.url, "events": ["assessment.finalized", "cycle.closed"]}
        added = admin.post("/api/v1/webhooks", json=body)
        assert added.status_code == 201, added.text
        hook = added.json()
        assert len(hook["secret"]) == 64 and hook["events"] == body["events"]
        assert admin.get("/api/v1/webhooks").json() == [
            {"id": hook["id"], "url": receiver.url, "events": body["events"]}
        ]  # the secret is shown once
        sent = admin.post(f"/api/v1/webhooks/{hook['id']}/test")
        assert sent.status_code == 200 and sent.json()["state"] == "delivered"
        assert json.loads(receiver.received[0][1])["event"] == "webhook.test"
    (logged,) = admin.get(f"/api/v1/webhooks/deliveries?webhook={hook['id']}").json()
    assert (logged["event"], logged["attempts"], logged["last_status"]) == ("webhook.test", 1, 204)
    assert admin.delete(f"/api/v1/webhooks/{hook['id']}").status_code == 204
    assert admin.get("/api/v1/webhooks").json() == []
    assert as_(app_client, "ana@x.org").get("/api/v1/webhooks").status_code == 403


def test_the_app_sends_an_event_after_the_change_commits_without_the_request_waiting(
    database_url, uow_factory, app_client
) -> None:
    from skillgrid.services import webhooks

    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    met = {"PO.1.1": Entry(Rating.MEETS)}
    assessments.rate(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "self", met)
    with hook_receiver() as receiver:
        webhooks.add_webhook(uow_factory(), receiver.url, ["assessment.submitted"], actor=OPERATOR)
        settings = Settings(database_url=database_url, outbox_interval=0.1)
        with TestClient(create_app(settings), follow_redirects=False) as client:
            ana = as_(client, "ana@x.org")
            path = "/api/v1/people/ana@x.org/assessments/2026-H2/self/submit"
            assert ana.post(path, json={"revision": 1}).status_code == 200
            deadline = time.monotonic() + 10
            while not receiver.received and time.monotonic() < deadline:
                time.sleep(0.05)
        (headers, body), *_ = receiver.received
    assert headers["X-SkillGrid-Event"] == "assessment.submitted"
    assert json.loads(body)["data"]["by"] == "ana@x.org"


def test_the_apps_sender_goes_on_batch_after_batch_while_they_come_back_full() -> None:
    from skillgrid.services import webhooks
    from skillgrid.web.deliveries import DeliveryWorker
    from tests.unit.fakes import FakeUnitOfWork

    class Receiver:
        def __init__(self) -> None:
            self.posts = 0

        def post(self, url: str, body: bytes, headers: object) -> int:
            self.posts += 1
            return 204

    uow, receiver = FakeUnitOfWork(), Receiver()
    hook = webhooks.add_webhook(uow, "https://x.org/h", ["cycle.closed"], actor=OPERATOR)
    now = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    uow.notifications.add_deliveries([(hook.id, None, "cycle.closed", "{}")] * 25, now)
    DeliveryWorker(lambda: uow, 5, receiver)._send_all()
    assert receiver.posts == 25


def test_event_mails_with_no_mail_server_are_logged_as_one_line_not_one_each(caplog) -> None:
    """A demo or a first start holds a hundred event mails; without a mail server each
    fails at once, and the log says so once a round, not a hundred times."""
    from skillgrid.web.deliveries import DeliveryWorker
    from tests.unit.fakes import FakeUnitOfWork

    uow = FakeUnitOfWork()
    now = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    mails = [(None, "ana@x.org", "assessment.submitted", '{"names": {}}')] * 23
    uow.notifications.add_deliveries(mails, now)
    with caplog.at_level("INFO", logger="skillgrid.outbox"):
        DeliveryWorker(lambda: uow, 5, poster=None)._send_all()
    lines = [r.getMessage() for r in caplog.records if r.name == "skillgrid.outbox"]
    assert lines == [
        "23 event mails not sent: mail is not configured: set SKILLGRID_SMTP_URL and "
        "SKILLGRID_MAIL_FROM"
    ]
