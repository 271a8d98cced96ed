"""Several app processes, many clients, the same 20 assessments: every write the server
acknowledged is in the database at the end, each acknowledged revision was given once
(no lost update), and every other attempt was answered 409."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import POSTGRES_URL
from tests.resilience.harness import (
    Client,
    Org,
    assessment_path,
    build_org,
    free_port,
    uvicorn_process,
    wait_until_up,
)

ASSESSMENTS = 20
CLIENTS_PER_PROCESS = 8
CRITERIA_PER_WRITE = 12


def hammer(ports: list[int], org: Org, seconds: float) -> dict[str, object]:
    """Every client reads an assessment, then writes it back with the revision it read."""
    targets = list(org.engineers[:ASSESSMENTS])
    acks: dict[str, list[tuple[int, str]]] = defaultdict(list)  # email → (revision, marker)
    statuses: Counter[int] = Counter()
    kinds: Counter[str] = Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(number: int, port: int) -> None:
        rng = random.Random(number)
        api = Client(port, org)
        n = 0
        while time.monotonic() < deadline:
            email = rng.choice(targets)
            path = assessment_path(email, "self")
            status, read = api.api("GET", path)
            assert status == 200, (status, read)
            n += 1
            marker = f"c{number}-w{n}"
            ratings = {
                cid: {"rating": rng.choice(["developing", "meets"]), "comment": marker}
                for cid in rng.sample(org.criteria, CRITERIA_PER_WRITE)
            }
            status, saved = api.api("PUT", path, {"revision": read["revision"], "ratings": ratings})
            with lock:
                statuses[status] += 1
                if status == 200:
                    acks[email].append((saved["revision"], marker))
                elif status == 409:  # stale revision, or SQLite's lock taken by another writer
                    kinds["stale revision" if "revision" in saved["detail"] else "busy"] += 1
        api.close()

    threads = [
        threading.Thread(target=client, args=(p * CLIENTS_PER_PROCESS + c, port))
        for p, port in enumerate(ports)
        for c in range(CLIENTS_PER_PROCESS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"acks": acks, "statuses": statuses, "conflicts": kinds}


def stored(url: str) -> dict[str, tuple[int, set[str], int]]:
    """email → (revision, the comments on its ratings, how many ratings)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT p.email, a.revision, r.comment, count(r.rating) FROM assessments a "
                    "JOIN people p ON p.id = a.person_id "
                    "LEFT JOIN ratings r ON r.assessment_id = a.id "
                    "WHERE a.rater = 'self' GROUP BY p.email, a.revision, r.comment"
                )
            ).all()
    finally:
        engine.dispose()
    found: dict[str, tuple[int, set[str], int]] = {}
    for email, revision, comment, count in rows:
        _, comments, total = found.get(email, (revision, set(), 0))
        found[email] = (revision, comments | {comment}, total + count)
    return found


def check_no_lost_update(url: str, result: dict[str, object]) -> tuple[int, int]:
    acks: dict[str, list[tuple[int, str]]] = result["acks"]  # type: ignore[assignment]
    statuses: Counter[int] = result["statuses"]  # type: ignore[assignment]
    assert set(statuses) <= {200, 409}, statuses
    database = stored(url)
    for email, written in acks.items():
        revisions = [revision for revision, _ in written]
        assert len(revisions) == len(set(revisions)), f"{email}: a revision acknowledged twice"
        revision, comments, count = database[email]
        # each acknowledged write moved the revision by exactly one, from 1 at the start
        assert revision == 1 + len(written), (email, revision, len(written))
        last = max(written)[1]
        assert comments == {last} and count == CRITERIA_PER_WRITE, (email, comments, last)
    return statuses[200], statuses[409]


def _start(url: str, processes: int) -> tuple[list[int], list[object]]:
    ports = [free_port() for _ in range(processes)]
    servers = [uvicorn_process(url, port) for port in ports]
    for port in ports:
        wait_until_up(port)
    return ports, servers


def _prepare(url: str) -> Org:
    from skillgrid.db.engine import make_engine, make_session_factory
    from skillgrid.db.unit_of_work import SqlAlchemyUnitOfWork
    from skillgrid.domain.assessments import OPERATOR, SELF
    from skillgrid.services.assessments import rate

    org = build_org(url, ASSESSMENTS)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    for email in org.engineers:  # revision 1, with no ratings yet
        rate(SqlAlchemyUnitOfWork(factory), OPERATOR, email, "2026-H2", SELF, {})
    engine.dispose()
    return org


def run_scenario(url: str, processes: int, seconds: float) -> tuple[int, int]:
    org = _prepare(url)
    ports, servers = _start(url, processes)
    try:
        result = hammer(ports, org, seconds)
    finally:
        for server in servers:
            server.terminate()  # type: ignore[attr-defined]
            server.wait(timeout=10)  # type: ignore[attr-defined]
    acknowledged, conflicts = check_no_lost_update(url, result)
    backend = url.split(":")[0]
    print(
        f"\n{processes} processes × {CLIENTS_PER_PROCESS} clients, {seconds:.0f} s on {backend}: "
        f"{acknowledged} writes acknowledged, {conflicts} answered 409 "
        f"({dict(result['conflicts'])}), none lost"
    )
    assert acknowledged > ASSESSMENTS and conflicts > 0
    return acknowledged, conflicts


@pytest.mark.skipif(not POSTGRES_URL, reason="SKILLGRID_TEST_DATABASE_URL not set")
def test_four_processes_on_postgresql_lose_no_acknowledged_write(postgres_server: str) -> None:
    engine = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    run_scenario(postgres_server, processes=4, seconds=8)


def test_several_processes_on_one_sqlite_file_lose_no_acknowledged_write(tmp_path: Path) -> None:
    run_scenario(f"sqlite:///{tmp_path / 'shared.db'}", processes=3, seconds=5)
