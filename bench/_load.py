"""The open loop: requests leave at a fixed arrival rate (evenly spaced, or Poisson), never
waiting for earlier answers, and each latency counts from the moment the request was due,
so a queue in the client or the server shows in the numbers instead of slowing the arrivals
(no coordinated omission)."""

from __future__ import annotations

import asyncio
import gc
import os
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from _http import Pool, Request, Response
from _mix import REFRESH, WRITES, Planned, refresh_path, refreshed
from _servers import machine_cpu_seconds


@dataclass
class Stats:
    """What one measured stretch of the loop saw."""

    latencies: dict[str, list[float]] = field(default_factory=dict)  # kind → seconds
    errors: Counter[str] = field(default_factory=Counter)  # kind → errors
    conflicts: Counter[str] = field(default_factory=Counter)  # kind → 409 answers
    conflict_reasons: Counter[str] = field(default_factory=Counter)  # why the 409s
    statuses: Counter[str] = field(default_factory=Counter)  # what the errors were
    lags: list[float] = field(default_factory=list)  # how late the client sent
    timeline: list[tuple[float, float]] = field(default_factory=list)  # (due, latency)
    seconds: float = 0.0  # from the first measured due time to the last measured answer
    client_cpu: float = 0.0  # share of one core the client process used
    server_cpu: float = 0.0  # cores the server processes used on average
    other_cpu: float = 0.0  # cores the machine's other processes used meanwhile
    withheld_cpu: float = 0.0  # cores the host did not run the machine on (unreported steal)
    connections: int = 0

    def add(self, kind: str, latency: float, outcome: str, answer: Response | None) -> None:
        self.latencies.setdefault(kind, []).append(latency)
        if outcome == "409":
            self.conflicts[kind] += 1
            self.conflict_reasons[_reason(answer)] += 1
        elif outcome != "ok":
            self.errors[kind] += 1
            self.statuses[outcome] += 1

    def all(self, writes: bool) -> list[float]:
        return [t for k, ts in self.latencies.items() if (k in WRITES) == writes for t in ts]

    @property
    def count(self) -> int:
        return sum(len(ts) for ts in self.latencies.values())

    @property
    def achieved(self) -> float:
        """Requests answered without error (a 409 is an answer) per second: what the
        server got done, however late."""
        return (self.count - sum(self.errors.values())) / self.seconds if self.seconds else 0.0


def _reason(answer: Response | None) -> str:
    """Why a write was refused with 409: the revision it named was not the current one, or
    the database refused it for another writer's change at the same moment."""
    body = answer.body if answer is not None else b""
    if b"someone else changed the same data at the same moment" in body:
        return "another write at the same moment (SQLite lock or unique key)"
    if b"is at revision" in body:
        return "stale revision"
    return "other"


@dataclass
class Loop:
    """An open loop of ``rate`` requests a second drawn by ``plan`` against ``pool``."""

    pool: Pool
    plan: Callable[[], Planned]
    rng: random.Random
    poisson: bool = False
    timeout: float = 30.0
    server_cpu: Callable[[], float] = lambda: 0.0  # CPU seconds of the server so far

    async def run(self, rate: float, seconds: float, warmup: float) -> Stats:
        """``warmup`` seconds not counted, then ``seconds`` measured, at the same rate. The
        client's own garbage collection is off meanwhile (collected after): a pause of the
        client's event loop delays sending and reading alike, and would be counted as the
        server's latency."""
        gc.collect()
        gc.freeze()  # the week and the pool: nothing to walk again
        gc.disable()
        try:
            return await self._run(rate, seconds, warmup)
        finally:
            gc.enable()
            gc.collect()

    async def _run(self, rate: float, seconds: float, warmup: float) -> Stats:
        loop = asyncio.get_running_loop()
        stats, pending = Stats(), set()
        start = loop.time() + 0.05
        offset, first_counted = 0.0, start + warmup
        meters = None
        while offset < warmup + seconds:
            due = start + offset
            if (delay := due - loop.time()) > 0:
                await asyncio.sleep(delay)
            if meters is None and due >= first_counted:
                meters = self._meters()
            counted = stats if due >= first_counted else None
            task = asyncio.create_task(self._one(self.plan(), due, counted))
            pending.add(task)
            task.add_done_callback(pending.discard)
            offset += self.rng.expovariate(rate) if self.poisson else 1 / rate
        await asyncio.gather(*pending)
        stats.seconds = loop.time() - first_counted
        self._cpu_shares(stats, meters or self._meters())
        stats.connections = self.pool.opened
        return stats

    def _meters(self) -> tuple[float, float, float, float, float]:
        """Wall clock, CPU seconds of the client, the server and the whole machine, and
        the seconds the kernel accounted for (idle included)."""
        return time.monotonic(), time.process_time(), self.server_cpu(), *machine_cpu_seconds()

    def _cpu_shares(self, stats: Stats, began: tuple[float, float, float, float, float]) -> None:
        wall, client, server, machine, accounted = (
            b - a for a, b in zip(began, self._meters(), strict=True)
        )
        stats.client_cpu, stats.server_cpu = client / wall, server / wall
        stats.other_cpu = max(0.0, machine - client - server) / wall
        stats.withheld_cpu = max(0.0, wall * (os.cpu_count() or 1) - accounted) / wall

    async def _one(self, planned: Planned, due: float, stats: Stats | None) -> None:
        loop = asyncio.get_running_loop()
        if stats is not None:
            stats.lags.append(loop.time() - due)
        response, outcome = await self._send(planned.request, planned.expect)
        if stats is not None:
            stats.add(planned.kind, loop.time() - due, outcome, response)
            stats.timeline.append((due, loop.time() - due))
        try:
            if response is not None and planned.after is not None:
                planned.after(response)
            if outcome == "409" and planned.engineer is not None:
                await self._refresh(planned, stats)
        finally:
            if planned.engineer is not None:
                planned.engineer.busy = False

    async def _refresh(self, planned: Planned, stats: Stats | None) -> None:
        """What the browser does after a 409: read the assessment again."""
        engineer = planned.engineer
        assert engineer is not None
        began = asyncio.get_running_loop().time()
        request = Request("GET", refresh_path(engineer), (("Cookie", engineer.cookie),))
        response, outcome = await self._send(request, 200)
        if stats is not None:
            stats.add(REFRESH, asyncio.get_running_loop().time() - began, outcome, response)
        if response is not None:
            refreshed(engineer, response)

    async def _send(self, request: Request, expect: int) -> tuple[Response | None, str]:
        """The answer and its outcome: ok, 409 (a write refused as stale) or what failed."""
        try:
            response = await self.pool.send(request, self.timeout)
        except TimeoutError:
            return None, "timeout"
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            return None, type(error).__name__
        if response.status == expect:
            return response, "ok"
        if response.status == 409 and request.method == "POST":
            return response, "409"
        if response.status == 303 and "/login" in response.headers.get("location", ""):
            return response, "303 to /login"
        return response, str(response.status)
