"""``skillgrid export-all``, ``import-all``, ``backup`` and ``restore`` from the command line:
round trips, a backup taken while writes go on, and every bad input refused with a clear
message and the stored data left exactly as it was."""

from __future__ import annotations

import io
import sqlite3
import stat
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillgrid.cli import app
from skillgrid.db.dump import export_all
from skillgrid.db.engine import make_engine
from skillgrid.db.load import import_all
from skillgrid.db.migrate import HEAD
from tests.conftest import POSTGRES_URL, table_snapshot
from tests.integration.test_export_all import build_org

runner = CliRunner()


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    return build_org(tmp_path_factory)


def run(url: str, *args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), env={"SKILLGRID_DATABASE_URL": url}, input=stdin)


def load(url: str, document: str) -> None:
    engine = make_engine(url)
    try:
        import_all(engine, io.StringIO(document))
    finally:
        engine.dispose()


def dump(url: str) -> str:
    engine = make_engine(url)
    try:
        out = io.StringIO()
        export_all(engine, out)
        return out.getvalue()
    finally:
        engine.dispose()


def test_export_all_to_a_file_and_stdout_then_import_all(
    org: tuple[str, str], tmp_path: Path
) -> None:
    source = f"sqlite:///{tmp_path / 'a.db'}"
    load(source, org[0])
    exported = run(source, "export-all", str(tmp_path / "org.json"))
    assert exported.exit_code == 0, exported.output
    assert "Exported" in exported.stderr
    written = (tmp_path / "org.json").read_text(encoding="utf-8")
    assert written == org[0]
    assert stat.S_IMODE((tmp_path / "org.json").stat().st_mode) == 0o600
    assert run(source, "export-all").stdout == org[0]
    target = f"sqlite:///{tmp_path / 'b.db'}"
    imported = run(target, "import-all", "-", stdin=org[0])
    assert imported.exit_code == 0, imported.output
    assert dump(target) == org[0]
    again = run(target, "import-all", str(tmp_path / "org.json"))
    assert again.exit_code == 1 and "--replace" in again.stderr
    assert run(target, "import-all", str(tmp_path / "org.json"), "--replace").exit_code == 0


def test_backup_and_restore_round_trip(
    org: tuple[str, str], database_url: str, tmp_path: Path
) -> None:
    """SQLite: a SQLite file; PostgreSQL: the JSON export. Restore refuses a database with
    data unless --force."""
    load(database_url, org[0])
    backup = tmp_path / "backup.bin"
    made = run(database_url, "backup", str(backup))
    assert made.exit_code == 0, made.output
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    kind = "SQLite copy" if database_url.startswith("sqlite") else "JSON export"
    assert kind in made.stderr
    before = table_snapshot(database_url)
    refused = run(database_url, "restore", str(backup))
    assert refused.exit_code == 1 and "--force" in refused.stderr
    assert table_snapshot(database_url) == before
    forced = run(database_url, "restore", str(backup), "--force")
    assert forced.exit_code == 0, forced.output
    assert dump(database_url) == org[0]
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert run(fresh, "restore", str(backup)).exit_code == 0
    assert dump(fresh) == org[0]


def test_a_sqlite_backup_is_a_self_contained_file(org: tuple[str, str], tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'live.db'}"
    load(url, org[0])
    assert run(url, "backup", str(tmp_path / "copy.db")).exit_code == 0
    with sqlite3.connect(tmp_path / "copy.db") as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    json_backup = run(url, "backup", str(tmp_path / "copy.json"), "--json")
    assert json_backup.exit_code == 0
    assert (tmp_path / "copy.json").read_text(encoding="utf-8") == org[0]


@pytest.mark.skipif(not POSTGRES_URL, reason="SKILLGRID_TEST_DATABASE_URL not set")
def test_a_sqlite_backup_restores_into_postgresql(
    org: tuple[str, str], tmp_path: Path, postgres_server: str
) -> None:
    from tests.integration.test_export_all import _empty_postgres

    url = f"sqlite:///{tmp_path / 'live.db'}"
    load(url, org[0])
    assert run(url, "backup", str(tmp_path / "copy.db")).exit_code == 0
    _empty_postgres(postgres_server).dispose()
    restored = run(postgres_server, "restore", str(tmp_path / "copy.db"))
    assert restored.exit_code == 0, restored.output
    assert dump(postgres_server) == org[0]


def _bad_backups(tmp_path: Path, good_sqlite: Path, good_json: Path) -> dict[str, tuple[Path, str]]:
    def write(name: str, data: bytes) -> Path:
        (tmp_path / name).write_bytes(data)
        return tmp_path / name

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
    future = write("future.db", good_sqlite.read_bytes())
    with sqlite3.connect(future) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    raw = good_sqlite.read_bytes()
    text = good_json.read_bytes()
    return {
        "missing": (tmp_path / "nope.db", "no such file"),
        "empty": (write("empty.db", b""), "it is empty"),
        "text": (write("notes.txt", b"hello\n"), "not a SkillGrid backup"),
        "truncated sqlite": (write("cut.db", raw[: len(raw) // 2]), "damaged"),
        "foreign sqlite": (other, "not a SkillGrid one"),
        "future revision": (future, "revision 9999"),
        "truncated json": (write("cut.json", text[: len(text) // 2]), "cut short"),
        "older json": (
            write(
                "old.json",
                text.replace(f'"schema_revision": "{HEAD}"'.encode(), b'"schema_revision": "0006"'),
            ),
            "revision '0006'",
        ),
    }


def test_restore_refuses_every_bad_backup_and_changes_nothing(
    org: tuple[str, str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'live.db'}"
    load(url, org[0])
    assert run(url, "backup", str(tmp_path / "good.db")).exit_code == 0
    assert run(url, "backup", str(tmp_path / "good.json"), "--json").exit_code == 0
    before = table_snapshot(url)
    bad = _bad_backups(tmp_path, tmp_path / "good.db", tmp_path / "good.json")
    for case, (path, message) in bad.items():
        refused = run(url, "restore", str(path), "--force")
        assert refused.exit_code == 1, case
        assert message in refused.stderr, (case, refused.stderr)
        assert "Traceback" not in refused.output, case
        assert table_snapshot(url) == before, case


def test_a_sqlite_backup_from_an_older_version_is_migrated_after_restore(tmp_path: Path) -> None:
    from alembic import command

    from skillgrid.db.migrate import _config, current_revision

    old = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    config = _config()
    with old.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0006")
    old.dispose()
    url = f"sqlite:///{tmp_path / 'new.db'}"
    restored = run(url, "restore", str(tmp_path / "old.db"))
    assert restored.exit_code == 0, restored.output
    engine = make_engine(url)
    try:
        assert current_revision(engine) == HEAD
    finally:
        engine.dispose()


def test_a_backup_that_cannot_be_written_says_why(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'live.db'}"
    cases = {
        str(tmp_path / "no" / "such" / "dir.db"): "does not exist",
        str(tmp_path): "is a folder",
    }
    for path, message in cases.items():
        for command in ("backup", "export-all"):
            refused = run(url, command, path)
            assert refused.exit_code == 1 and message in refused.stderr, refused.output
    assert list(tmp_path.glob(".*partial")) == []


def test_backups_taken_while_writes_go_on_are_each_one_consistent_moment(
    org: tuple[str, str], tmp_path: Path
) -> None:
    """A writer replaces all of an assessment's ratings, each time with a new comment;
    every backup sees each assessment whole: all ratings carry the same comment."""
    from skillgrid.db.engine import make_session_factory
    from skillgrid.db.unit_of_work import SqlAlchemyUnitOfWork
    from skillgrid.domain.assessments import OPERATOR, SELF, Entry
    from skillgrid.domain.leveling import Rating
    from skillgrid.services.assessments import rate

    url = f"sqlite:///{tmp_path / 'live.db'}"
    load(url, org[0])
    engine = make_engine(url)
    factory = make_session_factory(engine)
    ids = ["NET.1.1", "NET.2.1", "SEC.1.1", "CW.1.1", "SRE.2.1", "PO.1.1"]
    stop = threading.Event()
    writes = []

    def writer() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            entries = {cid: Entry(Rating.MEETS, None, f"write {n}") for cid in ids}
            rate(SqlAlchemyUnitOfWork(factory), OPERATOR, "bo@x.org", "2026-H2", SELF, entries)
            writes.append(n)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        for i in range(5):
            assert run(url, "backup", str(tmp_path / f"b{i}.db")).exit_code == 0
    finally:
        stop.set()
        thread.join()
        engine.dispose()
    assert len(writes) > 5
    for i in range(5):
        with sqlite3.connect(tmp_path / f"b{i}.db") as copy:
            assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            comments = copy.execute(
                "SELECT r.comment, count(*) FROM ratings r JOIN assessments a "
                "ON a.id = r.assessment_id JOIN people p ON p.id = a.person_id "
                "WHERE p.email = 'bo@x.org' GROUP BY r.comment"
            ).fetchall()
        assert len(comments) <= 1 and all(count == len(ids) for _, count in comments), comments
    fresh = f"sqlite:///{tmp_path / 'restored.db'}"
    assert run(fresh, "restore", str(tmp_path / "b4.db")).exit_code == 0
    assert '"bo@x.org"' in dump(fresh)
