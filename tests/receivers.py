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


@dataclass
class HookReceiver:
    """What the HTTP receiver got: (headers, body) per POST. It answers 500 to the first
    ``failures`` POSTs, then 204."""

    port: int
    failures: int = 0
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/skillgrid"


@contextmanager
def hook_receiver(failures: int = 0) -> Iterator[HookReceiver]:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    receiver = HookReceiver(0, failures)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with lock:
                receiver.received.append((dict(self.headers.items()), body))
                failing = len(receiver.received) <= receiver.failures
            self.send_response(500 if failing else 204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
