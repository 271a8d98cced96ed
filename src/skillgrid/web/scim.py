"""SCIM 2.0 at ``/scim/v2`` (RFC 7644): Users, Groups and the discovery endpoints, for an
identity provider holding a SCIM token (``skillgrid scim token create NAME``). A session or
a personal API token never reaches these routes, and a SCIM token reaches nothing else.
Answers are ``application/scim+json``; errors are SCIM Error messages. The routes parse,
call one use case of :mod:`skillgrid.services.scim` and answer."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Annotated, Any, Self

from fastapi import APIRouter, Body, Depends, Header, Query, Request
from fastapi.responses import JSONResponse, Response

from skillgrid.domain.assessments import Actor
from skillgrid.domain.errors import Conflict, NotFound, SkillGridError
from skillgrid.domain.scim import GROUP, USER, ScimError
from skillgrid.services.unit_of_work import UnitOfWork
from skillgrid.web.api.json_body import StrictJsonRoute
from skillgrid.web.deps import bearer_of

PREFIX = "/scim/v2"
MEDIA_TYPE = "application/scim+json"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
KINDS = {"Users": USER, "Groups": GROUP}

router = APIRouter(include_in_schema=False, route_class=StrictJsonRoute)


def scim_error(status: int, detail: str, scim_type: str | None = None) -> Response:
    """An Error message (RFC 7644 §3.12)."""
    content: dict[str, Any] = {"schemas": [ERROR_SCHEMA], "status": str(status), "detail": detail}
    if scim_type:
        content["scimType"] = scim_type
    headers = {"WWW-Authenticate": 'Bearer realm="SCIM"'} if status == 401 else None
    return JSONResponse(content, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def answer(data: Any, status: int = 200, etag: str | None = None) -> Response:
    headers = {"ETag": etag} if etag else {}
    if status == 201 and isinstance(data, dict):
        headers["Location"] = data["meta"]["location"]
    return JSONResponse(data, status_code=status, media_type=MEDIA_TYPE, headers=headers)


class Provider:
    """The identity provider calling, checked inside the request's unit of work: ``with
    provider:`` opens it and looks the bearer token up; a SkillGrid refusal inside leaves
    as the SCIM error it stands for."""

    def __init__(self, uow: UnitOfWork, bearer: str | None, base_url: str) -> None:
        self.uow, self.bearer, self.base_url = uow, bearer, base_url
        self._actor: Actor | None = None

    def __enter__(self) -> Self:
        from skillgrid.services.scim_tokens import scim_caller

        self.uow.__enter__()
        try:
            actor = scim_caller(self.uow, self.bearer) if self.bearer else None
            if actor is None:
                raise ScimError(401, "send Authorization: Bearer with a live SCIM token")
            self._actor = actor
        except BaseException:
            self.uow.__exit__(*sys.exc_info())
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.uow.__exit__(exc_type, exc, tb)
        if isinstance(exc, SkillGridError) and not isinstance(exc, ScimError):
            raise refusal(exc) from exc

    @property
    def actor(self) -> Actor:
        if self._actor is None:
            raise RuntimeError("who is calling is known only inside `with provider:`")
        return self._actor


def refusal(error: SkillGridError) -> ScimError:
    """A SkillGrid refusal as SCIM answers it."""
    if isinstance(error, NotFound):
        return ScimError(404, str(error))
    if isinstance(error, Conflict):
        return ScimError(409, str(error))
    return ScimError(400, str(error), "invalidValue")


async def caller(request: Request) -> Provider:
    """The bearer token and where the SCIM routes are: at ``SKILLGRID_BASE_URL`` when it
    is set, never at a Host header's say otherwise (no I/O)."""
    base = request.app.state.settings.base_url or str(request.base_url)
    base_url = base.rstrip("/") + PREFIX
    return Provider(request.app.state.uow_factory(), bearer_of(request), base_url)


ProviderDep = Annotated[Provider, Depends(caller)]
Payload = Annotated[Any, Body(media_type=MEDIA_TYPE)]
IfMatch = Annotated[str | None, Header(alias="if-match")]
Listed = Annotated[str | None, Query()]
Excluded = Annotated[str | None, Query(alias="excludedAttributes")]


def _names(listed: str | None) -> tuple[str, ...]:
    return tuple(n.strip() for n in (listed or "").split(",") if n.strip())


@router.get("/ServiceProviderConfig")
def service_provider_config(provider: ProviderDep) -> Response:
    """What this server supports."""
    from skillgrid.services.scim_schema import service_provider_config as config

    with provider:
        return answer(config(provider.base_url))


@router.get("/ResourceTypes")
def resource_types(provider: ProviderDep) -> Response:
    """User and Group."""
    from skillgrid.services.scim import list_response
    from skillgrid.services.scim_schema import resource_types as found

    with provider:
        return answer(list_response(found(provider.base_url)))


@router.get("/ResourceTypes/{name}")
def resource_type(provider: ProviderDep, name: str) -> Response:
    """One resource type."""
    from skillgrid.services.scim_schema import resource_types as found

    with provider:
        return answer(_one(found(provider.base_url), name, "resource type"))


@router.get("/Schemas")
def schemas(provider: ProviderDep) -> Response:
    """The User, Group and enterprise extension schemas."""
    from skillgrid.services.scim import list_response
    from skillgrid.services.scim_schema import schemas as found

    with provider:
        return answer(list_response(found(provider.base_url)))


@router.get("/Schemas/{schema_id}")
def schema(provider: ProviderDep, schema_id: str) -> Response:
    """One schema, by its URN."""
    from skillgrid.services.scim_schema import schemas as found

    with provider:
        return answer(_one(found(provider.base_url), schema_id, "schema"))


def _one(resources: list[dict[str, Any]], wanted: str, what: str) -> dict[str, Any]:
    for resource in resources:
        if resource["id"] == wanted:
            return resource
    raise ScimError(404, f"no {what} {wanted!r}")


@router.post("/.search")
def search_everything(provider: ProviderDep) -> Response:
    """Searching several resource types at once is not served (RFC 7644 §3.4.3)."""
    with provider:
        raise ScimError(501, "search one resource type at a time: GET /Users or /Groups")


def _resource_routes(resources: str, kind: str) -> None:
    """The routes of one resource type: list and create at ``/{resources}``, read,
    replace, patch and delete at ``/{resources}/{id}``."""
    from skillgrid.services import scim

    def list_all(
        provider: ProviderDep,
        filter: Listed = None,
        start_index: Annotated[int | None, Query(alias="startIndex")] = None,
        count: Annotated[int | None, Query()] = None,
        attributes: Listed = None,
        excluded: Excluded = None,
    ) -> Response:
        with provider:
            found = scim.search(
                provider.uow,
                provider.actor,
                kind,
                provider.base_url,
                filter_text=filter,
                start_index=start_index,
                count=count,
                shown=scim.Shown(_names(attributes), _names(excluded)),
            )
            return answer(found)

    def create(provider: ProviderDep, body: Payload = None) -> Response:
        with provider:
            made = scim.create(provider.uow, provider.actor, kind, body, provider.base_url)
            return answer(made.data, 201, made.etag)

    def read(
        provider: ProviderDep,
        resource_id: str,
        attributes: Listed = None,
        excluded: Excluded = None,
    ) -> Response:
        with provider:
            shown = scim.Shown(_names(attributes), _names(excluded))
            one = scim.read(
                provider.uow, provider.actor, kind, resource_id, provider.base_url, shown
            )
            return answer(one.data, etag=one.etag)

    def replace(
        provider: ProviderDep, resource_id: str, body: Payload = None, if_match: IfMatch = None
    ) -> Response:
        with provider:
            changed = scim.replace_resource(
                provider.uow, provider.actor, kind, resource_id, body, provider.base_url, if_match
            )
            return answer(changed.data, etag=changed.etag)

    def patch(
        provider: ProviderDep, resource_id: str, body: Payload = None, if_match: IfMatch = None
    ) -> Response:
        with provider:
            changed = scim.patch(
                provider.uow, provider.actor, kind, resource_id, body, provider.base_url, if_match
            )
            return answer(changed.data, etag=changed.etag)

    def delete(provider: ProviderDep, resource_id: str, if_match: IfMatch = None) -> Response:
        with provider:
            scim.delete(provider.uow, provider.actor, kind, resource_id, if_match)
            return Response(status_code=204)

    one = f"/{resources}/{{resource_id}}"
    router.add_api_route(f"/{resources}", list_all, methods=["GET"], name=f"list {resources}")
    router.add_api_route(f"/{resources}", create, methods=["POST"], name=f"create {kind}")
    router.add_api_route(one, read, methods=["GET"], name=f"read {kind}")
    router.add_api_route(one, replace, methods=["PUT"], name=f"replace {kind}")
    router.add_api_route(one, patch, methods=["PATCH"], name=f"patch {kind}")
    router.add_api_route(one, delete, methods=["DELETE"], name=f"delete {kind}")


for _resources, _kind_name in KINDS.items():
    _resource_routes(_resources, _kind_name)


@router.get("/{anything:path}")
def nothing_here(provider: ProviderDep, anything: str) -> Response:
    """Any other path: a SCIM 404."""
    with provider:
        raise ScimError(404, f"nothing at {PREFIX}/{anything}: see {PREFIX}/ResourceTypes")
