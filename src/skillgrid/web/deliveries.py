"""The app's webhook sender: a thread of its own that sends due deliveries every few
seconds, so a request never waits for a receiver and the event loop never blocks. Each app
process runs one; they share the work through the claims in the database."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from skillgrid.domain.assessments import OPERATOR

log = logging.getLogger("skillgrid.webhooks")


class DeliveryWorker:
    def __init__(self, make_uow: Callable[[], Any], poster: Any, interval: float) -> None:
        self.make_uow, self.poster, self.interval = make_uow, poster, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="skillgrid-webhooks", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        from skillgrid.services.webhooks import deliver_due

        while not self._stop.wait(self.interval):
            try:
                for sent in deliver_due(self.make_uow(), self.poster, actor=OPERATOR):
                    log.info(
                        "webhook delivery %s: %s after %s attempt(s)%s",
                        sent.id,
                        sent.state,
                        sent.attempts,
                        f" ({sent.last_error})" if sent.last_error else "",
                    )
            except Exception:  # the next round tries again; the app goes on serving
                log.exception("sending webhook deliveries failed")
