"""Ladders in JSON: list, one version, the diff between versions; and, for admins, a file
sent as the body previewed (nothing stored) or stored as the next version — the same use
case as `skillgrid framework import` and the admin page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import Field

from skillgrid.domain.framework import LADDER_NAME
from skillgrid.web.api.errors import ERRORS
from skillgrid.web.api.json_body import StrictJsonRoute
from skillgrid.web.api.models import (
    Answer,
    DiffCriterion,
    LadderDiff,
    LadderDocument,
    LadderVersion,
)
from skillgrid.web.api.params import NAME, LadderName
from skillgrid.web.api.uploads import (
    FileBody,
    FileName,
    file_request_body,
    media_charset,
    media_format,
)
from skillgrid.web.deps import ApiUser, Caller
from skillgrid.web.limits import expensive

if TYPE_CHECKING:
    from skillgrid.domain.framework import VersionInfo
    from skillgrid.importers import ImportOptions
    from skillgrid.services.frameworks import ImportOutcome

router = APIRouter(tags=["ladders"], responses=ERRORS, route_class=StrictJsonRoute)

FormatValue = Literal["tsv", "csv", "xlsx", "md", "yaml", "json"]


class LevelPreview(Answer):
    number: int
    title: str | None
    criteria: int = Field(description="Criteria at this level, all tracks together.")


class TrackPreview(Answer):
    key: str
    name: str
    criteria: int = Field(description="Criteria in this track, all levels together.")


class CellRef(Answer):
    track: str = Field(description="Track key.")
    level: int


class LadderPreview(Answer):
    name: str
    format: FormatValue = Field(description="How the file was read.")
    split: Literal["lines", "sentences"] | None = Field(
        description="How cells were split into criteria (null: the file lists them)."
    )
    levels_as: Literal["rows", "columns"] | None = Field(
        description="Whether levels were the table's rows or columns (null: not a table)."
    )
    title: str | None
    levels: list[LevelPreview]
    tracks: list[TrackPreview]
    criteria: list[DiffCriterion] = Field(description="Every criterion, as the file splits.")
    empty_cells: list[CellRef] = Field(description="Cells that ask nothing.")
    warnings: list[str]
    current_version: int | None = Field(description="The newest stored version (null: none).")
    would_store: bool = Field(description="False: the newest version has this content.")
    next_version: int | None = Field(description="The version storing makes (null: none).")
    diff: LadderDiff | None = Field(
        description="What storing would change from the newest version (null: none stored, "
        "or unchanged)."
    )


class LadderStored(Answer):
    stored: bool = Field(description="False: unchanged, the newest version has this content.")
    version: LadderVersion = Field(description="The version stored, or the unchanged newest.")
    previous_version: int | None = Field(description="The newest before (null: none).")
    diff: LadderDiff | None = Field(description="What changed from it (null: new or unchanged).")
    warnings: list[str]


NewLadderName = Annotated[
    str,
    Path(
        max_length=100,
        pattern=f"^{LADDER_NAME}$",
        description="The ladder's name: letters, digits, '.', '_' or '-', starting with a "
        "letter or digit.",
    ),
]
SplitValue = Annotated[
    Literal["auto", "lines", "sentences"],
    Query(description="Cells to criteria: one per line or bullet, by sentence, or detected."),
]
LevelsAs = Annotated[
    Literal["rows", "columns"] | None,
    Query(description="Whether levels are the table's rows or columns; detected by default."),
]
Sheet = Annotated[
    str | None,
    Query(
        max_length=100,
        pattern=NAME,
        description="XLSX: the worksheet (default: the sheet it opens on, or the first other "
        "with a table when that one has none).",
    ),
]
FormatQuery = Annotated[
    FormatValue | None,
    Query(
        alias="format",
        description="The file's format; by default from the Content-Type, else the file "
        "name's extension, else the content.",
    ),
]
FILE = file_request_body(
    "The ladder file as it is (TSV, CSV, XLSX, Markdown table, YAML or JSON), up to 5 MB; "
    "a text file in another encoding than UTF-8 says so with the Content-Type's charset.",
    "Level,Operations\n1,Runs the service from its runbook.\n",
)


@router.get("/frameworks", response_model=list[LadderVersion])
def list_ladders(user: ApiUser) -> list[VersionInfo]:
    """Every stored ladder with its newest version."""
    from skillgrid.services.frameworks import list_frameworks

    with user:
        return list_frameworks(user.uow)


@router.get("/frameworks/{name}", response_model=LadderDocument)
def get_ladder(
    user: ApiUser,
    name: LadderName,
    version: int | None = Query(None, ge=1, le=2**31 - 1),
) -> dict[str, Any]:
    """One version of a ladder (the newest by default), as the documented JSON document."""
    from skillgrid.exporters.native import framework_document
    from skillgrid.services.frameworks import get_framework

    with user:
        return framework_document(get_framework(user.uow, name, version))


@router.get("/frameworks/{name}/diff", response_model=LadderDiff)
def diff_ladder(
    user: ApiUser,
    name: LadderName,
    old: int = Query(..., alias="from", ge=1, le=2**31 - 1),
    new: int | None = Query(None, alias="to", ge=1, le=2**31 - 1),
) -> dict[str, Any]:
    """What changed between two versions of a ladder."""
    from skillgrid.services.frameworks import diff_versions

    with user:
        return diff_versions(user.uow, name, old, new).to_dict()


@router.post("/frameworks/{name}/preview", response_model=LadderPreview, openapi_extra=FILE)
def preview_ladder(
    request: Request,
    user: ApiUser,
    name: NewLadderName,
    data: FileBody,
    filename: FileName = None,
    file_format: FormatQuery = None,
    split: SplitValue = "auto",
    levels_as: LevelsAs = None,
    sheet: Sheet = None,
) -> dict[str, Any]:
    """Read a ladder file as the next version of ``name`` would be: how it splits, and what
    it would change; nothing is stored (admins)."""
    options = _options(request, file_format, split, levels_as, sheet)
    with user:
        outcome = _import(request, user, name, data, filename, options, dry_run=True)
    return _preview_json(name, outcome)


@router.post(
    "/frameworks/{name}/versions",
    status_code=201,
    response_model=LadderStored,
    openapi_extra=FILE,
    responses={200: {"model": LadderStored, "description": "Unchanged: nothing stored."}},
)
def store_ladder(
    request: Request,
    response: Response,
    user: ApiUser,
    name: NewLadderName,
    data: FileBody,
    filename: FileName = None,
    file_format: FormatQuery = None,
    split: SplitValue = "auto",
    levels_as: LevelsAs = None,
    sheet: Sheet = None,
) -> dict[str, Any]:
    """Store a ladder file as the next version of ``name`` (201), or nothing when the newest
    version has the same content (200); criteria that survive keep their identity (admins)."""
    from skillgrid.services.frameworks import list_versions

    options = _options(request, file_format, split, levels_as, sheet)
    with user:
        outcome = _import(request, user, name, data, filename, options, dry_run=False)
        version = outcome.framework.version
        info = next(v for v in list_versions(user.uow, name) if v.version == version)
    if not outcome.stored:
        response.status_code = 200
    return {
        "stored": outcome.stored,
        "version": info.to_dict(),
        "previous_version": outcome.previous_version,
        "diff": outcome.diff.to_dict() if outcome.diff else None,
        "warnings": list(outcome.read.warnings),
    }


def _options(
    request: Request,
    file_format: str | None,
    split: str,
    levels_as: str | None,
    sheet: str | None,
) -> ImportOptions:
    """How to read the file: what the query says, else what the Content-Type says."""
    from skillgrid.domain.splitting import SplitMode
    from skillgrid.importers import Format, ImportOptions, Orientation

    chosen = file_format or media_format(request)
    return ImportOptions(
        format=Format(chosen) if chosen else None,
        levels_as=Orientation(levels_as) if levels_as else None,
        sheet=sheet,
        split=SplitMode(split),
        encoding=media_charset(request),
    )


def _import(
    request: Request,
    user: Caller,
    name: str,
    data: bytes,
    filename: str | None,
    options: ImportOptions,
    *,
    dry_run: bool,
) -> ImportOutcome:
    from skillgrid.services.frameworks import import_framework

    with expensive(request, user.email):
        return import_framework(
            user.uow, data, filename or "upload", name, options, dry_run=dry_run, actor=user.actor
        )


def _preview_json(name: str, outcome: ImportOutcome) -> dict[str, Any]:
    read, framework = outcome.read, outcome.framework
    unchanged = not outcome.stored and outcome.previous_version is not None and not outcome.diff
    return {
        "name": name,
        "format": read.format.value,
        "split": read.split.value if read.split else None,
        "levels_as": read.levels_as.value if read.levels_as else None,
        "title": framework.title,
        "levels": [
            {
                "number": level.number,
                "title": level.title,
                "criteria": sum(c.level == level.number for c in framework.criteria),
            }
            for level in framework.levels
        ],
        "tracks": [
            {
                "key": track.key,
                "name": track.name,
                "criteria": sum(c.track == track.key for c in framework.criteria),
            }
            for track in framework.tracks
        ],
        "criteria": [c.to_dict() for c in framework.criteria],
        "empty_cells": [
            {"track": track.key, "level": level.number} for track, level in framework.empty_cells()
        ],
        "warnings": list(read.warnings),
        "current_version": outcome.previous_version,
        "would_store": not unchanged,
        "next_version": None if unchanged else (outcome.previous_version or 0) + 1,
        "diff": outcome.diff.to_dict() if outcome.diff else None,
    }
