"""Health, readiness and Prometheus metrics.

``/healthz`` says the process answers; ``/readyz`` says the database answers and its schema
is current; ``/metrics`` exposes request counts and latency by route and status, the
database pool, assessments by state and open cycles (read from the database at scrape
time, so every worker reports the same figures for those)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from starlette.types import Scope

router = APIRouter(include_in_schema=False)


class Metrics:
    """One registry per app (tests make many apps in one process)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "skillgrid_http_requests_total",
            "HTTP requests by route, method and status.",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "skillgrid_http_request_duration_seconds",
            "Time to answer, by route.",
            ["route", "method"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )

    def observe(self, scope: Scope, status: int, seconds: float) -> None:
        """Count and time one answer by its route template."""
        route, method = route_template(scope), scope["method"]
        self.requests.labels(route, method, str(status)).inc()
        self.latency.labels(route, method).observe(seconds)


def route_template(scope: Scope) -> str:
    """The template of the route that answered (``/api/v1/people/{email}/results``), never
    the path itself, which can hold personal data; ``unmatched`` when no route did.

    FastAPI keeps an included router's prefix apart from its routes' paths, so the prefix
    is added back (without it /me and /api/v1/me would look the same)."""
    path = getattr(scope.get("route"), "path", None)
    if not path:
        return "unmatched"
    included = (scope.get("fastapi") or {}).get("included_router")
    context = getattr(included, "include_context", None)
    prefix = getattr(context, "prefix", "") or ""
    return f"{prefix}{path}" if isinstance(prefix, str) else str(path)


class DatabaseCollector:
    """Figures read from the database when Prometheus scrapes."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from skillgrid.services.operations import activity

        storage = getattr(self.app.state, "storage", None)
        if storage is None:  # not started yet
            return
        checked_out = GaugeMetricFamily("skillgrid_db_pool_checked_out", "Connections in use.")
        checked_out.add_metric([], float(storage.connections_in_use()))
        yield checked_out
        counts = activity(self.app.state.uow_factory())
        by_state = GaugeMetricFamily(
            "skillgrid_assessments", "Assessments by state.", labels=["state"]
        )
        for state, count in counts.assessments.items():
            by_state.add_metric([state], float(count))
        yield by_state
        cycles = GaugeMetricFamily("skillgrid_open_cycles", "Review cycles open for ratings.")
        cycles.add_metric([], float(counts.open_cycles))
        yield cycles


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request) -> Response:
    """The database answers and its schema is the newest this version knows."""
    from skillgrid.services.operations import schema

    try:
        found = schema(request.app.state.storage)
    except Exception as error:  # any driver error means: not ready
        return JSONResponse(
            {"status": "unavailable", "database": type(error).__name__}, status_code=503
        )
    if not found.current:
        return JSONResponse(
            {"status": "migrating", "schema": found.revision, "expected": found.expected},
            status_code=503,
        )
    if request.app.state.load.shedding:
        return JSONResponse({"status": "busy", "schema": found.revision}, status_code=503)
    return JSONResponse({"status": "ready", "schema": found.revision})


@router.get("/metrics")
def metrics(request: Request) -> Response:
    """Prometheus text format."""
    return Response(
        generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST
    )
