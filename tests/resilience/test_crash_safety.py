"""SIGKILL the real server again and again in the middle of bulk writes — ladder uploads,
assessment saves, submit and finalize — and after every kill check that the database is
whole, that no object is half-written and that every write the client got a 2xx for is
there."""

from __future__ import annotations

import base64
import http.client
import mmap
import os
import random
import re
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import POSTGRES_URL, SEED
from tests.resilience.harness import (
    Client,
    Launcher,
    Org,
    assessment_path,
    build_org,
    free_port,
    wait_until_up,
)

SAVED = 10  # assessments saved over and over (self, by the admin)
REVIEW = 60  # the write number of every manager review
REVIEW_SIZE = 30 + (REVIEW * 7) % 61  # its criteria (see ratings_of)


def ratings_of(org: Org, n: int, marker: str) -> dict[str, dict[str, str]]:
    """Write number ``n``: its own number of criteria (30–90), each commented ``marker``."""
    count = 30 + (n * 7) % 61
    return {cid: {"rating": "meets", "comment": marker} for cid in org.criteria[:count]}


class Writers:
    """Three client threads writing through the server; what each sent and what the
    server acknowledged (2xx) is recorded for the checks."""

    def __init__(self, port: int, org: Org) -> None:
        self.port, self.org = port, org
        self.up, self.stop = threading.Event(), threading.Event()
        self.lock = threading.Lock()
        self.in_flight: dict[str, bool] = {}
        self.ladders_sent: set[int] = set()
        self.ladders_acked: set[int] = set()
        self.saves_sent: dict[str, int] = {}
        self.saves_acked: dict[str, int] = {}
        self.finalized: set[str] = set()
        self.acks: Counter[str] = Counter()
        self.unexpected: list[str] = []
        seed = SEED.read_text(encoding="utf-8")
        self.ladder = lambda n: seed.replace(" the ", f" the crashv{n} ", 1).encode()
        self.threads = [
            threading.Thread(target=self._loop, args=(name, step), daemon=True)
            for name, step in (
                ("ladder upload", self._upload()),
                ("assessment save", self._save()),
                ("submit/finalize", self._finalize()),
            )
        ]

    def progress(self, timeout: float) -> None:
        """Wait until one more write is acknowledged (or ``timeout`` passes)."""
        before = sum(self.acks.values())
        deadline = time.monotonic() + timeout
        while sum(self.acks.values()) == before and time.monotonic() < deadline:
            time.sleep(0.005)

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def close(self) -> None:
        self.stop.set()
        self.up.set()
        for thread in self.threads:
            thread.join(timeout=15)

    def _loop(self, name: str, steps: Callable[[Client, bool], None]) -> None:
        client = Client(self.port, self.org, timeout=15)
        unknown = False
        while not self.stop.is_set():
            self.up.wait()
            if self.stop.is_set():
                break
            self.in_flight[name] = True
            try:
                steps(client, unknown)
                unknown = False
            except (OSError, http.client.HTTPException):  # the server died mid-request
                unknown = True
                time.sleep(0.005)
            except Exception as error:  # a bad answer (logged, and the test fails)
                unknown = True
                self.unexpected.append(f"{name}: {error!r}")
            finally:
                self.in_flight[name] = False
        client.close()

    def _ok(self, name: str, status: int, expected: int, what: object) -> bool:
        if status == expected:
            with self.lock:
                self.acks[name] += 1
            return True
        self.unexpected.append(f"{name}: {status} {what}")
        return False

    def _upload(self) -> Callable[[Client, bool], None]:
        counter = iter(range(1, 10**6))

        def step(client: Client, _unknown: bool) -> None:
            n = next(counter)
            fields = {"name": "crash", "source": "crash.tsv", "split": "auto"}
            fields["payload"] = base64.b64encode(self.ladder(n)).decode()
            self.ladders_sent.add(n)
            if self._ok("ladder upload", client.form("/admin/ladders/store", fields), 303, n):
                self.ladders_acked.add(n)

        return step

    def _save(self) -> Callable[[Client, bool], None]:
        emails = self.org.engineers[:SAVED]
        revisions: dict[str, int] = {}
        counter = iter(range(1, 10**6))

        def step(client: Client, unknown: bool) -> None:
            n = next(counter)
            email = emails[n % SAVED]
            path = assessment_path(email, "self")
            if unknown or email not in revisions:
                revisions.clear()  # what was in flight may or may not have landed
                status, read = client.api("GET", path)
                revisions[email] = read["revision"]
            self.saves_sent[email] = n
            body = {"revision": revisions[email], "ratings": ratings_of(self.org, n, f"s{n}")}
            status, saved = client.api("PUT", path, body)
            if self._ok("assessment save", status, 200, saved):
                revisions[email] = saved["revision"]
                self.saves_acked[email] = n

        return step

    def _finalize(self) -> Callable[[Client, bool], None]:
        people = iter(self.org.engineers[SAVED:])
        current = [next(people)]

        def step(client: Client, _unknown: bool) -> None:
            email = current[0]
            path = assessment_path(email, "manager")
            status, read = client.api("GET", path)
            state, revision = read["state"], read["revision"]
            if state == "finalized":  # landed just before a kill, unacknowledged
                current[0] = next(people)
            elif revision == 0:
                body = {"revision": 0, "ratings": ratings_of(self.org, REVIEW, f"f-{email}")}
                status, saved = client.api("PUT", path, body)
                self._ok("assessment save", status, 200, saved)
            elif state == "draft":
                status, done = client.api("POST", f"{path}/submit", {"revision": revision})
                self._ok("submit", status, 200, done)
            else:
                status, done = client.api("POST", f"{path}/finalize", {"revision": revision})
                if self._ok("finalize", status, 200, done):
                    self.finalized.add(email)
                    current[0] = next(people)

        return step


def check(url: str, org: Org, writers: Writers) -> list[str]:
    """Everything wrong with the database now (the server is dead)."""
    with writers.lock:
        ladders = set(writers.ladders_acked)
        saves = dict(writers.saves_acked)
        finalized = set(writers.finalized)
    sent_ladders, sent_saves = set(writers.ladders_sent), dict(writers.saves_sent)
    problems: list[str] = []
    engine = create_engine(url)
    try:
        with engine.connect() as db:
            if url.startswith("sqlite"):
                verdict = db.execute(text("PRAGMA integrity_check")).scalar()
                if verdict != "ok":
                    problems.append(f"integrity_check: {verdict}")
                if db.execute(text("PRAGMA foreign_key_check")).first():
                    problems.append("foreign_key_check found dangling rows")
            problems += _check_ladders(db, ladders, sent_ladders)
            problems += _check_assessments(db, org, saves, sent_saves, finalized)
    finally:
        engine.dispose()
    return problems


def _check_ladders(db, acked: set[int], sent: set[int]) -> list[str]:  # type: ignore[no-untyped-def]
    problems = []
    versions = db.execute(
        text(
            "SELECT v.id, (SELECT count(*) FROM criteria c WHERE c.version_id = v.id), "
            "(SELECT count(*) FROM levels l WHERE l.version_id = v.id), "
            "(SELECT count(*) FROM tracks t WHERE t.version_id = v.id) "
            "FROM framework_versions v JOIN frameworks f ON f.id = v.framework_id "
            "WHERE f.name = 'crash'"
        )
    ).all()
    for version, criteria, levels, tracks in versions:
        if (criteria, levels, tracks) != (90, 6, 6):
            problems.append(f"ladder version {version} half-written: {criteria}/{levels}/{tracks}")
    texts = db.execute(text("SELECT text FROM criteria WHERE text LIKE '%crashv%'")).scalars()
    stored = {int(m.group(1)) for t in texts if (m := re.search(r"crashv(\d+)", t))}
    if missing := acked - stored:
        problems.append(f"acknowledged ladder uploads missing: {sorted(missing)}")
    if ghosts := stored - sent:
        problems.append(f"ladder uploads nobody sent: {sorted(ghosts)}")
    return problems


def _check_assessments(  # type: ignore[no-untyped-def]
    db, org: Org, saves: dict[str, int], sent: dict[str, int], finalized: set[str]
) -> list[str]:
    problems = []
    rows = db.execute(
        text(
            "SELECT p.email, a.rater, a.state, r.comment, count(r.rating) FROM assessments a "
            "JOIN people p ON p.id = a.person_id LEFT JOIN ratings r ON r.assessment_id = a.id "
            "GROUP BY p.email, a.rater, a.state, r.comment"
        )
    ).all()
    groups: dict[tuple[str, str], list[tuple[str, str | None, int]]] = {}
    for email, rater, state, comment, count in rows:
        groups.setdefault((email, rater), []).append((state, comment, count))
    for (email, rater), found in groups.items():
        if len(found) != 1:
            problems.append(f"{email} {rater}: ratings from several writes {found}")
            continue
        state, comment, count = found[0]
        if rater == "self" and comment:
            n = int(comment[1:])
            if count != len(ratings_of(org, n, "")):
                problems.append(f"{email} self: write {n} half-stored ({count} ratings)")
            if n < saves.get(email, 0) or n > sent.get(email, 0):
                problems.append(f"{email} self: holds write {n}, acknowledged {saves.get(email)}")
        elif rater == "manager" and (comment or state != "draft") and count != REVIEW_SIZE:
            problems.append(f"{email} manager: {state}, half-stored ({count} ratings)")
        if rater == "manager" and email in finalized and state != "finalized":
            problems.append(f"{email}: acknowledged finalize lost (state {state})")
    for email, n in saves.items():
        if (email, "self") not in groups:
            problems.append(f"{email} self: acknowledged write {n} lost")
    return problems


def _wait_for_write(probe: Path, timeout: float) -> bool:
    """Until the server holds uncommitted writes (see launcher.py); False on timeout."""
    with probe.open("rb") as handle, mmap.mmap(handle.fileno(), 1, prot=mmap.PROT_READ) as state:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if state[0:1] == b"W":
                return True
            time.sleep(0.0001)
    return False


def died_during(probe: Path) -> str:
    """What the server was doing when it was killed, from its probe file."""
    data = probe.read_bytes()
    request = data[1:].decode().strip()
    method, _, path = request.partition(" ")
    what = (
        "ladder upload"
        if path.endswith("/ladders/store")
        else "finalize"
        if path.endswith("/finalize")
        else "submit"
        if path.endswith("/submit")
        else "assessment save"
        if method == "PUT"
        else "a read"
    )
    if data[:1] == b"W":
        return f"uncommitted write ({what})"
    return "open transaction" if data[:1] == b"R" else "between transactions"


def crash_loop(url: str, kills: int, seed: int, probe: Path) -> None:
    org = build_org(url, engineers=SAVED + kills * 10)
    port = free_port()
    launcher = Launcher(url)
    writers = Writers(port, org)
    rng = random.Random(seed)
    mid_write: Counter[str] = Counter()
    at_death: Counter[str] = Counter()
    seen_writing = 0
    problems: list[str] = []
    writers.start()
    started = time.monotonic()
    up_wait = checks = 0.0
    try:
        for round_ in range(kills):
            pid = launcher.serve(port, probe)
            before = time.monotonic()
            wait_until_up(port)
            up_wait += time.monotonic() - before
            writers.up.set()
            # let at least one write through; then, three rounds in four, kill as soon as
            # the server is inside a transaction that has written and not committed
            writers.progress(timeout=5)
            if round_ % 4 != 3:
                seen_writing += _wait_for_write(probe, timeout=3)
            else:
                time.sleep(rng.uniform(0.0, 0.3))
            mid_write.update(name for name, busy in writers.in_flight.items() if busy)
            writers.up.clear()
            os.kill(pid, signal.SIGKILL)
            launcher.reap(pid)
            at_death[died_during(probe)] += 1
            before = time.monotonic()
            problems += check(url, org, writers)
            checks += time.monotonic() - before
    finally:
        writers.close()
        launcher.close()
    print(
        f"\n{kills} SIGKILLs on {url.split(':')[0]}; "
        f"requests outstanding at the kills: {dict(mid_write)}; "
        f"the server was in: {dict(at_death)} (seen writing {seen_writing}); "
        f"acknowledged: {dict(writers.acks)}; problems: {len(problems)}; "
        f"{time.monotonic() - started:.0f} s (start-up {up_wait:.0f} s, checks {checks:.0f} s)"
    )
    assert not problems, problems[:10]
    assert not writers.unexpected, writers.unexpected[:10]
    assert sum(writers.acks.values()) > kills // 2  # the writers got real work done


def test_sigkill_during_writes_on_sqlite_loses_nothing_acknowledged(tmp_path: Path) -> None:
    crash_loop(f"sqlite:///{tmp_path / 'crash.db'}", kills=50, seed=1, probe=tmp_path / "probe")


@pytest.mark.skipif(not POSTGRES_URL, reason="SKILLGRID_TEST_DATABASE_URL not set")
def test_sigkill_during_writes_on_postgresql_loses_nothing_acknowledged(
    postgres_server: str, tmp_path: Path
) -> None:
    engine = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    crash_loop(postgres_server, kills=20, seed=2, probe=tmp_path / "probe")
