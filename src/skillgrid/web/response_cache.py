"""Pages and API answers kept per caller until the data they show changes.

A route that may be kept calls ``keep(request, credential)`` while it answers: the answer
(status 200, no cookie set) is then stored in this process under the request's path, query
string and presented credentials, with the data version read *before* the route ran
(``skillgrid.db.changes``). The next identical request is answered from the store after one
plain query confirms that the caller's session or token is still live and the data version
is unchanged; anything else (sign-out, revoked token, expired session, any change to the
data anywhere, by any process) sends the request to the routes again. Stored answers carry
an ETag, so a browser's ``If-None-Match`` is answered 304, and ``Cache-Control: private,
no-cache``: no shared cache keeps them and browsers always ask.

Reading the version first makes the store err on the fresh side: data changed while a
route ran is stored under the older number, which no later request presents. Identical
requests that arrive while one of them is being answered wait for it, then take what it
kept (or, if it kept nothing, go to the routes themselves): one recomputation, not fifty,
when many ask at once right after a change.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from cachetools import LRUCache
from starlette.requests import Request, cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from skillgrid.db.changes import VersionReader
from skillgrid.services.accounts import token_digest

clock = time.time  # seconds since the epoch (tests move it)
KEEP = "skillgrid.keep"
ROUTE = "skillgrid.route"
SESSION_COOKIE = "skillgrid_session"  # web.deps names it too; a test keeps them equal
Key = tuple[str, bytes, str, bytes, str, str]  # scheme, host, path, query, session, token
NEVER = ("/static/", "/healthz", "/readyz", "/metrics", "/api/docs", "/api/openapi.json")
LONGEST_QUERY = 2048  # longer query strings are answered, never kept
WAIT = 30.0  # seconds a request waits for an identical one before going its own way


@dataclass(frozen=True)
class Credential:
    """What a kept answer was made for: a session or API token (by SHA-256) and, for a
    session, when it expires (epoch seconds)."""

    kind: str  # "session" | "token"
    digest: str
    until: float | None = None


def keep(request: Request, credential: Credential) -> None:
    """Let this answer be kept for ``credential`` until the data changes."""
    request.scope[KEEP] = credential


@dataclass(frozen=True)
class Entry:
    version: int
    credential: Credential
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    route: str
    etag: bytes

    @property
    def size(self) -> int:
        headers = sum(len(n) + len(v) for n, v in self.headers)
        return len(self.body) + headers + len(self.route) + 512  # with the key, roughly


class ResponseCache:
    """Pure ASGI middleware in front of the routes (see the module text).

    ``reader`` gives the app's ``VersionReader`` (made when the database is opened);
    ``route_of`` names the route that answered, for logs and metrics on kept answers."""

    def __init__(
        self,
        app: ASGIApp,
        reader: Callable[[Scope], VersionReader | None],
        route_of: Callable[[Scope], str],
        max_bytes: int,
        count: Callable[[str], None] = lambda _result: None,
    ) -> None:
        self.app, self.reader, self.route_of, self.count = app, reader, route_of, count
        self.store: LRUCache[Key, Entry] | None = (
            LRUCache(maxsize=max_bytes, getsizeof=lambda entry: entry.size)
            if max_bytes > 0
            else None
        )
        self.answering: dict[Key, asyncio.Event] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        reader = self.reader(scope) if scope["type"] == "http" else None
        store = self.store
        key = _key(scope) if reader is not None and scope["method"] == "GET" else None
        if store is None or reader is None or key is None:  # nothing personal to keep
            await self.app(scope, receive, send)
            return
        entry = store.get(key)
        if entry is not None:
            credential = entry.credential
            presented = key[4] if credential.kind == "session" else key[5]
            version = reader.version_for(credential.kind, credential.digest)
            fresh = credential.until is None or clock() < credential.until
            if version == entry.version and fresh and presented == credential.digest:
                self.count("hit")
                await _replay(scope, entry, send)
                return
            store.pop(key, None)
            self.count("stale")
            if version is None:  # signed out, revoked, or no answer: the routes decide
                await self.app(scope, receive, send)
                return
        else:
            version = reader.version()
            if version is None:
                await self.app(scope, receive, send)
                return
        underway = self.answering.get(key)
        if underway is not None:  # the same request is being answered: take what it keeps
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(underway.wait(), WAIT)
            if key in store:
                await self(scope, receive, send)
                return
        self.count("miss")
        await self._answer_and_keep(scope, receive, send, key, version)

    async def _answer_and_keep(
        self, scope: Scope, receive: Receive, send: Send, key: Key, version: int
    ) -> None:
        etag = _etag(key, version)
        kept: dict[str, object] = {}
        chunks: list[bytes] = []
        done = self.answering[key] = asyncio.Event()

        def release() -> None:
            if self.answering.get(key) is done:
                del self.answering[key]
            done.set()

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                credential = scope.get(KEEP)
                headers = list(message.get("headers", []))
                if (
                    isinstance(credential, Credential)
                    and message["status"] == 200
                    and not any(name == b"set-cookie" for name, _ in headers)
                ):
                    headers += [(b"etag", etag), (b"cache-control", b"private, no-cache")]
                    message["headers"] = headers
                    kept.update(status=200, headers=headers, credential=credential)
                else:  # nothing will be kept: whoever waits may go its own way now
                    release()
            elif message["type"] == "http.response.body" and kept:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    self._store(
                        key,
                        Entry(
                            version,
                            kept["credential"],  # type: ignore[arg-type]
                            200,
                            kept["headers"],  # type: ignore[arg-type]
                            b"".join(chunks),
                            self.route_of(scope),
                            etag,
                        ),
                    )
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            release()

    def _store(self, key: Key, entry: Entry) -> None:
        """Keep ``entry`` unless it would take more than a quarter of the store."""
        store = self.store
        if store is not None and entry.size <= store.maxsize // 4:
            store[key] = entry


def _key(scope: Scope) -> Key | None:
    """Where and for whom: the first Cookie and Authorization headers count, as for the
    routes; None when no credential is presented or the path is never kept."""
    path, query = scope["path"], scope.get("query_string", b"")
    if path.startswith(NEVER) or len(query) > LONGEST_QUERY:
        return None
    cookie = authorization = host = None
    for name, value in scope["headers"]:
        if name == b"cookie" and cookie is None:
            cookie = value
        elif name == b"authorization" and authorization is None:
            authorization = value
        elif name == b"host" and host is None:
            host = value
    found = cookie_parser(cookie.decode("latin-1")).get(SESSION_COOKIE) if cookie else None
    session = token_digest(found) if found else ""
    token = ""
    if authorization is not None and authorization[:7].lower() == b"bearer ":
        token = token_digest(authorization[7:].decode("latin-1").strip())
    if not session and not token:
        return None
    return scope.get("scheme", "http"), host or b"", path, query, session, token


def _etag(key: Key, version: int) -> bytes:
    made = hashlib.blake2b(repr((key, version)).encode(), digest_size=12).hexdigest()
    return f'W/"{made}"'.encode()


async def _replay(scope: Scope, entry: Entry, send: Send) -> None:
    scope[ROUTE] = entry.route
    asked = dict(scope["headers"]).get(b"if-none-match")
    if asked is not None and entry.etag in [tag.strip() for tag in asked.split(b",")]:
        headers = [(n, v) for n, v in entry.headers if n in (b"etag", b"cache-control")]
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
        return
    await send({"type": "http.response.start", "status": entry.status, "headers": entry.headers})
    await send({"type": "http.response.body", "body": entry.body})
