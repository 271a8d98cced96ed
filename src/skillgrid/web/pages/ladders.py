"""Ladder pages: the list, the matrix (filter by track, level N → N+1), a permalink per
criterion, the diff between versions, and the ladder as a file. Every signed-in person sees
the ladder."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BeforeValidator

from skillgrid.exporters import ExportFormat
from skillgrid.web.deps import CurrentUser, templates_of
from skillgrid.web.downloads import attachment

router = APIRouter(include_in_schema=False)

# the filter form's "The whole ladder" arrives as step= (a browser sends every field)
Step = Annotated[
    int | None,
    Query(ge=0, le=500, description="show what level step+1 adds"),
    BeforeValidator(lambda typed: typed or None),
]


def render(request: Request, template: str, context: dict[str, object]) -> Response:
    return templates_of(request).TemplateResponse(request, template, context)


@router.get("/ladders")
def ladders(request: Request, user: CurrentUser) -> Response:
    from skillgrid.services.frameworks import list_frameworks

    with user:
        return render(request, "ladders.html", {"user": user, "ladders": list_frameworks(user.uow)})


@router.get("/ladders/{name}")
def ladder(
    request: Request,
    user: CurrentUser,
    name: str,
    version: int | None = Query(None, ge=1, le=2**31 - 1),
    track: str | None = Query(None, max_length=50),
    step: Step = None,
) -> Response:
    from skillgrid.services.frameworks import get_framework, list_versions

    with user:
        framework = get_framework(user.uow, name, version)
        tracks = [t for t in framework.tracks if track in (None, "", t.key)]
        return render(
            request,
            "ladder.html",
            {
                "user": user,
                "framework": framework,
                "tracks": tracks,
                "track": track or "",
                "versions": list_versions(user.uow, name),
                "step": step,
                "formats": list(ExportFormat),
            },
        )


@router.get("/ladders/{name}/download")
def download(
    user: CurrentUser,
    name: str,
    export_format: ExportFormat = Query(alias="format"),
    version: int | None = Query(None, ge=1, le=2**31 - 1),
) -> Response:
    """One version of the ladder (the newest by default) as a file in ``format``, as
    `skillgrid framework export` writes it."""
    from skillgrid.services.frameworks import export_file

    with user:
        exported = export_file(user.uow, name, export_format, version)
    text = "" if export_format.is_binary else "; charset=utf-8"
    return Response(
        exported.data,
        media_type=export_format.media_type + text,
        headers={"content-disposition": attachment(exported.filename)},
    )


@router.get("/ladders/{name}/criteria/{criterion_id}")
def criterion(
    request: Request,
    user: CurrentUser,
    name: str,
    criterion_id: str,
    version: int | None = Query(None, ge=1, le=2**31 - 1),
) -> Response:
    with user:
        return criterion_page(request, user, name, criterion_id, version)


def criterion_page(
    request: Request,
    user: Any,
    name: str,
    criterion_id: str,
    version: int | None,
    typed: str | None = None,
    error: Exception | None = None,
) -> Response:
    """One criterion of a ladder version; ``typed`` and ``error``: examples refused."""
    from skillgrid.domain.errors import NotFound
    from skillgrid.services.frameworks import get_framework

    framework = get_framework(user.uow, name, version)
    try:
        found = framework.criterion(criterion_id)
    except KeyError:
        raise NotFound(f"{name} v{framework.version} has no criterion {criterion_id}") from None
    return render(
        request,
        "criterion.html",
        {
            "user": user,
            "framework": framework,
            "criterion": found,
            "track": framework.track(found.track),
            "typed": typed,
            "error": str(error) if error else None,
        },
    )


@router.get("/ladders/{name}/diff")
def diff(
    request: Request,
    user: CurrentUser,
    name: str,
    old: int = Query(..., alias="from", ge=1, le=2**31 - 1),
    new: int | None = Query(None, alias="to", ge=1, le=2**31 - 1),
) -> Response:
    from skillgrid.services.frameworks import diff_versions

    with user:
        changes = diff_versions(user.uow, name, old, new)
        return render(request, "diff.html", {"user": user, "name": name, "diff": changes})
