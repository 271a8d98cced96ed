"""Real counterparts started by the tests on a free loopback port: an SMTP server
(aiosmtpd) that keeps every message, and an HTTP receiver for webhooks."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class MailServer:
    """What the SMTP server received: (envelope recipients, parsed message) per mail."""

    port: int
    received: list[tuple[list[str], Message]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def to(self, address: str) -> list[Message]:
        return [message for rcpt, message in self.received if address in rcpt]

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server() -> Iterator[MailServer]:
    from aiosmtpd.controller import Controller

    mail = MailServer(free_port())
    controller = Controller(mail, hostname="127.0.0.1", port=mail.port)
    controller.start()
    try:
        yield mail
    finally:
        controller.stop()
