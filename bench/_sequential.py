"""One request at a time, for ratios measured in the same run: a bare FastAPI hello, the
growth page (a different person each time), a rating save (the page's autosave), and — when
``bench/floor_app.py`` exists — the same growth data read with the bare driver and rendered
with the same template (the "floor" a page cannot beat)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from _http import Pool, Request
from _mix import MIX, Picker, Planned, at, get, refresh_path, refreshed, save_of
from _seed import Week

HELLO = "bare FastAPI hello"
GROWTH = "growth page"
SAVE = "rating save"
FLOOR = "floor growth page"
WARM_UP = 20  # rounds not counted: the hello and floor servers start cold


@dataclass(frozen=True)
class Subject:
    name: str
    pool: Pool
    make: Callable[[int], Planned]  # the request of round i


def subjects(week: Week, ports: dict[str, int], rng: random.Random) -> list[Subject]:
    """What is timed: each round asks each server once, interleaved so that noise on the
    shared machine hits all alike; round i is about engineer i (no page twice)."""
    people = week.engineers
    half = len(people) // 2

    def growth(i: int) -> Planned:
        e = people[i % len(people)]
        return get(GROWTH, e, f"/people/{at(e.email)}/growth")

    def save(i: int) -> Planned:
        return save_of(people[(i + half) % len(people)], week.criteria, rng)

    def hello(_: int) -> Planned:
        return Planned(HELLO, Request("GET", "/hello"))

    def pool(server: str) -> Pool:  # one connection each: the server's work, not a handshake
        return Pool("127.0.0.1", ports[server], shared=True)

    found = [
        Subject(HELLO, pool(HELLO), hello),
        Subject(GROWTH, pool(GROWTH), growth),
        Subject(SAVE, pool(GROWTH), save),
    ]
    if FLOOR in ports:  # the same person's page, from the floor server
        found.append(Subject(FLOOR, pool(FLOOR), growth))
    return found


async def one_at_a_time(subjects: list[Subject], rounds: int) -> dict[str, list[float]]:
    """Seconds each request took, by subject; a failed request stops the measurement."""
    times: dict[str, list[float]] = {s.name: [] for s in subjects}
    for i in range(-WARM_UP, rounds):
        for subject in subjects:
            took, status = await timed(subject.pool, partial(subject.make, i + WARM_UP))
            if status != "ok":
                raise RuntimeError(f"{subject.name}: {status}")
            if i >= 0:
                times[subject.name].append(took)
    for subject in subjects:
        subject.pool.close()
    return times


async def by_kind(week: Week, port: int, rounds: int, rng: random.Random) -> dict[str, list[float]]:
    """Each kind of request of the mix, one at a time, ``rounds`` times (interleaved): what
    each costs the server when nothing queues."""
    pick, pool = Picker(rng), Pool("127.0.0.1", port, shared=True)
    times: dict[str, list[float]] = {kind.name: [] for kind in MIX}
    for _ in range(rounds):
        for kind in MIX:
            took, status = await timed(pool, partial(kind.make, week, pick))
            if status != "ok":
                raise RuntimeError(f"{kind.name}: {status}")
            times[kind.name].append(took)
    pool.close()
    return times


async def timed(pool: Pool, make: Callable[[], Planned]) -> tuple[float, str]:
    """Seconds one request took and whether it was answered as expected. A save refused as
    stale (the revision known here is behind after an overloaded run, whose timed-out
    saves the server may still have stored) is retried once with the revision read again."""
    for attempt in (1, 2):
        planned = make()
        began = time.perf_counter()
        try:
            response = await pool.send(planned.request, 30)
        finally:
            if planned.engineer is not None:
                planned.engineer.busy = False
        took = time.perf_counter() - began
        if planned.after is not None:
            planned.after(response)
        if response.status == 409 and planned.engineer is not None and attempt == 1:
            path = refresh_path(planned.engineer)
            cookie = (("Cookie", planned.engineer.cookie),)
            refreshed(planned.engineer, await pool.send(Request("GET", path, cookie), 30))
            continue
        if response.status != planned.expect:
            return took, f"{response.status} {response.body[:200]!r}"
        return took, "ok"
    raise AssertionError("unreachable")
