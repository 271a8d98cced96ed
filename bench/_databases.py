"""The benchmark's databases: a template with a synthetic organisation, built once with
``skillgrid demo --people N --cycles 4`` and kept (a SQLite file in the cache folder, or a
PostgreSQL database ``skillgrid_bench_<N>_template``), and a throw-away copy of it per run,
so no run changes the template or sees another run's writes."""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from _servers import SKILLGRID
from sqlalchemy.engine import make_url

CYCLES = 4


def build(url: str, people: int) -> None:
    """Fill the empty database at ``url`` with the synthetic organisation (minutes)."""
    print(f"building the {people:,}-person template (skillgrid demo; a few minutes) …", flush=True)
    began = time.monotonic()
    subprocess.run(
        [*SKILLGRID, "demo", "--people", str(people), "--cycles", str(CYCLES)],
        env={**os.environ, "SKILLGRID_DATABASE_URL": url},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"built in {time.monotonic() - began:.0f} s", flush=True)


@contextlib.contextmanager
def sqlite_run(template: Path | None, cache_dir: Path, people: int) -> Iterator[str]:
    """A copy of the SQLite template (built into ``cache_dir`` when missing), deleted after
    the run; yields its URL."""
    if template is None:
        template = sqlite_template(cache_dir, people)
    elif not template.is_file():
        raise SystemExit(f"no SQLite template at {template}: give a `skillgrid demo` database")
    with tempfile.TemporaryDirectory(prefix="skillgrid-bench-") as folder:
        copy = Path(folder) / "run.db"
        began = time.monotonic()
        source = sqlite3.connect(f"file:{template}?mode=ro", uri=True)
        target = sqlite3.connect(copy)
        try:
            source.backup(target)  # a consistent copy, WAL included, the template untouched
        finally:
            source.close()
            target.close()
        print(f"copied {template} in {time.monotonic() - began:.0f} s", flush=True)
        yield f"sqlite:///{copy}"


def sqlite_template(cache_dir: Path, people: int) -> Path:
    """The cached template for ``people``, built (under another name, renamed when
    complete, so an interrupted build is never taken for a template) when missing."""
    template = cache_dir.expanduser() / f"skillgrid-{people}-people.db"
    if template.exists():
        return template
    template.parent.mkdir(parents=True, exist_ok=True)
    building = template.with_name(f"{template.stem}.building-{os.getpid()}.db")
    build(f"sqlite:///{building}", people)
    with contextlib.closing(sqlite3.connect(building)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    building.rename(template)
    return template


@contextlib.contextmanager
def postgres_run(server_url: str, people: int) -> Iterator[str]:
    """A database made from the PostgreSQL template (built when missing) on the server of
    ``server_url``, dropped after the run; yields its URL."""
    template = f"skillgrid_bench_{people}_template"
    if not _exists(server_url, template):
        building = f"skillgrid_bench_{people}_building_{secrets.token_hex(4)}"
        _admin(server_url, f'CREATE DATABASE "{building}"')
        build(_on(server_url, building), people)
        # the planner's statistics, as autovacuum gathers them on a live database: a
        # database just bulk-loaded has none (the team page ran 3× slower without)
        _admin(_on(server_url, building), "ANALYZE")
        _admin(server_url, f'ALTER DATABASE "{building}" RENAME TO "{template}"')
    run = f"skillgrid_bench_run_{secrets.token_hex(4)}"
    began = time.monotonic()
    _admin(server_url, f'CREATE DATABASE "{run}" TEMPLATE "{template}"')
    print(f"created {run} from {template} in {time.monotonic() - began:.0f} s", flush=True)
    try:
        yield _on(server_url, run)
    finally:
        _admin(server_url, f'DROP DATABASE IF EXISTS "{run}" WITH (FORCE)')


def _on(server_url: str, database: str) -> str:
    return make_url(server_url).set(database=database).render_as_string(hide_password=False)


def _admin(server_url: str, statement: str) -> None:
    """Run a statement outside a transaction (CREATE/DROP DATABASE) on the URL's database."""
    import psycopg

    with psycopg.connect(_libpq(server_url), autocommit=True) as db:
        db.execute(statement)  # type: ignore[arg-type]


def _exists(server_url: str, database: str) -> bool:
    import psycopg

    with psycopg.connect(_libpq(server_url), autocommit=True) as db:
        found = db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
        return found.fetchone() is not None


def _libpq(server_url: str) -> str:
    """The SQLAlchemy URL as libpq takes it (no ``+psycopg``)."""
    return make_url(server_url).set(drivername="postgresql").render_as_string(hide_password=False)
