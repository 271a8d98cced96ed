"""A review week at 10,000 engineers, as an open-loop load test of ``skillgrid serve``.

A copy of a 10,000-person demo (4 closed cycles) gets a new open cycle, 2,000 engineers in
whole teams, their managers and an admin signed in, and half the engineers part-way through
their self-assessment. Then requests arrive at a fixed rate (or Poisson) whatever the
answers: 90% reads (growth, self-assessment, manager review, team, insight and ladder pages;
results and assessment JSON), 10% writes (autosaves, evidence, submits) — the table is
``MIX`` in bench/_mix.py. Latency counts from when a request was due, so queueing shows.
Each person's browser has connections of its own (``--shared-connections``: one pool for
all, as behind a reverse proxy).
After the load: each worker's peak memory, and one-at-a-time medians beside a bare FastAPI
hello (and the "floor" server of bench/floor_app.py when that file exists).

Targets:
  SQLite      200 req/s held 60 s: reads p99 ≤ 100 ms, writes p99 ≤ 150 ms, no errors
  PostgreSQL  150 req/s held 60 s: the same p99s
  peak resident memory ≤ 300 MB per worker; one at a time: growth page median ≤ 3 ms,
  rating save ≤ 5 ms, growth page ≤ 1.5× the floor server's
Run (from the repository, in the project's virtualenv):
  python bench/review_week.py --rate 200 --seconds 60
  python bench/review_week.py --template /work/benchdata/big.db --rate 50 --seconds 15
  python bench/review_week.py --find-max
  python bench/review_week.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test
The SQLite template is built into --cache-dir when missing (skillgrid demo, ~2.5 min); the
PostgreSQL one is the database skillgrid_bench_<N>_template on that server. Each run works on
a copy, deleted (dropped) afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import _report
from _databases import postgres_run, sqlite_run
from _http import Pool
from _load import Loop, Stats
from _mix import planner
from _seed import Week, prepare
from _sequential import FLOOR, GROWTH, HELLO, SAVE, WARM_UP, by_kind, one_at_a_time, subjects
from _servers import (
    HERE,
    SKILLGRID,
    UVICORN,
    cpu_seconds,
    peak_rss_mb,
    start,
    stop,
    wait_healthy,
    workers,
)

FIND_MAX_RATES = (25, 50, 100, 150, 200, 250, 300, 400, 500, 650, 800, 1000)
PEAK_RSS_MB = 300


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add = parser.add_argument
    add("--rate", type=float, default=200, help="requests a second (default 200)")
    add("--seconds", type=float, default=60, help="measured seconds (default 60)")
    add("--warmup", type=float, default=5, help="seconds at the same rate, not counted")
    add("--poisson", action="store_true", help="Poisson arrivals instead of even spacing")
    add(
        "--shared-connections",
        action="store_true",
        help="all browsers share one pool of keep-alive connections (as behind a proxy)",
    )
    add("--find-max", action="store_true", help="step the rate up; print the highest held")
    add("--step-seconds", type=float, default=20, help="measured seconds per --find-max step")
    add("--workers", type=int, default=2, help="skillgrid serve --workers (default 2)")
    add("--database-url", help="a PostgreSQL server URL (default: SQLite)")
    add("--template", type=Path, help="an existing SQLite demo to copy")
    add("--cache-dir", type=Path, default=Path("~/.cache/skillgrid-bench"), help="SQLite templates")
    add("--people", type=int, default=10_000, help="size of a template built here")
    add("--engineers", type=int, default=2_000, help="engineers signed in (whole teams)")
    add("--sequential", type=int, default=300, help="one-at-a-time requests per subject")
    add("--timeout", type=float, default=30, help="seconds before a request is an error")
    add("--seed", type=int, default=7)
    return parser.parse_args()


def main() -> int:
    args = arguments()
    backend = "postgresql" if (args.database_url or "").startswith("postgres") else "sqlite"
    with database(args, backend) as url:
        began = time.monotonic()
        week = prepare(url, args.engineers, args.seed)
        print(
            f"week prepared in {time.monotonic() - began:.0f} s: {len(week.engineers)} "
            f"engineers, {len(week.managers)} managers "
            f"({sum(m.team is not None for m in week.managers)} with a team insight page), "
            f"{sum(e.state != 'none' for e in week.engineers)} self-assessments under way",
            flush=True,
        )
        return benchmark(args, backend, url, week)


@contextlib.contextmanager
def database(args: argparse.Namespace, backend: str) -> Iterator[str]:
    if backend == "postgresql":
        with postgres_run(args.database_url, args.people) as url:
            yield url
    else:
        with sqlite_run(args.template, args.cache_dir, args.people) as url:
            yield url


def benchmark(args: argparse.Namespace, backend: str, url: str, week: Week) -> int:
    env = {**os.environ, "SKILLGRID_DATABASE_URL": url}
    with tempfile.TemporaryFile() as log:
        server, port = serve(args, env, log)
        try:
            ok = asyncio.run(load(args, backend, port, server.pid, week))
            ok &= memory(server.pid)
        finally:
            stop(server)  # and with it any backlog an overload left
            errors_logged(log)
    return 0 if timings(args, env, week) and ok else 1


def serve(
    args: argparse.Namespace, env: dict[str, str], log: IO[bytes] | None = None
) -> tuple[subprocess.Popen[bytes], int]:
    server, port = start([*SKILLGRID, "serve", "--workers", str(args.workers)], env, log)
    try:
        wait_healthy(port)
    except BaseException:
        stop(server)
        raise
    return server, port


async def load(args: argparse.Namespace, backend: str, port: int, pid: int, week: Week) -> bool:
    rng = random.Random(args.seed)
    pool = Pool("127.0.0.1", port, shared=args.shared_connections)
    server_cpu = lambda: cpu_seconds([pid, *workers(pid)])  # noqa: E731
    loop = Loop(pool, planner(week, rng), rng, args.poisson, args.timeout, server_cpu)
    try:
        if args.find_max:
            return await find_max(loop, args.step_seconds)
        print(
            f"\n{args.rate:.0f} req/s for {args.seconds:.0f} s ({backend}, {args.workers} workers)"
        )
        before = {worker: cpu_seconds([worker]) for worker in workers(pid)}
        stats = await loop.run(args.rate, args.seconds, args.warmup)
        spent = {worker: cpu_seconds([worker]) - cpu for worker, cpu in before.items()}
    finally:
        pool.close()
    _report.table(stats)
    _report.summary(stats, args.rate, backend)
    total = sum(spent.values()) or 1.0
    shares = " / ".join(f"{cpu / total:.0%}" for cpu in spent.values())
    print(f"the workers' shares of the server's CPU (a balanced spread is even): {shares}")
    _report.worst_seconds(stats)
    _report.verdict(stats, args.rate, args.seconds, backend)
    return _report.passes(stats)


async def find_max(loop: Loop, seconds: float) -> bool:
    """Step the rate up until a step misses the p99 targets or errs; print the last held."""
    held = None
    print(f"\nstepping the rate up, {seconds:.0f} s a step (after 3 s not counted):")
    for rate in FIND_MAX_RATES:
        stats = await loop.run(rate, seconds, warmup=3)
        line(rate, stats)
        if not _report.passes(stats):
            break
        held = rate
    print(
        "highest rate held (reads p99 ≤ 100 ms, writes p99 ≤ 150 ms, no errors): "
        + (f"{held} req/s" if held else f"none, not even {FIND_MAX_RATES[0]} req/s")
    )
    return held is not None


def line(rate: float, stats: Stats) -> None:
    reads, writes = stats.all(writes=False), stats.all(writes=True)
    print(
        f"  {rate:5.0f} req/s: achieved {stats.achieved:6.1f}, reads p99 "
        f"{_report.percentile(reads, 0.99):7.1f} ms, writes p99 "
        f"{_report.percentile(writes, 0.99):7.1f} ms, errors {sum(stats.errors.values())}, "
        f"409s {sum(stats.conflicts.values())}, client CPU {stats.client_cpu:.0%}, "
        f"server {stats.server_cpu:.2f} cores, others {stats.other_cpu:.2f} cores",
        flush=True,
    )


def memory(pid: int) -> bool:
    """Each worker's peak resident memory so far (VmHWM)."""
    peaks = {worker: peak_rss_mb(worker) for worker in workers(pid)}
    shown = ", ".join(f"pid {w}: {mb:.0f} MB" for w, mb in peaks.items())
    ok = all(mb <= PEAK_RSS_MB for mb in peaks.values())
    print(f"\npeak RSS per worker: {shown} (target ≤ {PEAK_RSS_MB} MB: {_report.met(ok)})")
    return ok


def timings(args: argparse.Namespace, env: dict[str, str], week: Week) -> bool:
    """One request at a time against SkillGrid (restarted: no backlog of the load), the
    bare hello and, if there is one, the floor server."""
    if args.sequential <= 0:
        return True
    with tempfile.TemporaryFile() as log:  # SkillGrid's request log: its time per request
        return _timings(args, env, week, log)


def _timings(args: argparse.Namespace, env: dict[str, str], week: Week, log: IO[bytes]) -> bool:
    servers = [serve(args, env, log), start([*UVICORN, "hello_app:app"], env)]
    ports = {GROWTH: servers[0][1], HELLO: servers[1][1]}
    # bench/floor_app.py reads the same growth data with the bare driver and renders the
    # same template, on the same database and sessions
    if (HERE / "floor_app.py").exists():
        servers.append(start([*UVICORN, "floor_app:app"], env))
        ports[FLOOR] = servers[-1][1]
    try:  # uvicorn listens once the app has started
        rng = random.Random(args.seed)
        times = asyncio.run(one_at_a_time(subjects(week, ports, rng), args.sequential))
        server = server_times(log)
        kinds = asyncio.run(by_kind(week, ports[GROWTH], max(10, args.sequential // 10), rng))
    except (RuntimeError, OSError) as error:
        print(f"\none request at a time: failed ({error})")
        return False
    finally:
        stop(*(process for process, _ in servers))
    print("\none request at a time (medians):")
    ok = _report.sequential(times, server, FLOOR if FLOOR in ports else None)
    _report.costs(kinds)
    return ok


SERVER_TIMED = {  # what the request log calls the one-at-a-time requests
    ("GET", "/people/{email}/growth"): GROWTH,
    ("POST", "/people/{email}/assess/{cycle}/{rater}"): SAVE,
}


def server_times(log: IO[bytes]) -> dict[str, list[float]]:
    """The server's own time (its request log's ``duration_ms``: from the first middleware
    to the last byte handed to the server) of the one-at-a-time requests, warm-up left out."""
    log.seek(0)
    found: dict[str, list[float]] = {name: [] for name in SERVER_TIMED.values()}
    for raw in log:
        try:
            entry = json.loads(raw)
        except ValueError:
            continue
        name = SERVER_TIMED.get((entry.get("method"), entry.get("route")))
        if name is not None and entry.get("message") == "request":
            found[name].append(entry["duration_ms"] / 1000)
    return {name: values[WARM_UP:] for name, values in found.items()}


def errors_logged(log: IO[bytes]) -> None:
    """What the server logged as errors, grouped by route and the exception's last line."""
    log.seek(0)
    found: Counter[str] = Counter()
    for raw in log:
        text = raw.decode(errors="replace")
        if "Traceback" not in text and '"level": "ERROR"' not in text:
            continue
        try:
            entry = json.loads(text)
        except ValueError:
            found[text.strip()[:200]] += 1
            continue
        last = (entry.get("exception") or "").strip().splitlines()[-1:] or [""]
        found[f"{entry.get('route')} {entry.get('status')}: {last[0][:200]}"] += 1
    for what, count in found.most_common(8):
        print(f"server logged {count}× {what}")


if __name__ == "__main__":
    sys.exit(main())
