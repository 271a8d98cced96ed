"""The app's sender: a thread of its own that sends due deliveries (webhook posts, event
mails) every few seconds, so a request never waits for a receiver or a mail server and the
event loop never blocks. Each app process runs one; they share the work through the claims
in the database."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from skillgrid.domain.assessments import OPERATOR
from skillgrid.services.outbox import BATCH, NO_MAIL, deliver_due

log = logging.getLogger("skillgrid.outbox")


class DeliveryWorker:
    def __init__(
        self,
        make_uow: Callable[[], Any],
        interval: float,
        poster: Any,
        mailer: Any = None,
        base_url: str | None = None,
    ) -> None:
        self.make_uow, self.interval = make_uow, interval
        self.poster, self.mailer, self.base_url = poster, mailer, base_url
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="skillgrid-webhooks", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self._send_all()
            except Exception:  # the next round tries again; the app goes on serving
                log.exception("sending webhook deliveries and event mails failed")

    def _send_all(self) -> None:
        """Batch after batch while batches come back full (a burst of events); event mails
        that no mail server could take are logged in one line at the end."""
        unsent = 0
        while not self._stop.is_set():
            found = deliver_due(
                self.make_uow(),
                self.poster,
                actor=OPERATOR,
                mailer=self.mailer,
                base_url=self.base_url,
            )
            for sent in found:
                if sent.last_error == NO_MAIL:
                    unsent += 1
                    continue
                log.info(
                    "delivery %s (%s): %s after %s attempt(s)%s",
                    sent.id,
                    sent.event,
                    sent.state,
                    sent.attempts,
                    f" ({sent.last_error})" if sent.last_error else "",
                )
            if len(found) < BATCH:
                break
        if unsent:
            log.info("%s event mail%s not sent: %s", unsent, "s" if unsent > 1 else "", NO_MAIL)
