"""Fork servers on demand (see harness.Launcher). Reads commands on stdin, one a line:
``serve PORT`` forks uvicorn on the app and prints the child's pid; ``reap PID`` waits for
that child to end and prints ``ok``. Single-threaded, so forking is safe."""

from __future__ import annotations

import os
import sys

import uvicorn

from skillgrid.config import Settings
from skillgrid.web.app import create_app


def serve(port: int) -> None:
    app = create_app(Settings())  # the lifespan opens the database in the child
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="critical", lifespan="on")


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
        command, argument = line.split()
        if command == "serve":
            pid = os.fork()
            if pid == 0:
                try:
                    serve(int(argument))
                finally:
                    os._exit(0)
            print(pid, flush=True)
        elif command == "reap":
            os.waitpid(int(argument), 0)
            print("ok", flush=True)


if __name__ == "__main__":
    main()
