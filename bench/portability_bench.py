"""export-all / import-all / backup on a big organisation: time and peak memory.

    .venv/bin/python bench/portability_bench.py --people 10000 --cycles 4 [--postgres URL]

Builds (once, cached in --dir) a SQLite database of N people on the SRE ladder with a self
and a manager assessment of every criterion in each of K cycles, then runs each step as a
separate ``skillgrid`` process and prints its wall time and peak RSS, with ratios against
the baseline of reading every row with plain sqlite3 (``SELECT *``), measured in the same
run. With --postgres (a server URL; a database of its own is created and dropped) it also
moves the organisation to PostgreSQL and back and checks the exports are byte-identical.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import random
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).parents[1]
SKILLGRID = str(ROOT / ".venv" / "bin" / "skillgrid")
RATINGS = ("not_yet", "developing", "meets", "exceeds")


def build(path: Path, people: int, cycles: int) -> None:
    """The organisation, bulk-inserted with plain sqlite3 after the ladder is installed."""
    env = {**os.environ, "SKILLGRID_DATABASE_URL": f"sqlite:///{path}"}
    subprocess.run([SKILLGRID, "init"], env=env, check=True, capture_output=True)
    rng = random.Random(7)
    with sqlite3.connect(path) as db:
        uids = [row[0] for row in db.execute("SELECT uid FROM criteria WHERE version_id = 1")]
        version = db.execute("SELECT id FROM framework_versions").fetchone()[0]
        teams = [f"Team {t}" for t in range(max(1, people // 10))]
        db.executemany("INSERT INTO teams (id, name) VALUES (?, ?)", enumerate(teams, 1))
        rows = []
        for i in range(1, people + 1):
            manager = None if i % 10 == 1 else i - (i - 1) % 10
            rows.append((i, f"p{i}@example.com", f"Person {i}", 1 + (i - 1) // 10, manager))
        db.executemany(
            "INSERT INTO people (id, email, name, team_id, manager_id, role, active) "
            "VALUES (?, ?, ?, ?, ?, 'engineer', 1)",
            rows,
        )
        db.executemany(
            "INSERT INTO cycles (id, name, version_id, open) VALUES (?, ?, ?, 1)",
            [(c, f"cycle-{c}", version) for c in range(1, cycles + 1)],
        )
        assessment = 0
        for c in range(1, cycles + 1):
            for i in range(1, people + 1):
                for rater in ("self", "manager"):
                    if rater == "manager" and i % 10 == 1:
                        continue
                    assessment += 1
                    db.execute(
                        "INSERT INTO assessments (id, person_id, cycle_id, rater, state, "
                        "revision) VALUES (?, ?, ?, ?, 'submitted', 2)",
                        (assessment, i, c, rater),
                    )
                    db.executemany(
                        "INSERT INTO ratings (assessment_id, criterion_uid, rating, "
                        "needs_review) VALUES (?, ?, ?, 0)",
                        [(assessment, uid, rng.choice(RATINGS)) for uid in uids],
                    )


def measure(label: str, command: list[str], url: str) -> tuple[float, float, int]:
    """Run one step as its own process: (wall seconds, CPU seconds, peak RSS in MB). On a
    shared machine the CPU time is the steadier figure."""
    env = {**os.environ, "SKILLGRID_DATABASE_URL": url}
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        sys.exit(f"{label} failed: {process.stderr.read().decode() if process.stderr else ''}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def baseline(path: Path) -> tuple[float, float, int]:
    code = (
        "import sqlite3,sys;db=sqlite3.connect(sys.argv[1]);"
        "names=[r[0] for r in db.execute(\"SELECT name FROM sqlite_master WHERE type='table'\")];"
        "[sum(1 for _ in db.execute(f'SELECT * FROM \"{n}\"')) for n in names]"
    )
    return measure("baseline", [sys.executable, "-c", code, str(path)], "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--cycles", type=int, default=4)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/skillgrid-portability-bench"))
    parser.add_argument("--postgres", help="PostgreSQL server URL (a database is made for the run)")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    source = args.dir / f"org-{args.people}x{args.cycles}.db"
    if not source.exists():
        start = time.perf_counter()
        build(source, args.people, args.cycles)
        print(f"built {source} in {time.perf_counter() - start:.0f} s")
    with sqlite3.connect(source) as db:
        ratings = db.execute("SELECT count(*) FROM ratings").fetchone()[0]
    print(
        f"{args.people} people × {args.cycles} cycles: {ratings:,} ratings, "
        f"{source.stat().st_size / 2**20:.0f} MB"
    )
    url = f"sqlite:///{source}"
    export, copy = args.dir / "export.json", args.dir / "copy.db"
    for leftover in (export, copy, args.dir / "backup.db"):
        leftover.unlink(missing_ok=True)
    results: dict[str, tuple[float, float, int]] = {
        "baseline: sqlite3 SELECT * of every table": baseline(source)
    }
    results["export-all (SQLite)"] = measure("export", [SKILLGRID, "export-all", str(export)], url)
    results["import-all (SQLite)"] = measure(
        "import", [SKILLGRID, "import-all", str(export)], f"sqlite:///{copy}"
    )
    results["backup (SQLite online backup)"] = measure(
        "backup", [SKILLGRID, "backup", str(args.dir / "backup.db")], url
    )
    if args.postgres:
        results.update(postgres(args.postgres, export, args.dir))
    base = results["baseline: sqlite3 SELECT * of every table"][1]
    print(f"export file: {export.stat().st_size / 2**20:.0f} MB")
    for label, (wall, cpu, rss) in results.items():
        print(
            f"{label:<44} wall {wall:7.1f} s  CPU {cpu:7.1f} s  {cpu / base:6.1f}× baseline CPU"
            f"  peak RSS {rss:5d} MB"
        )


def postgres(server: str, export: Path, folder: Path) -> dict[str, tuple[float, float, int]]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"skillgrid_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    again = folder / "export-pg.json"
    try:
        found = {
            "import-all (PostgreSQL)": measure(
                "pg import", [SKILLGRID, "import-all", str(export)], url
            ),
            "export-all (PostgreSQL)": measure(
                "pg export", [SKILLGRID, "export-all", str(again)], url
            ),
        }
        print("SQLite and PostgreSQL exports identical:", filecmp.cmp(export, again, shallow=False))
        return found
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
