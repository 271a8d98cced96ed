"""SCIM 2.0 provisioning (RFC 7643, RFC 7644) as SkillGrid sees it: which resource is
linked to which person or team, the errors the protocol names, and the one filter form
identity providers send (``attribute eq "value"``)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from skillgrid.domain.assessments import Actor
from skillgrid.domain.errors import SkillGridError
from skillgrid.domain.people import Role

USER, GROUP = "User", "Group"
DEFAULT_COUNT = 100  # a list without ``count`` answers this many
MAX_COUNT = 1000  # and never more (ServiceProviderConfig says so as filter.maxResults)
TOKEN_PREFIX = "sg_scim_"

# the attributes a filter may name, per resource type, as stored (see ScimRecord)
FILTERABLE = {
    USER: {"userName": "name", "externalId": "external_id", "id": "id"},
    GROUP: {"displayName": "name", "externalId": "external_id", "id": "id"},
}
_FILTER = re.compile(r'\s*([A-Za-z.:0-9]+)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*', re.IGNORECASE)


class ScimError(SkillGridError):
    """A request SCIM answers with an Error message: HTTP ``status``, ``scim_type`` (one of
    RFC 7644 §3.12's keywords, or None) and the detail (this exception's text)."""

    def __init__(self, status: int, detail: str, scim_type: str | None = None) -> None:
        super().__init__(detail)
        self.status, self.scim_type, self.detail = status, scim_type, detail


@dataclass(frozen=True, slots=True)
class ScimRecord:
    """A provisioned resource: its SCIM ``id``, ``kind`` (User or Group), ``key`` (the
    person's email or the team's name it is linked to), ``name`` (userName or
    displayName), ``external_id`` (the identity provider's id), ``payload`` (the resource
    as last written, as JSON text, without id and meta) and its version (the ETag)."""

    id: str
    kind: str
    key: str
    name: str
    external_id: str | None
    payload: str
    created: dt.datetime
    modified: dt.datetime
    version: int = 1


@dataclass(frozen=True, slots=True)
class ScimToken:
    """A bearer token for the identity provider: only its SHA-256 is stored."""

    name: str
    created: dt.datetime
    revoked: bool


@dataclass(frozen=True, slots=True)
class Equals:
    """A filter ``attribute eq "value"``: ``column`` is the stored field it compares."""

    column: str
    value: str


def parse_filter(kind: str, text: str | None) -> Equals | None:
    """The filter of a list request, or None for none. Only ``eq`` on the attributes of
    :data:`FILTERABLE` is served (what Okta, Entra ID and Keycloak send to find a user or
    group before creating it); anything else is refused as ``invalidFilter``."""
    if text is None or not text.strip():
        return None
    found = _FILTER.fullmatch(text)
    names = {name.lower(): column for name, column in FILTERABLE[kind].items()}
    attribute = found.group(1).lower().rsplit(":", 1)[-1] if found else ""
    if found is None or attribute not in names:
        served = " or ".join(f'{name} eq "…"' for name in FILTERABLE[kind])
        raise ScimError(
            400,
            f"filter {text!r} is not served: {kind} lists filter only on {served}",
            "invalidFilter",
        )
    value = re.sub(r"\\(.)", r"\1", found.group(2))
    return Equals(names[attribute], value)


def page_of(start_index: int | None, count: int | None) -> tuple[int, int]:
    """(offset, limit) of a list request: ``startIndex`` counts from 1 (less is 1),
    ``count`` below 0 is 0 and above :data:`MAX_COUNT` is that (RFC 7644 §3.4.2.4)."""
    start = max(start_index or 1, 1)
    limit = DEFAULT_COUNT if count is None else min(max(count, 0), MAX_COUNT)
    return start - 1, limit


def scim_actor(token_name: str) -> Actor:
    """Who a SCIM token acts as in the audit trail (``scim:NAME``): an admin of people and
    teams, reached only through the SCIM routes."""
    return Actor(f"scim:{token_name}", Role.ADMIN)
