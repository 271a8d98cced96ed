"""The admin page of webhooks: add (secret shown once), test, the log, remove."""

from __future__ import annotations

from tests.receivers import hook_receiver
from tests.web.conftest import as_
from tests.web.test_admin_pages import csrf


def test_an_admin_adds_a_webhook_sees_its_secret_once_tests_it_and_removes_it(
    app_client,
) -> None:
    admin = as_(app_client, "root@x.org")
    token = csrf(admin.get("/admin/webhooks").text)
    with hook_receiver() as receiver:
        form = {"csrf_token": token, "url": receiver.url, "events": ["assessment.finalized"]}
        added = admin.post("/admin/webhooks", data=form)
        assert added.status_code == 200
        assert "Its secret, shown only now: <code>" in added.text
        assert "Its secret" not in admin.get("/admin/webhooks").text
        tested = admin.post("/admin/webhooks/1/test", data={"csrf_token": token})
        assert tested.status_code == 303 and len(receiver.received) == 1
    page = admin.get("/admin/webhooks").text
    assert "webhook.test" in page and "HTTP 204" in page
    assert admin.post("/admin/webhooks/1/remove", data={"csrf_token": token}).status_code == 303
    assert "No webhooks yet." in admin.get("/admin/webhooks").text
    assert 'href="/admin/webhooks"' in admin.get("/admin").text


def test_an_unknown_event_is_refused_with_the_choices_and_nothing_is_stored(app_client) -> None:
    admin = as_(app_client, "root@x.org")
    token = csrf(admin.get("/admin/webhooks").text)
    form = {"csrf_token": token, "url": "https://x.org/h", "events": ["assessment.done"]}
    refused = admin.post("/admin/webhooks", data=form)
    assert refused.status_code == 422 and "the events are" in refused.text
    assert "No webhooks yet." in admin.get("/admin/webhooks").text


def test_a_refused_webhook_comes_back_with_what_was_typed_beside_the_reason(app_client) -> None:
    admin = as_(app_client, "root@x.org")
    token = csrf(admin.get("/admin/webhooks").text)
    form = {"csrf_token": token, "url": "ftp://relay.example/h", "events": ["cycle.opened"]}
    refused = admin.post("/admin/webhooks", data=form)
    assert refused.status_code == 422 and refused.template.name == "webhooks.html"
    assert refused.context["error"] and 'aria-describedby="webhook-error"' in refused.text
    assert 'value="ftp://relay.example/h"' in refused.text
    assert 'value="cycle.opened" checked' in refused.text


def test_removing_a_webhook_asks_first_saying_what_stops(app_client) -> None:
    admin = as_(app_client, "root@x.org")
    token = csrf(admin.get("/admin/webhooks").text)
    form = {"csrf_token": token, "url": "https://relay.example/h", "events": ["cycle.opened"]}
    admin.post("/admin/webhooks", data=form)
    page = admin.get("/admin/webhooks").text
    assert '<details class="confirm"' in page and "Yes, remove" in page
    assert "https://relay.example/h gets no more events" in page
