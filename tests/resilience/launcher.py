"""Fork servers on demand (see harness.Launcher). Reads commands on stdin, one a line:
``serve PORT PROBE`` forks uvicorn on the app and prints the child's pid; ``reap PID``
waits for that child to end and prints ``ok``. Single-threaded, so forking is safe.

PROBE is a file the child keeps up to date through a shared memory map, so it still tells
after a SIGKILL what the server was doing when it died: byte 0 is ``-`` (no transaction),
``R`` (a transaction that has not written) or ``W`` (a transaction with uncommitted
writes); then the method and path of the request that wrote."""

from __future__ import annotations

import contextvars
import mmap
import os
import sys
from typing import Any

import uvicorn
from sqlalchemy import Engine, event

from skillgrid.config import Settings
from skillgrid.web.app import create_app

PROBE_SIZE = 256
WRITES = ("INSERT", "UPDATE", "DELETE")


def serve(port: int, probe_file: str) -> None:
    with open(probe_file, "r+b") as handle:
        probe = mmap.mmap(handle.fileno(), PROBE_SIZE)
    _watch_transactions(probe)
    app = create_app(Settings())  # the lifespan opens the database in the child
    uvicorn.run(_Requests(app, probe), host="127.0.0.1", port=port, log_level="critical")


REQUEST: contextvars.ContextVar[bytes] = contextvars.ContextVar("request", default=b"")


def _watch_transactions(probe: mmap.mmap) -> None:
    def state(value: bytes) -> Any:
        def mark(*_: Any) -> None:
            probe[0:1] = value

        return mark

    def statement(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        if sql.lstrip()[:6].upper() in WRITES and probe[0:1] != b"W":
            probe[1:PROBE_SIZE] = REQUEST.get()  # the request this write belongs to
            probe[0:1] = b"W"

    event.listen(Engine, "begin", state(b"R"))
    event.listen(Engine, "commit", state(b"-"))
    event.listen(Engine, "rollback", state(b"-"))
    event.listen(Engine, "before_cursor_execute", statement)


class _Requests:
    """ASGI wrapper writing the request being served into the probe."""

    def __init__(self, app: Any, probe: mmap.mmap) -> None:
        self.app, self.probe = app, probe

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            line = f"{scope['method']} {scope['path']}".encode()[: PROBE_SIZE - 2]
            REQUEST.set((b" " + line).ljust(PROBE_SIZE - 1))
        await self.app(scope, receive, send)


def warm_up() -> None:
    """Import what a server imports (routes, uvicorn's protocols, the unit of work and
    services) once, before any fork; open no database connection that a child inherits."""
    import skillgrid.db.unit_of_work
    import skillgrid.reports.person
    import skillgrid.services.accounts
    import skillgrid.services.assessments
    import skillgrid.services.frameworks
    import skillgrid.services.reviews
    from skillgrid.db.engine import make_engine
    from skillgrid.db.migrate import upgrade

    uvicorn.Config(create_app(Settings()), log_level="critical").load()
    engine = make_engine(Settings().database_url)
    upgrade(engine)
    engine.dispose()
    del skillgrid


def main() -> None:
    warm_up()
    for line in sys.stdin:
        command, *arguments = line.split()
        if command == "serve":
            pid = os.fork()
            if pid == 0:
                try:
                    serve(int(arguments[0]), arguments[1])
                finally:
                    os._exit(0)
            print(pid, flush=True)
        elif command == "reap":
            os.waitpid(int(arguments[0]), 0)
            print("ok", flush=True)


if __name__ == "__main__":
    main()
