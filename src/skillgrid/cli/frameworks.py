"""``skillgrid framework …``: import, validate, list, versions, show, diff, export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from skillgrid.domain.assessments import OPERATOR
from skillgrid.domain.splitting import SplitMode
from skillgrid.exporters import ExportFormat
from skillgrid.importers import Format, Orientation

if TYPE_CHECKING:
    from skillgrid.importers import ImportOptions
    from skillgrid.services.frameworks import LadderFile, StoredLadder

from skillgrid.cli.common import (
    JSON_OUT,
    fail,
    fail_with_problems,
    out,
    read_input,
    run_service,
    with_database,
    write_output,
)

app = typer.Typer(
    rich_markup_mode=None,
    help="Ladders: import, validate, list, show, diff and export.",
    no_args_is_help=True,
)


FORMAT = typer.Option(
    None, "--format", help="File format; by default from the extension or content."
)
LEVELS_AS = typer.Option(
    None, "--levels-as", help="Whether levels are the table's rows or columns; detected by default."
)
SHEET = typer.Option(
    None,
    "--sheet",
    help="XLSX: the worksheet to read (default: the sheet it opens on, or the first other "
    "with a table when that one has none).",
)
SPLIT = typer.Option(
    SplitMode.AUTO,
    "--split",
    help="Cells to criteria: 'lines' (one per line/bullet), 'sentences', or 'auto'.",
)
ENCODING = typer.Option(None, "--encoding", help="Text encoding when not UTF-8 (e.g. cp1252).")


def _options(
    file_format: Format | None,
    levels_as: Orientation | None,
    sheet: str | None,
    split: SplitMode,
    encoding: str | None,
) -> ImportOptions:
    from skillgrid.importers import ImportOptions

    return ImportOptions(
        format=file_format, levels_as=levels_as, sheet=sheet, split=split, encoding=encoding
    )


@app.command("import")
def import_(
    path: str = typer.Argument(
        ..., help="Ladder file (tsv, csv, xlsx, md, yaml, json); - for stdin."
    ),
    name: str = typer.Option(..., "--name", help="Name to store the ladder under, e.g. 'sre'."),
    file_format: Format | None = FORMAT,
    levels_as: Orientation | None = LEVELS_AS,
    sheet: str | None = SHEET,
    split: SplitMode = SPLIT,
    encoding: str | None = ENCODING,
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Show the split cell by cell; store nothing."
    ),
) -> None:
    """Import a ladder file as a new version of NAME (nothing is stored if it is unchanged).

    Exit 1 with every problem (file, row, column, what to do) on stderr, and nothing stored,
    when the file cannot be read.

    Example: skillgrid framework import ladder.xlsx --name platform --sheet Ladder --dry-run
    """
    from skillgrid.cli.render import print_import_outcome, print_split
    from skillgrid.services.frameworks import import_framework

    data, source = read_input(path)
    options = _options(file_format, levels_as, sheet, split, encoding)
    outcome = with_database(
        lambda uow: import_framework(
            uow, data, source, name, options, dry_run=dry_run, actor=OPERATOR
        )
    )
    if dry_run:
        print_split(outcome.read)
    print_import_outcome(outcome, dry_run=dry_run)


@app.command()
def validate(
    path: str = typer.Argument(..., help="Ladder file to check; - for stdin."),
    file_format: Format | None = FORMAT,
    levels_as: Orientation | None = LEVELS_AS,
    sheet: str | None = SHEET,
    split: SplitMode = SPLIT,
    encoding: str | None = ENCODING,
    as_json: bool = JSON_OUT,
) -> None:
    """Check that a ladder file reads cleanly; never stores. Exit 0 when valid, 1 if not.

    Example: skillgrid framework validate ladders/platform.md
    """
    from skillgrid.cli.render import print_summary
    from skillgrid.domain.errors import LadderError
    from skillgrid.importers import read_ladder

    data, source = read_input(path)
    options = _options(file_format, levels_as, sheet, split, encoding)
    try:
        result = read_ladder(data, source, options)
    except LadderError as error:
        if as_json:
            print(
                json.dumps(
                    {"valid": False, "problems": [p.to_dict() for p in error.problems]}, indent=2
                )
            )
            raise typer.Exit(1) from None
        fail_with_problems(error)
    if as_json:
        framework = result.framework
        print(
            json.dumps(
                {
                    "valid": True,
                    "levels": len(framework.levels),
                    "tracks": len(framework.tracks),
                    "criteria": len(framework.criteria),
                    "empty_cells": len(framework.empty_cells()),
                    "split": result.split,
                    "levels_as": result.levels_as,
                },
                indent=2,
            )
        )
        return
    out().print(f"{source}: valid.")
    print_summary(result)


@app.command("list")
def list_(as_json: bool = JSON_OUT) -> None:
    """List stored ladders with their newest version.

    Example: skillgrid framework list --json
    """
    from skillgrid.cli.render import print_versions, versions_json
    from skillgrid.services.frameworks import list_frameworks

    infos = with_database(lambda uow: list_frameworks(uow))
    if as_json:
        print(json.dumps(versions_json(infos), indent=2))
    else:
        print_versions(
            infos, "No ladder stored yet: run `skillgrid init` or `skillgrid framework import`."
        )


@app.command()
def versions(
    name: str = typer.Argument(..., help="Ladder name."), as_json: bool = JSON_OUT
) -> None:
    """List every stored version of a ladder, oldest first.

    Example: skillgrid framework versions sre
    """
    from skillgrid.cli.render import print_versions, versions_json
    from skillgrid.services.frameworks import list_versions

    infos = with_database(lambda uow: list_versions(uow, name))
    if as_json:
        print(json.dumps(versions_json(infos), indent=2))
    else:
        print_versions(infos, "")


@app.command()
def show(
    name: str = typer.Argument(..., help="Ladder name."),
    version: int | None = typer.Option(None, "--version", help="Version (default: newest)."),
    track: str | None = typer.Option(None, "--track", help="Show one track only (key or name)."),
    as_json: bool = JSON_OUT,
) -> None:
    """Show a stored ladder: every criterion by track and level, with its id.

    Example: skillgrid framework show sre --track SEC
    """
    from skillgrid.cli.render import print_framework
    from skillgrid.exporters.native import framework_document
    from skillgrid.services.frameworks import get_framework

    framework = with_database(lambda uow: get_framework(uow, name, version))
    if as_json:
        print(json.dumps(framework_document(framework), ensure_ascii=False, indent=2))
        return
    print_framework(framework, track)


@app.command()
def diff(
    old: str = typer.Argument(..., help="A stored ladder (NAME or NAME@VERSION) or a file."),
    new: str = typer.Argument(..., help="A stored ladder (NAME or NAME@VERSION) or a file."),
    as_json: bool = JSON_OUT,
    exit_code: bool = typer.Option(
        False, "--exit-code", help="Exit 1 when there are differences (for CI)."
    ),
    file_format: Format | None = FORMAT,
    levels_as: Orientation | None = LEVELS_AS,
    sheet: str | None = SHEET,
    split: SplitMode = SPLIT,
    encoding: str | None = ENCODING,
) -> None:
    """What changed between two versions: criteria added, removed, reworded, moved; tracks
    and levels added, removed, renamed. Each side is a stored version or a file.

    Examples: skillgrid framework diff sre@1 sre@2 ;
    skillgrid framework diff sre ladder.tsv (what importing the file would change) ;
    skillgrid framework diff old.csv new.csv --json --exit-code
    """
    from skillgrid.cli.render import print_diff
    from skillgrid.services.frameworks import StoredLadder, diff_sources

    options = _options(file_format, levels_as, sheet, split, encoding)
    sides = (_side(old), _side(new))
    if any(isinstance(side, StoredLadder) for side in sides):
        result = with_database(lambda uow: diff_sources(uow, *sides, options))
    else:
        result = run_service(lambda: diff_sources(None, *sides, options))
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_diff(result)
    if exit_code and not result.is_empty:
        raise typer.Exit(1)


def _side(ref: str) -> StoredLadder | LadderFile:
    """A diff side: an existing file (or - for stdin); anything else is NAME or NAME@VERSION."""
    from skillgrid.services.frameworks import LadderFile, StoredLadder

    if ref == "-" or Path(ref).is_file():
        return LadderFile(*read_input(ref))
    name, _, version = ref.partition("@")
    if version and not version.isdigit():
        fail(f"{ref!r}: the version after @ must be a number")
    return StoredLadder(name, int(version) if version else None)


@app.command()
def export(
    name: str = typer.Argument(..., help="Ladder name."),
    export_format: ExportFormat = typer.Option(
        ..., "--format", help="yaml, json, csv, tsv, md, xlsx or html."
    ),
    version: int | None = typer.Option(None, "--version", help="Version (default: newest)."),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to this file (required for xlsx)."
    ),
) -> None:
    """Export a stored ladder; text formats print to stdout unless --output is given.

    Every format except html imports back to the same ladder.

    Example: skillgrid framework export sre --format xlsx --output sre.xlsx
    """
    from skillgrid.services.frameworks import export as export_service

    if export_format.is_binary and output is None:
        fail("xlsx is binary: give --output FILE")
    data = with_database(lambda uow: export_service(uow, name, export_format, version))
    write_output(data, output)


@app.command()
def policy(
    name: str = typer.Argument(..., help="Ladder name."),
    rule: str | None = typer.Argument(None, help="strict, tolerance:K or points; omit to show."),
    points: str | None = typer.Option(
        None, "--points", help="points: per track level 0..N, comma-separated (e.g. 0,1,3,6)."
    ),
    thresholds: str | None = typer.Option(
        None, "--thresholds", help="points: total needed for overall levels 1..N."
    ),
) -> None:
    """Show or set how a ladder's track levels combine into the overall level.

    Example: skillgrid framework policy sre tolerance:1
    """
    from skillgrid.domain.policies import Points, parse_policy
    from skillgrid.services.frameworks import get_policy, set_policy

    if rule is None:
        shown = with_database(lambda uow: get_policy(uow, name))
        out().print(f"{name}: {shown.name}" + (f" {shown}" if isinstance(shown, Points) else ""))
        return
    chosen = run_service(lambda: parse_policy(rule))
    if points or thresholds:
        if not isinstance(chosen, Points):
            fail("--points and --thresholds go with the points policy")
        chosen = Points(_numbers(points, "--points"), _numbers(thresholds, "--thresholds"))
    stored = with_database(lambda uow: set_policy(uow, name, chosen, actor=OPERATOR))
    out().print(f"{name} now levels by {stored.name}.")


def _numbers(text: str | None, option: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in (text or "").split(",") if part.strip())
    except ValueError:
        fail(f"{option} {text!r}: give whole numbers separated by commas")


@app.command()
def schema() -> None:
    """Print the JSON Schema of SkillGrid's YAML/JSON ladder document (for editors and CI).

    Example: skillgrid framework schema > ladder.schema.json
    """
    from skillgrid.importers.native import schema as ladder_schema

    print(json.dumps(ladder_schema(), indent=2))
