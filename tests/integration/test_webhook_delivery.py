"""Webhooks on a real database and a real HTTP receiver: events are written with the change
and sent after it commits, signed, retried with backoff, logged, and never sent twice by
two senders at once."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator

import pytest

from skillgrid.domain.assessments import OPERATOR, Entry
from skillgrid.domain.errors import Conflict
from skillgrid.domain.leveling import Rating
from skillgrid.outbound.http import HttpPoster
from skillgrid.services import (
    assessments,
    cycles,
    frameworks,
    outbox,
    people_import,
    webhooks,
)
from tests.receivers import HookReceiver, hook_receiver
from tests.unit.test_assessment_services import PEOPLE

MET = {"PO.1.1": Entry(Rating.MEETS)}


@pytest.fixture
def receiver() -> Iterator[HookReceiver]:
    with hook_receiver() as found:
        yield found


@pytest.fixture
def make(uow_factory):  # type: ignore[no-untyped-def]
    frameworks.install_builtin(uow_factory(), actor=OPERATOR)
    people_import.import_people(uow_factory(), PEOPLE, "people.csv", actor=OPERATOR)
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    assessments.rate(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "self", MET)
    return uow_factory


def deliver(make, now: dt.datetime | None = None):  # type: ignore[no-untyped-def]
    """The webhook deliveries sent (event mails, with no mail server here, fail at once)."""
    sent = outbox.deliver_due(make(), HttpPoster(timeout=5), actor=OPERATOR, now=now)
    return [delivery for delivery in sent if delivery.recipient is None]


def test_a_submitted_assessment_reaches_the_receiver_signed_with_the_hooks_secret(
    make, receiver
) -> None:
    hook = webhooks.add_webhook(make(), receiver.url, ["assessment.submitted"], actor=OPERATOR)
    assessments.submit(make(), OPERATOR, "ana@x.org", "2026-H2", "self")
    assert receiver.received == []  # written with the change, sent by a sender
    (sent,) = deliver(make)
    assert sent.state == "delivered" and sent.last_status == 204
    ((headers, body),) = receiver.received
    timestamp = headers["X-SkillGrid-Timestamp"]
    expected = hmac.new(
        hook.secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(headers["X-SkillGrid-Signature"], f"sha256={expected}")
    assert headers["X-SkillGrid-Event"] == "assessment.submitted"
    event = json.loads(body)
    assert event["event"] == "assessment.submitted"
    assert event["data"] == {
        "person": "ana@x.org",
        "cycle": "2026-H2",
        "rater": "self",
        "state": "submitted",
        "by": None,
    }
    assert deliver(make) == []  # nothing more to send


def test_a_receiver_failing_twice_gets_the_event_on_the_third_attempt_and_the_log_shows_it(
    make,
) -> None:
    with hook_receiver(failures=2) as receiver:
        hook = webhooks.add_webhook(make(), receiver.url, ["assessment.submitted"], actor=OPERATOR)
        assessments.submit(make(), OPERATOR, "ana@x.org", "2026-H2", "self")
        start = dt.datetime.now(dt.UTC)
        (first,) = deliver(make, start)
        assert (first.state, first.attempts, first.last_status) == ("pending", 1, 500)
        assert first.next_attempt_at == start + dt.timedelta(seconds=30)
        assert deliver(make, start + dt.timedelta(seconds=29)) == []  # not due yet
        (second,) = deliver(make, start + dt.timedelta(seconds=30))
        assert (second.state, second.attempts) == ("pending", 2)
        assert second.next_attempt_at == start + dt.timedelta(seconds=90)  # waits twice as long
        (third,) = deliver(make, start + dt.timedelta(seconds=90))
        assert (third.state, third.attempts, third.last_status) == ("delivered", 3, 204)
        assert len(receiver.received) == 3
        bodies = {body for _, body in receiver.received}
        assert len(bodies) == 1  # the same event each time (receivers dedupe on its id)
    (logged,) = webhooks.deliveries(make(), actor=OPERATOR, webhook_id=hook.id)
    assert (logged.state, logged.attempts, logged.last_status, logged.last_error) == (
        "delivered",
        3,
        204,
        None,
    )


def test_an_unreachable_receiver_is_logged_with_the_reason(make) -> None:
    from tests.receivers import free_port

    url = f"http://127.0.0.1:{free_port()}/gone"
    webhooks.add_webhook(make(), url, ["assessment.submitted"], actor=OPERATOR)
    assessments.submit(make(), OPERATOR, "ana@x.org", "2026-H2", "self")
    (sent,) = deliver(make)
    assert sent.state == "pending" and sent.last_status is None
    assert sent.last_error is not None and "POST to http://127.0.0.1:" in sent.last_error


def test_a_change_that_is_refused_sends_nothing(make, receiver) -> None:
    webhooks.add_webhook(make(), receiver.url, ["assessment.submitted"], actor=OPERATOR)
    with pytest.raises(Conflict):
        assessments.submit(make(), OPERATOR, "ana@x.org", "2026-H2", "self", revision=99)
    assert deliver(make) == [] and receiver.received == []


def test_two_senders_at_once_never_send_one_delivery_twice(make, receiver) -> None:
    webhooks.add_webhook(make(), receiver.url, ["assessment.submitted"], actor=OPERATOR)
    for email in ("ana@x.org", "cy@x.org"):
        assessments.rate(make(), OPERATOR, email, "2026-H2", "manager", MET)
        assessments.submit(make(), OPERATOR, email, "2026-H2", "manager")
    assessments.rate(make(), OPERATOR, "bo@x.org", "2026-H2", "self", MET)
    assessments.submit(make(), OPERATOR, "bo@x.org", "2026-H2", "self")
    assessments.submit(make(), OPERATOR, "ana@x.org", "2026-H2", "self")
    barrier = threading.Barrier(2)
    sent: list[int] = []

    def sender() -> None:
        barrier.wait()
        for _ in range(3):
            sent.extend(
                d.id
                for d in outbox.deliver_due(make(), HttpPoster(timeout=5), actor=OPERATOR, limit=1)
            )

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ids = [json.loads(body)["id"] for _, body in receiver.received]
    assert len(ids) == len(set(ids)) == 4
    assert sorted(sent) == sorted(set(sent))


def test_a_test_delivery_is_sent_at_once_and_logged(make, receiver) -> None:
    hook = webhooks.add_webhook(make(), receiver.url, ["assessment.finalized"], actor=OPERATOR)
    sent = webhooks.send_test(make(), HttpPoster(timeout=5), hook.id, actor=OPERATOR)
    assert (sent.event, sent.state) == ("webhook.test", "delivered")
    assert json.loads(receiver.received[0][1])["data"] == {"url": receiver.url}
