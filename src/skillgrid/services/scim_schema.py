"""What SkillGrid serves over SCIM, as scim2-models classes: a User (userName, name,
displayName, emails, active, and the enterprise extension's department and manager) and a
Group (displayName, members), and the discovery documents made from them
(ServiceProviderConfig, ResourceTypes, Schemas). Attributes SkillGrid does not keep are not
published, so identity providers do not send them."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import EmailStr, Field
from scim2_models import (
    AnyExtension,
    AuthenticationScheme,
    Bulk,
    CaseExact,
    ChangePassword,
    ComplexAttribute,
    Context,
    EnterpriseUser,
    ETag,
    Extension,
    Filter,
    Group,
    Meta,
    Mutability,
    Patch,
    Reference,
    Required,
    Resource,
    ResourceType,
    ScimPolicy,
    ServiceProviderConfig,
    Sort,
    Uniqueness,
)
from scim2_models.resources.user import Email, Name
from scim2_models.urn import URN

from skillgrid.domain.scim import GROUP, MAX_COUNT, USER

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
# What identity providers send that the RFCs' strict reading refuses: attributes we do not
# publish (dropped), Entra ID's ``remove`` with a value and its filters on emails that
# match nothing yet (``emails[type eq "work"].value``: the entry is made)
POLICY = ScimPolicy(
    unknown=ScimPolicy.Unknown.ignore,
    remove_value_as_filter=ScimPolicy.RemoveValue.apply,
    unmatched_path_filter=ScimPolicy.UnmatchedPathFilter.create,
)


class PersonEmail(Email):
    """An email of the person: an entry without its address means nothing."""

    value: Annotated[EmailStr | None, Required.true] = None


class Manager(ComplexAttribute):
    """The person's manager: ``value`` is the manager's SCIM id (``$ref`` optional)."""

    value: Annotated[str | None, CaseExact.true] = None
    # "User" names the resource type referred to (scim2-models' Reference), not a class
    ref: Annotated[Reference["User"] | None, Required.false] = Field(  # type: ignore[type-arg]  # noqa: UP037
        None, serialization_alias="$ref", validation_alias="$ref"
    )
    display_name: Annotated[str | None, Mutability.read_only] = None


class Enterprise(Extension):
    """The enterprise extension, as far as SkillGrid keeps it: department is the team."""

    __schema__ = EnterpriseUser.__schema__
    department: str | None = None
    manager: Manager | None = None


class User(Resource[AnyExtension]):
    """A person. userName is their email (or, when it is not an email address, the primary
    email is); emails are required so a person always has one."""

    __schema__ = URN(CORE_USER)
    user_name: Annotated[str | None, Uniqueness.server, Required.true] = None
    name: Name | None = None
    display_name: str | None = None
    emails: Annotated[list[PersonEmail] | None, Required.true] = None
    active: bool | None = None


UserModel = User[Enterprise]
GroupModel = Group
MODELS: dict[str, type[Resource[Any]]] = {USER: UserModel, GROUP: GroupModel}


def service_provider_config(base_url: str) -> dict[str, Any]:
    """What the server supports (RFC 7643 §5)."""
    config = ServiceProviderConfig(
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_COUNT),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=True),
        authentication_schemes=[
            AuthenticationScheme(
                type=AuthenticationScheme.Type.oauthbearertoken,
                name="Bearer token",
                description="A token from `skillgrid scim token create NAME`",
                primary=True,
            )
        ],
    )
    config.meta = Meta(
        resource_type="ServiceProviderConfig", location=f"{base_url}/ServiceProviderConfig"
    )
    return config.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)


def resource_types(base_url: str) -> list[dict[str, Any]]:
    """The ResourceTypes: User (with the enterprise extension) and Group."""
    found = []
    for kind, model in MODELS.items():
        resource_type = ResourceType.from_resource(model)
        resource_type.meta = Meta(
            resource_type="ResourceType", location=f"{base_url}/ResourceTypes/{kind}"
        )
        found.append(resource_type.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))
    return found


def schemas(base_url: str) -> list[dict[str, Any]]:
    """The Schemas of User, Group and the enterprise extension."""
    found = []
    for model in (User, Group, Enterprise):
        schema = model.to_schema()
        schema.meta = Meta(resource_type="Schema", location=f"{base_url}/Schemas/{schema.id}")
        found.append(schema.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))
    return found
