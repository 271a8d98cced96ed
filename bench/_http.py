"""A minimal HTTP/1.1 client on raw asyncio streams, cheap enough in CPU that a load test on
a 2-core machine measures the server, not itself: keep-alive connections per browser (a new
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
    """Idle keep-alive connections to one server, kept per browser: a request reuses an idle
    connection of the browser it comes from (its Cookie header), or opens a new one, as the
    browsers of thousands of people do; ``opened`` counts every connection made. A connection
    idle for longer than the server keeps it is closed rather than reused.

    With ``shared``, every request may take any idle connection (the least recently used
    first), as a proxy's upstream pool would: a few dozen connections carry everyone's
    requests, each staying with the worker that accepted it."""

    host: str
    port: int
    shared: bool = False
    idle: dict[str, list[Connection]] = field(default_factory=dict)  # browser → idle ones
    opened: int = 0
    swept: float = field(default_factory=time.monotonic)

    async def send(self, request: Request, timeout: float) -> Response:
        """One request on an idle connection, or a new one; raises TimeoutError after
        ``timeout`` seconds and OSError or IncompleteReadError when the server fails."""
        raw = request.encode(f"{self.host}:{self.port}")
        browser = "" if self.shared else dict(request.headers).get("Cookie", "")
        async with asyncio.timeout(timeout):
            connection = self._idle_one(browser) or await self._open()
            try:
                response, reusable = await connection.exchange(raw)
            except BaseException:
                connection.close()
                raise
        if reusable:
            connection.last_used = time.monotonic()
            self.idle.setdefault(browser, []).append(connection)
        else:
            connection.close()
        self._sweep()
        return response

    def _idle_one(self, browser: str) -> Connection | None:
        idle = self.idle.get(browser, [])
        while idle:
            connection = idle.pop(0)
            if time.monotonic() - connection.last_used < KEEP_IDLE:
                return connection
            connection.close()
        return None

    def _sweep(self) -> None:
        """Close, once a second, the connections idle for longer than the server keeps them
        (the server has closed its end), so thousands of browsers hold no dead sockets."""
        now = time.monotonic()
        if now - self.swept < 1.0:
            return
        self.swept = now
        for browser, idle in list(self.idle.items()):
            for connection in idle:
                if now - connection.last_used >= KEEP_IDLE:
                    connection.close()
            if kept := [c for c in idle if now - c.last_used < KEEP_IDLE]:
                self.idle[browser] = kept
            else:
                del self.idle[browser]

    async def _open(self) -> Connection:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        self.opened += 1
        return Connection(reader, writer)

    def close(self) -> None:
        for idle in self.idle.values():
            for connection in idle:
                connection.close()
        self.idle.clear()
