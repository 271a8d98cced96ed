"""Webhook POSTs with the standard library's http.client: no redirects followed (a 3xx
counts as a failure, as a receiver that moved should be updated), a timeout on each step."""

from __future__ import annotations

import http.client
from collections.abc import Mapping
from urllib.parse import urlsplit

from skillgrid.domain.webhooks import WebhookError

TIMEOUT = 10.0  # seconds; well inside the claim a sender holds on a delivery
MAX_ANSWER = 64 * 1024  # of the answer's body, read and dropped


class HttpPoster:
    def __init__(self, timeout: float = TIMEOUT) -> None:
        self.timeout = timeout

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> int:
        parts = urlsplit(url)
        if not parts.hostname:
            raise WebhookError(f"{url!r} has no host")
        connection_class = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        connection = connection_class(parts.hostname, parts.port, timeout=self.timeout)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request("POST", target, body=body, headers=dict(headers))
            answer = connection.getresponse()
            answer.read(MAX_ANSWER)
            return answer.status
        except (OSError, http.client.HTTPException) as error:
            where = f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}"
            raise WebhookError(f"POST to {where}: {error or type(error).__name__}") from error
        finally:
            connection.close()
