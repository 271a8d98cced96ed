"""Health, readiness and Prometheus metrics, parsed with the Prometheus text parser."""

from __future__ import annotations

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from skillgrid.config import Settings
from skillgrid.web.app import create_app
from tests.web.conftest import sign_in


def test_health_and_readiness(app_client) -> None:
    assert app_client.get("/healthz").json() == {"status": "ok"}
    ready = app_client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"


def test_metrics_count_requests_by_route_and_read_the_database(app_client) -> None:
    sign_in(app_client)
    app_client.get("/ladders/sre")
    app_client.get("/ladders/nope")
    text = app_client.get("/metrics").text
    families = {family.name: family for family in text_string_to_metric_families(text)}
    requests = families["skillgrid_http_requests"]
    seen = {
        (s.labels["route"], s.labels["status"]): s.value
        for s in requests.samples
        if s.name.endswith("_total")
    }
    assert seen[("/ladders/{name}", "200")] == 1
    assert seen[("/ladders/{name}", "404")] == 1
    assert "skillgrid_http_request_duration_seconds" in families
    states = {s.labels["state"]: s.value for s in families["skillgrid_assessments"].samples}
    assert states == {"draft": 0, "submitted": 0, "finalized": 0}
    assert families["skillgrid_open_cycles"].samples[0].value == 0


def test_every_web_thread_has_a_pooled_connection_so_none_waits_for_one(
    database_url: str,
) -> None:
    app = create_app(Settings(database_url=database_url, web_threads=24, outbox_interval=0))
    with TestClient(app):
        assert app.state.storage.engine.pool.size() == 24  # SQLAlchemy's default would keep 5


def test_the_outbox_sender_has_a_pooled_connection_of_its_own(database_url: str) -> None:
    app = create_app(Settings(database_url=database_url, web_threads=24, outbox_interval=5))
    with TestClient(app):
        assert app.state.storage.engine.pool.size() == 25
