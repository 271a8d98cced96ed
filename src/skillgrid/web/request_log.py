"""One log line per request, with a request id the client can quote.

A sane incoming ``X-Request-ID`` (1 to 128 letters, digits and ``._:-``; what proxies and
load balancers send) is kept, anything else replaced by a new one; the id is returned in the
``X-Request-ID`` response header and stamped on every log record made while the request is
served. The line holds the method, the route template (never the path: it can hold an
email), the status and the duration; no header, cookie, query string or body. The same
answer is counted and timed in the app's Prometheus metrics."""

from __future__ import annotations

import logging
import re
import secrets
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from skillgrid.logs import request_id
from skillgrid.web.metrics import Metrics, route_template
from skillgrid.web.security import send_json

SANE = re.compile(rb"[A-Za-z0-9._:-]{1,128}")
log = logging.getLogger("skillgrid.request")


class RequestLog:
    """Pure ASGI middleware, the outermost: it sees every answer, the 413s included."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers", [])).get(b"x-request-id", b"")
        rid = given.decode() if SANE.fullmatch(given) else secrets.token_hex(16)
        token = request_id.set(rid)
        started, status = time.perf_counter(), 500
        responded = False

        async def with_id(message: Message) -> None:
            nonlocal status, responded
            if message["type"] == "http.response.start":
                status, responded = message["status"], True
                headers = [h for h in message.get("headers", []) if h[0] != b"x-request-id"]
                message["headers"] = [*headers, (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, with_id)
        except Exception:  # logged once, here, with its id; the client gets a plain 500
            log.exception("unhandled error", extra=_fields(scope, 500, started))
            if not responded:
                await _server_error(send, rid)
            return
        else:
            level = logging.ERROR if status >= 500 else logging.INFO
            log.log(level, "request", extra=_fields(scope, status, started))
        finally:
            request_id.reset(token)
            self.metrics.observe(scope, status, time.perf_counter() - started)


def _fields(scope: Scope, status: int, started: float) -> dict[str, object]:
    return {
        "method": scope["method"],
        "route": route_template(scope),
        "status": status,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
    }


async def _server_error(send: Send, rid: str) -> None:
    body = b'{"detail": "internal error; quote the X-Request-ID when you report it"}'
    await send_json(send, 500, body, (b"x-request-id", rid.encode()))
