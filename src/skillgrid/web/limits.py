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

RETRY_AFTER = 5  # seconds: expensive requests take about that long at most


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
