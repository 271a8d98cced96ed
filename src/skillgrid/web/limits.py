"""Bounded work per caller: an account runs at most a few expensive requests (evidence
suggestions, uploads, team and org reports) at once in one app process; one more is
answered 429 with Retry-After instead of taking another thread from everyone else.

The count is per process: with several workers or servers an account may run that many in
each (the point is that no caller can stall a process, not a quota)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from skillgrid.web.security import send_json

RETRY_AFTER = 5  # seconds: expensive requests take about that long at most
# An uploaded file (a ladder, a people list): far past any real one, well under the body
# limit (web/security.py MAX_BODY), which leaves room for a form around it.
MAX_UPLOAD = 5 * 1024 * 1024


class TooBusy(Exception):
    """The caller already runs as many expensive requests as they may."""

    def __init__(self, running: int) -> None:
        super().__init__(
            f"you already have {running} large request{'s' if running != 1 else ''} running "
            f"(evidence suggestions, uploads or reports): wait for them and retry in "
            f"{RETRY_AFTER} s"
        )
        self.retry_after = RETRY_AFTER


class ExpensiveRequests:
    """How many expensive requests each account runs now (routes run in threads)."""

    def __init__(self, per_account: int) -> None:
        self.per_account = per_account
        self.running: Counter[str] = Counter()
        self.lock = threading.Lock()

    @contextmanager
    def hold(self, account: str) -> Iterator[None]:
        """Count one more for ``account`` while the block runs, or raise TooBusy."""
        with self.lock:
            if self.running[account] >= self.per_account:
                raise TooBusy(self.running[account])
            self.running[account] += 1
        try:
            yield
        finally:
            with self.lock:
                self.running[account] -= 1
                if not self.running[account]:
                    del self.running[account]


@contextmanager
def expensive(request: Request, account: str) -> Iterator[None]:
    """Run the block as one of ``account``'s expensive requests, or raise TooBusy."""
    counter: ExpensiveRequests = request.app.state.expensive
    with counter.hold(account):
        yield


class Load:
    """How many requests this process has taken and not yet answered, and how many it takes
    at most (the event loop is one thread: no lock needed)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.in_flight = 0

    @property
    def shedding(self) -> bool:
        return self.in_flight >= self.limit


class ShedLoad:
    """Pure ASGI middleware: when ``load.limit`` requests are already in this process,
    answer 503 with Retry-After at once instead of queueing one more. An overloaded server
    that queues everything answers everyone late (and works on for clients long gone);
    one that sheds answers most on time and tells the rest to come back. The health check
    always answers; readiness says "busy" while shedding, so a load balancer sends the next
    requests elsewhere."""

    def __init__(self, app: ASGIApp, load: Load) -> None:
        self.app, self.load = app, load

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in ("/healthz", "/readyz"):
            await self.app(scope, receive, send)
            return
        if self.load.shedding:
            await _busy(send)
            return
        self.load.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.load.in_flight -= 1


async def _busy(send: Send) -> None:
    body = b'{"detail": "the server is busy: retry in a second"}'
    await send_json(send, 503, body, (b"retry-after", b"1"))
