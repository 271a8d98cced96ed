"""Team and org reports at scale: a synthetic organisation (10,000 people × 90 criteria × 4
cycles by default) on SQLite and PostgreSQL; each report section (coverage, distribution,
calibration, movement) for the whole org, timed warm, as a ratio to a bare
``SELECT count(*)`` over the summary table in the same run; then the admin's pages of the
whole org over HTTP from a real server (the heatmap, the team page and its first page in
the API, the admin page), with their sizes and the server's peak memory.

Targets: each report ≤ 10× that scan and ≤ 200 ms warm; server RSS under 400 MB throughout.
The databases are built once (minutes) and kept for later runs.

Run: python bench/org_bench.py [--people 10000] [--cycles 4] [--backend sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _servers import UVICORN, sign_in, start, stop
from _timing import measure

POSTGRES = os.environ.get(
    "SKILLGRID_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
SECTIONS = ("coverage", "distribution", "calibration", "movement")


def database(backend: str, people: int, cycles: int) -> str:
    name = f"skillgrid_org_{people}x{cycles}"
    if backend == "sqlite":
        return f"sqlite:////tmp/{name}.db"
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        ).scalar()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)


def build(url: str, people: int, cycles: int) -> None:
    from skillgrid.db.engine import make_engine, make_session_factory
    from skillgrid.db.migrate import upgrade
    from skillgrid.db.unit_of_work import SqlAlchemyUnitOfWork
    from skillgrid.domain.assessments import OPERATOR
    from skillgrid.services.people import list_people
    from skillgrid.services.synthetic import build_synthetic

    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)

    def make() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(factory)

    if list_people(make(), OPERATOR):
        return
    started = time.perf_counter()

    def progress(step: str, done: int, total: int) -> None:
        if done % 5000 < 500 or done == total:
            print(f"  built {done:,}/{total:,} person-cycles", file=sys.stderr)

    build_synthetic(make, people, cycles, progress=progress)
    print(f"  built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    engine.dispose()


def reports(url: str, runs: int) -> dict[str, list[float]]:
    from sqlalchemy import text

    from skillgrid.db.engine import make_engine, make_session_factory
    from skillgrid.db.unit_of_work import SqlAlchemyUnitOfWork
    from skillgrid.domain.assessments import OPERATOR
    from skillgrid.services.insight import team_report

    engine = make_engine(url)
    factory = make_session_factory(engine)

    def scan() -> None:
        with engine.connect() as connection:
            connection.execute(text("SELECT count(*) FROM official_tracks")).scalar()

    def section(name: str):  # type: ignore[no-untyped-def]
        return lambda: team_report(
            SqlAlchemyUnitOfWork(factory), OPERATOR, None, sections=frozenset({name})
        )

    subjects = {"count(*) summaries": scan, **{name: section(name) for name in SECTIONS}}
    measure(1, **subjects)  # warm: caches, the ladder, connections
    times = measure(runs, **subjects)
    engine.dispose()
    return times


PAGES = {
    "heatmap page": "/insight",
    "team page": "/team",
    "team API": "/api/v1/team",  # its first page, as a client starts reading everyone
    "admin page": "/admin",
}


def pages(url: str, runs: int) -> tuple[dict[str, list[float]], dict[str, int], int, int]:
    """The admin's pages of the whole organisation over HTTP (the org heatmap, the team page
    of everyone and the team API's first page, the administration page): times and sizes,
    and the server's RSS now and at its peak."""
    import httpx2 as httpx

    env = {**os.environ, "SKILLGRID_DATABASE_URL": url, "SKILLGRID_LOG_LEVEL": "WARNING"}
    process, port = start([*UVICORN, "--factory", "skillgrid.web.app:serving_app"], env)
    try:
        cookie = sign_in(port, "admin@example.com", "skillgrid-demo")
        times: dict[str, list[float]] = {name: [] for name in PAGES}
        sizes: dict[str, int] = {}
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"Cookie": cookie}) as c:
            for _ in range(runs + 1):  # interleaved; the first round warms up
                for name, path in PAGES.items():
                    started = time.perf_counter()
                    page = c.get(path, timeout=60)
                    times[name].append(time.perf_counter() - started)
                    assert page.status_code == 200, (path, page.status_code)
                    sizes[name] = len(page.content)
            c.get("/api/v1/org/report", timeout=120)  # the heaviest read counts toward the peak
        status = Path(f"/proc/{process.pid}/status").read_text()
        fields = {
            k: v.split()[0]
            for k, _, v in (x.partition(":") for x in status.splitlines())
            if v.split()
        }
        kept = {name: taken[1:] for name, taken in times.items()}
        return kept, sizes, int(fields["VmRSS"]) // 1024, int(fields["VmHWM"]) // 1024
    finally:
        stop(process)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--cycles", type=int, default=4)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    ok = True
    for backend in backends:
        url = database(backend, args.people, args.cycles)
        print(f"{backend}: {args.people:,} people × 90 criteria × {args.cycles} cycles")
        build(url, args.people, args.cycles)
        times = reports(url, args.runs)
        base = min(times["count(*) summaries"])
        print(f"  {'count(*) summaries':<14} best {base * 1000:7.2f} ms")
        for name in SECTIONS:
            best, median = min(times[name]), statistics.median(times[name])
            good = best / base <= 10 and best <= 0.2
            ok &= good
            print(
                f"  {name:<14} best {best * 1000:7.2f} ms  median {median * 1000:7.2f} ms  "
                f"{best / base:6.1f}× the scan  {'ok' if good else 'MISSED'}"
            )
        taken, sizes, rss, peak = pages(url, args.runs)
        for name, page in taken.items():
            best = min(page)
            good = best / base <= 10 and best <= 0.2  # the targets are the heatmap's
            ok &= good or name != "heatmap page"
            print(
                f"  {name:<14} best {best * 1000:7.2f} ms  median "
                f"{statistics.median(page) * 1000:7.2f} ms  {best / base:6.1f}× the scan  "
                f"{sizes[name] / 1024:6.0f} KB  {'ok' if good else 'MISSED'}"
            )
        ok &= peak < 400
        print(f"  server RSS {rss} MB (peak {peak} MB)  {'ok' if peak < 400 else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
