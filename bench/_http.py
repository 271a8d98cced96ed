"""A minimal HTTP/1.1 client on raw asyncio streams, cheap enough in CPU that a load test on
a 2-core machine measures the server, not itself: keep-alive connections in a pool (a new
one opens whenever none is idle, so no request waits for another's answer), Content-Length
and chunked bodies, ``Connection: close`` honoured."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # already quoted
    headers: tuple[tuple[str, str], ...] = ()
    form: tuple[tuple[str, str], ...] | None = None  # sent form-urlencoded

    def encode(self, host: str) -> bytes:
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: {host}"]
        lines += [f"{name}: {value}" for name, value in self.headers]
        body = b""
        if self.form is not None:
            body = urlencode(self.form).encode()
            lines.append("Content-Type: application/x-www-form-urlencoded")
        if body or self.method in ("POST", "PUT"):
            lines.append(f"Content-Length: {len(body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.last_used = time.monotonic()

    async def exchange(self, raw: bytes) -> tuple[Response, bool]:
        """Send one request, read its answer; also whether the connection may be reused."""
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        version, status = status_line.split(" ", 2)[:2]
        headers = {}
        for line in header_lines:
            if line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        body = await self._body(headers)
        closing = headers.get("connection", "").lower() == "close" or version == "HTTP/1.0"
        return Response(int(status), headers, body), not closing

    async def _body(self, headers: dict[str, str]) -> bytes:
        if "content-length" in headers:
            return await self.reader.readexactly(int(headers["content-length"]))
        if headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                parts.append(await self.reader.readexactly(size))
                await self.reader.readexactly(2)
            await self.reader.readuntil(b"\r\n")  # no trailers are sent to this client
            return b"".join(parts)
        return await self.reader.read()  # until the server closes

    def close(self) -> None:
        self.writer.close()


KEEP_IDLE = 4.0  # seconds; uvicorn closes a connection idle for 5 s


@dataclass
class Pool:
    """Idle keep-alive connections to one server; ``opened`` counts every connection made.
    A connection idle for longer than the server keeps it is closed rather than reused.

    The least recently used idle connection goes first: requests spread over every open
    connection, and so over every worker that accepted one, as the requests of thousands of
    people do. (Most recently used first, a few connections carried nearly everything, and
    whichever worker had accepted them did nearly all the work while the other idled.)"""

    host: str
    port: int
    idle: list[Connection] = field(default_factory=list)
    opened: int = 0

    async def send(self, request: Request, timeout: float) -> Response:
        """One request on an idle connection, or a new one; raises TimeoutError after
        ``timeout`` seconds and OSError or IncompleteReadError when the server fails."""
        raw = request.encode(f"{self.host}:{self.port}")
        async with asyncio.timeout(timeout):
            connection = self._idle_one() or await self._open()
            try:
                response, reusable = await connection.exchange(raw)
            except BaseException:
                connection.close()
                raise
        if reusable:
            connection.last_used = time.monotonic()
            self.idle.append(connection)
        else:
            connection.close()
        return response

    def _idle_one(self) -> Connection | None:
        while self.idle:
            connection = self.idle.pop(0)
            if time.monotonic() - connection.last_used < KEEP_IDLE:
                return connection
            connection.close()
        return None

    async def _open(self) -> Connection:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        self.opened += 1
        return Connection(reader, writer)

    def close(self) -> None:
        for connection in self.idle:
            connection.close()
        self.idle.clear()
