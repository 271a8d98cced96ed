"""Ladders in JSON: list, one version, the diff between versions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Query

from skillgrid.web.api.errors import ERRORS
from skillgrid.web.api.json_body import StrictJsonRoute
from skillgrid.web.api.models import LadderDiff, LadderDocument, LadderVersion
from skillgrid.web.api.params import LadderName
from skillgrid.web.deps import ApiUser

if TYPE_CHECKING:
    from skillgrid.domain.framework import VersionInfo

router = APIRouter(tags=["ladders"], responses=ERRORS, route_class=StrictJsonRoute)


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
