"""``skillgrid report person EMAIL --format md|json`` for one person on a 10,000-person
database, as a ratio to the cold start of ``skillgrid --help`` in the same run. Target ≤ 2×.

Builds (once, cached in --db, or in the empty database at --url) 10,000 people in 100 teams,
each with a finalized manager assessment on the SRE ladder, brings it to the newest schema
(so the report takes its quick read-only path), then times the commands as separate
processes, interleaved.
Run: python bench/report_bench.py [--people N] [--runs N] [--db PATH | --url URL]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from _timing import measure, report
from leveling_bench import people as ratings_for


def build(url: str, count: int) -> None:
    from sqlalchemy import insert, select

    from skillgrid.db.engine import make_engine, make_session_factory
    from skillgrid.db.migrate import upgrade
    from skillgrid.db.tables import AssessmentRow, CycleRow, PersonRow, RatingRow, TeamRow
    from skillgrid.db.unit_of_work import SqlAlchemyUnitOfWork
    from skillgrid.services import cycles, frameworks

    engine = make_engine(url)
    upgrade(engine)
    uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
    ladder = frameworks.install_builtin(uow).framework
    cycles.open_cycle(uow, "2026-H2", "sre")
    uid_of = {c.id: c.uid for c in ladder.criteria}
    started = time.perf_counter()
    with engine.begin() as connection:
        connection.execute(insert(TeamRow), [{"name": f"Team {t:03d}"} for t in range(100)])
        connection.execute(
            insert(PersonRow),
            [
                {
                    "email": f"boss{t:03d}@example.com",
                    "name": f"Boss {t}",
                    "team_id": t + 1,
                    "role": "manager",
                    "active": True,
                }
                for t in range(100)
            ],
        )
        connection.execute(
            insert(PersonRow),
            [
                {
                    "email": f"p{i:05d}@example.com",
                    "name": f"Person {i}",
                    "team_id": i % 100 + 1,
                    "manager_id": i % 100 + 1,
                    "role": "engineer",
                    "active": True,
                }
                for i in range(count)
            ],
        )
        cycle_id = connection.execute(select(CycleRow.id)).scalar_one()
        ids = dict(connection.execute(select(PersonRow.email, PersonRow.id)).all())
        connection.execute(
            insert(AssessmentRow),
            [
                {
                    "person_id": ids[f"p{i:05d}@example.com"],
                    "cycle_id": cycle_id,
                    "rater": "manager",
                    "state": "finalized",
                    "revision": 3,
                }
                for i in range(count)
            ],
        )
        assessment_ids = dict(
            connection.execute(select(AssessmentRow.person_id, AssessmentRow.id)).all()
        )
        batch = []
        for i, ratings in enumerate(ratings_for(list(uid_of), count)):
            aid = assessment_ids[ids[f"p{i:05d}@example.com"]]
            batch += [
                {
                    "assessment_id": aid,
                    "criterion_uid": uid_of[cid],
                    "rating": r.value,
                    "reason": "n/a here" if r.value == "n/a" else None,
                }
                for cid, r in ratings.items()
            ]
            if len(batch) > 50_000:
                connection.execute(insert(RatingRow), batch)
                batch = []
        if batch:
            connection.execute(insert(RatingRow), batch)
    engine.dispose()
    print(f"built {count:,} people in {time.perf_counter() - started:.1f} s")


def has_people(url: str) -> bool:
    """Whether the database at ``url`` was built already (brought to the newest schema)."""
    from sqlalchemy import func, select

    from skillgrid.db.engine import make_engine
    from skillgrid.db.migrate import current_revision, upgrade
    from skillgrid.db.tables import PersonRow

    engine = make_engine(url)
    try:
        if current_revision(engine) is None:
            return False
        upgrade(engine)
        with engine.connect() as connection:
            return bool(connection.execute(select(func.count()).select_from(PersonRow)).scalar())
    finally:
        engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, default=Path("/tmp/skillgrid-report-bench.db"))
    parser.add_argument("--url", help="an empty PostgreSQL database, say, instead of --db")
    args = parser.parse_args()
    url = args.url or f"sqlite:///{args.db}"
    if not has_people(url):
        build(url, args.people)
    env = {**os.environ, "SKILLGRID_DATABASE_URL": url}
    command = [sys.executable, "-m", "skillgrid"]

    def run(*extra: str):  # type: ignore[no-untyped-def]
        return lambda: subprocess.run([*command, *extra], env=env, check=True, capture_output=True)

    times = measure(
        args.runs,
        help_cold_start=run("--help"),
        report_person_json=run("report", "person", "p04242@example.com", "--format", "json"),
        report_person_md=run("report", "person", "p04242@example.com", "--format", "md"),
        # information: what Typer costs before any command's own code runs (it coerces every
        # parameter with pydantic): a --format it refuses stops the process right there
        typer_floor=lambda: subprocess.run(
            [*command, "report", "person", "p04242@example.com", "--format", "nope"],
            env=env,
            capture_output=True,
            check=False,
        ),
        # information: the imports the SQLAlchemy path would add before reading a row
        sqlalchemy_floor=lambda: subprocess.run(
            [sys.executable, "-c", "import skillgrid.cli, sqlalchemy.orm, pydantic_settings"],
            check=True,
        ),
    )
    targets = {"report_person_json": 2.0, "report_person_md": 2.0}
    return 0 if report(times, "help_cold_start", targets) else 1


if __name__ == "__main__":
    sys.exit(main())
