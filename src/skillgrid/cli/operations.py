"""``export-all``, ``import-all``, ``backup`` and ``restore``: the database as a whole."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from skillgrid.cli.common import database_location, err, with_storage
from skillgrid.domain.assessments import OPERATOR

if TYPE_CHECKING:
    from skillgrid.services.unit_of_work import Storage, TableCounts


def export_all(
    path: str = typer.Argument("-", help="File to write (- for standard output)."),
) -> None:
    """Export the whole organisation (ladders, people, cycles, assessments, evidence,
    accounts) as one JSON document that import-all reads on SQLite or PostgreSQL.

    Web sessions are left out; password and API-token hashes are in it, so keep the file
    as safe as the database. Two exports of the same data are byte-identical.

    Example: skillgrid export-all org.json
    """
    import io

    from skillgrid.services.operations import export_all as export

    def run(storage: Storage) -> TableCounts:
        if path != "-":
            return export(storage, Path(path), actor=OPERATOR)
        sys.stdout.flush()
        out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")
        try:
            return export(storage, out, actor=OPERATOR)
        finally:
            out.flush()
            out.detach()

    counts = with_storage(run)
    where = "standard output" if path == "-" else path
    _tell(f"Exported {_counts(counts)} from {database_location()} to {where}.")


def import_all(
    path: str = typer.Argument(..., help="An export-all document (- for standard input)."),
    replace: bool = typer.Option(
        False, "--replace", help="Delete everything in the database first (same transaction)."
    ),
) -> None:
    """Load an export-all document into an empty database (created and migrated if
    needed), in one transaction: a refused or failed import stores nothing.

    The document must come from this SkillGrid's schema revision. Accounts keep their
    passwords and API tokens; everyone signs in again.

    Example: SKILLGRID_DATABASE_URL=postgresql+psycopg://db/skillgrid skillgrid import-all org.json
    """
    import io

    from skillgrid.cli.common import fail
    from skillgrid.services.operations import import_all as load

    if path == "-":
        source = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8")
    else:
        try:
            source = open(path, encoding="utf-8")  # noqa: SIM115 (closed below)
        except OSError as error:
            fail(f"cannot read {path}: {error.strerror}")
    try:
        counts = with_storage(
            lambda storage: load(storage, source, replace=replace, actor=OPERATOR), migrate=False
        )
    finally:
        source.close()
    _tell(f"Imported {_counts(counts)} into {database_location()}.")


def backup(
    path: Path = typer.Argument(..., help="Backup file to write (replaced when complete)."),
    as_json: bool = typer.Option(
        False, "--json", help="Write the JSON export even on SQLite (PostgreSQL always does)."
    ),
) -> None:
    """Back the database up while the app runs: SQLite's online backup of the file, or the
    export-all JSON document on PostgreSQL.

    The file appears only when complete and is readable by its owner only.

    Example: skillgrid backup /var/backups/skillgrid/$(date +%F).db
    """
    from skillgrid.services.operations import backup as make_backup

    outcome = with_storage(
        lambda storage: make_backup(storage, path, as_json=as_json, actor=OPERATOR)
    )
    what = "SQLite copy" if outcome.kind == "sqlite" else "JSON export"
    extra = f" ({_counts(outcome.counts)})" if outcome.counts else ""
    _tell(f"Backed up {database_location()} to {path}: {what}{extra}.")


def restore(
    path: Path = typer.Argument(..., help="A backup: SQLite file or export-all JSON."),
    force: bool = typer.Option(
        False, "--force", help="Replace a database that already holds data."
    ),
) -> None:
    """Restore a backup made by skillgrid backup (or export-all) into the configured
    database. The backup is checked (integrity, schema revision) before anything changes;
    a database with data is replaced only with --force. Stop the app first.

    Example: skillgrid restore /var/backups/skillgrid/2026-11-28.db --force
    """
    from skillgrid.services.operations import restore as put_back

    outcome = with_storage(
        lambda storage: put_back(storage, path, force=force, actor=OPERATOR), migrate=False
    )
    extra = f" ({_counts(outcome.counts)})" if outcome.counts else ""
    _tell(f"Restored {path} into {database_location()}{extra}.")


def _tell(message: str) -> None:
    from rich.markup import escape

    err().print(escape(message), soft_wrap=True)


def _counts(counts: TableCounts) -> str:
    return f"{counts.total:,} rows in {len(counts.rows)} tables"
