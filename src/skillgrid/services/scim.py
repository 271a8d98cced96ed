"""SCIM 2.0 provisioning (RFC 7644): Users and Groups created, read, listed, replaced,
patched and deleted by an identity provider, each request one unit of work. Payloads are
read and written with scim2-models (:mod:`skillgrid.services.scim_schema`); what they mean
for people and teams is :mod:`skillgrid.services.scim_mapping`.

Deleting a User deactivates the person (their history stays) and forgets the link; a later
User with the same email links to the person again. Deleting a Group forgets the link; the
team and its people stay."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from pydantic import ValidationError
from scim2_models import (
    Context,
    Error,
    Group,
    Meta,
    PatchOp,
    Resource,
    ResponseParameters,
    SCIMException,
)

from skillgrid.domain.assessments import Actor
from skillgrid.domain.people import normal_email
from skillgrid.domain.scim import USER, ScimError, ScimRecord, page_of, parse_filter
from skillgrid.services.people import store_person
from skillgrid.services.permissions import require_admin
from skillgrid.services.scim_mapping import (
    apply_group,
    apply_user,
    show_group,
    show_user,
    user_email,
)
from skillgrid.services.scim_schema import MODELS, POLICY
from skillgrid.services.unit_of_work import UnitOfWork

DOING = "provision people and teams over SCIM"
LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"


@dataclass(frozen=True)
class Shown:
    """Which attributes an answer carries (``attributes`` / ``excludedAttributes``)."""

    attributes: Sequence[str] = ()
    excluded: Sequence[str] = ()

    def parameters(self) -> ResponseParameters[Any] | None:
        if not self.attributes and not self.excluded:
            return None
        asked = {"attributes": list(self.attributes), "excludedAttributes": list(self.excluded)}
        return ResponseParameters.model_validate({k: v for k, v in asked.items() if v})


@dataclass(frozen=True)
class Answer:
    """A resource as JSON-ready data and its ETag."""

    data: dict[str, Any]
    etag: str


def create(uow: UnitOfWork, actor: Actor, kind: str, body: Any, base_url: str) -> Answer:
    """POST: a new User (linked to the person of its email, who is added when new) or
    Group (linked to the team of its name, added when new)."""
    require_admin(actor, DOING)
    resource = _read(kind, body, Context.RESOURCE_CREATION_REQUEST)
    now = dt.datetime.now(dt.UTC)
    with uow.write():
        name = _unique_name(uow, kind, resource, None)
        if kind == USER:
            key = user_email(resource)
            if uow.scim.linked(USER, key) is not None:
                raise ScimError(409, f"a User for {key} exists already", "uniqueness")
            apply_user(uow, actor, resource, None, key)
        else:
            if uow.scim.linked(kind, name.strip()) is not None:
                raise ScimError(409, f"a Group named {name!r} exists already", "uniqueness")
            key = apply_group(uow, actor, _group(resource), None)
        record = ScimRecord(
            str(uuid.uuid4()), kind, key, name, resource.external_id, _payload(resource), now, now
        )
        uow.scim.save(record)
        answer = _answer(uow, record, base_url, Shown())
        uow.commit()
    return answer


def read(
    uow: UnitOfWork, actor: Actor, kind: str, resource_id: str, base_url: str, shown: Shown
) -> Answer:
    """GET one resource by its id."""
    require_admin(actor, DOING)
    with uow:
        return _answer(uow, _get(uow, kind, resource_id), base_url, shown)


def search(
    uow: UnitOfWork,
    actor: Actor,
    kind: str,
    base_url: str,
    *,
    filter_text: str | None = None,
    start_index: int | None = None,
    count: int | None = None,
    shown: Shown = Shown(),
) -> dict[str, Any]:
    """GET a list: ``filter`` (``userName eq "…"`` and the like), ``startIndex`` (from 1)
    and ``count`` as RFC 7644 §3.4.2 has them."""
    require_admin(actor, DOING)
    where = parse_filter(kind, filter_text)
    offset, limit = page_of(start_index, count)
    with uow:
        total, records = uow.scim.page(kind, where, offset, limit)
        found = [_answer(uow, record, base_url, shown).data for record in records]
    return list_response(found, total, offset + 1)


def list_response(
    found: list[dict[str, Any]], total: int | None = None, start_index: int = 1
) -> dict[str, Any]:
    """A ListResponse (RFC 7644 §3.4.2): ``found``, a page from ``start_index`` of ``total``
    (by default the whole list)."""
    return {
        "schemas": [LIST_RESPONSE],
        "totalResults": len(found) if total is None else total,
        "startIndex": start_index,
        "itemsPerPage": len(found),
        "Resources": found,
    }


def replace_resource(
    uow: UnitOfWork,
    actor: Actor,
    kind: str,
    resource_id: str,
    body: Any,
    base_url: str,
    if_match: str | None = None,
) -> Answer:
    """PUT: the resource as sent, in full."""
    require_admin(actor, DOING)
    resource = _read(kind, body, Context.RESOURCE_REPLACEMENT_REQUEST)
    with uow.write():
        record = _get(uow, kind, resource_id, if_match)
        answer = _store(uow, actor, record, _stored(record), resource, base_url)
        uow.commit()
    return answer


def patch(
    uow: UnitOfWork,
    actor: Actor,
    kind: str,
    resource_id: str,
    body: Any,
    base_url: str,
    if_match: str | None = None,
) -> Answer:
    """PATCH: add, replace and remove operations applied in order, all or none."""
    require_admin(actor, DOING)
    model = MODELS[kind]
    operations = _read_patch(model, body)
    with uow.write():
        record = _get(uow, kind, resource_id, if_match)
        before = _stored(record)
        after = before.model_copy(deep=True)
        try:
            operations.patch(after, POLICY)
        except SCIMException as error:
            raise ScimError(error.status, error.detail, error.scim_type or None) from None
        answer = _store(uow, actor, record, before, after, base_url)
        uow.commit()
    return answer


def delete(
    uow: UnitOfWork, actor: Actor, kind: str, resource_id: str, if_match: str | None = None
) -> None:
    """DELETE: a User's person is deactivated (history stays); the link is forgotten."""
    require_admin(actor, DOING)
    with uow.write():
        record = _get(uow, kind, resource_id, if_match)
        person = uow.people.get(record.key) if kind == USER else None
        if person is not None and person.active:
            store_person(uow, actor, replace(person, active=False), person)
        uow.scim.remove(kind, resource_id)
        uow.commit()


def _store(
    uow: UnitOfWork,
    actor: Actor,
    record: ScimRecord,
    before: Resource[Any],
    after: Resource[Any],
    base_url: str,
) -> Answer:
    name = _unique_name(uow, record.kind, after, record.id)
    key = record.key
    if record.kind == USER:
        _keep_email(record, after)
        apply_user(uow, actor, after, before, key)
    else:
        key = apply_group(uow, actor, _group(after), record)
    updated = replace(
        record,
        key=key,
        name=name,
        external_id=after.external_id,
        payload=_payload(after),
        modified=dt.datetime.now(dt.UTC),
        version=record.version + 1,
    )
    uow.scim.save(updated)
    return _answer(uow, updated, base_url, Shown())


def _keep_email(record: ScimRecord, user: Any) -> None:
    """A userName that is an email address is the person's: it may not become another."""
    if "@" in (user.user_name or "") and normal_email(user.user_name) != record.key:
        try:
            email = user_email(user)
        except ScimError:
            return
        if email != record.key:
            raise ScimError(
                400,
                f"userName {user.user_name!r} would change the email of {record.key}, which "
                "SkillGrid cannot do yet: keep the userName, or delete this User and "
                "provision the person anew",
                "mutability",
            )


def _unique_name(uow: UnitOfWork, kind: str, resource: Any, resource_id: str | None) -> str:
    name = str(resource.user_name if kind == USER else resource.display_name or "").strip()
    attribute = "userName" if kind == USER else "displayName"
    if not name:
        raise ScimError(400, f"{attribute} is required: send one", "invalidValue")
    _, same = uow.scim.page(kind, parse_filter(kind, f'{attribute} eq "{_quoted(name)}"'), 0, 1)
    if same and same[0].id != resource_id:
        raise ScimError(409, f"{attribute} {name!r} is taken by {same[0].id}", "uniqueness")
    return name


def _quoted(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _get(uow: UnitOfWork, kind: str, resource_id: str, if_match: str | None = None) -> ScimRecord:
    record = uow.scim.get(kind, resource_id)
    if record is None:
        raise ScimError(404, f"no {kind} with id {resource_id!r}")
    if if_match is not None and if_match.strip() not in ("*", etag_of(record)):
        raise ScimError(
            412,
            f"the {kind} changed since (it is at {etag_of(record)}): read it again and retry",
        )
    return record


def etag_of(record: ScimRecord) -> str:
    return f'W/"{record.version}"'


def _answer(uow: UnitOfWork, record: ScimRecord, base_url: str, shown: Shown) -> Answer:
    resource = _stored(record)
    if record.kind == USER:
        show_user(uow, record, resource, base_url)
    else:
        show_group(uow, record, _group(resource), base_url)
    resource.id = record.id
    resource.meta = Meta(
        resource_type=record.kind,
        created=record.created,
        last_modified=record.modified,
        location=f"{base_url}/{record.kind}s/{record.id}",
        version=etag_of(record),
    )
    data: dict[str, Any] = resource.model_dump(
        scim_ctx=Context.RESOURCE_QUERY_RESPONSE, response_parameters=shown.parameters()
    )
    return Answer(data, etag_of(record))


def _group(resource: Resource[Any]) -> Group:
    if not isinstance(resource, Group):  # pragma: no cover (MODELS says so)
        raise TypeError(f"not a Group: {type(resource).__name__}")
    return resource


def _stored(record: ScimRecord) -> Resource[Any]:
    return MODELS[record.kind].model_validate(json.loads(record.payload), scim_policy=POLICY)


def _payload(resource: Resource[Any]) -> str:
    data = resource.model_dump(scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST)
    for read_only in ("id", "meta"):
        data.pop(read_only, None)
    return json.dumps(data, sort_keys=True)


def _read(kind: str, body: Any, context: Context) -> Resource[Any]:
    if not isinstance(body, dict):
        raise ScimError(400, f"send a {kind} as a JSON object", "invalidSyntax")
    body = {k: v for k, v in body.items() if k not in ("id", "meta")}  # ours, not theirs
    try:
        return MODELS[kind].model_validate(body, scim_ctx=context, scim_policy=POLICY)
    except ValidationError as error:
        raise _invalid(error) from None


def _read_patch(model: type[Resource[Any]], body: Any) -> PatchOp[Any]:
    if not isinstance(body, dict):
        raise ScimError(400, "send a PatchOp as a JSON object", "invalidSyntax")
    try:
        return PatchOp[model].model_validate(  # type: ignore[valid-type]
            _entra_values(body), scim_ctx=Context.RESOURCE_PATCH_REQUEST, scim_policy=POLICY
        )
    except ValidationError as error:
        raise _invalid(error) from None


def _entra_values(body: dict[str, Any]) -> dict[str, Any]:
    """Entra ID sends the manager as the bare id (``"value": "<id>"``) where RFC 7643 has
    a complex value (``{"value": "<id>"}``): read it as that."""
    operations = body.get("Operations")
    if not isinstance(operations, list):
        return body
    fixed = []
    for operation in operations:
        path = str(operation.get("path", "")) if isinstance(operation, dict) else ""
        if path.lower().endswith(":manager") and isinstance(operation.get("value"), str):
            operation = {**operation, "value": {"value": operation["value"]}}
        fixed.append(operation)
    return {**body, "Operations": fixed}


def _invalid(error: ValidationError) -> ScimError:
    errors = Error.from_validation_errors(error)
    first = errors[0] if errors else Error(status=400, detail=str(error))
    where = ", ".join(".".join(str(p) for p in e["loc"]) for e in error.errors())
    detail = f"{first.detail} ({where})" if where else str(first.detail)
    return ScimError(int(first.status or 400), detail, first.scim_type or "invalidValue")
