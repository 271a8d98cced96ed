"""The audit trail: who changed what, when, from what to what.

An entry names the actor (a person's email, ``cli/operator`` for the local operator,
``web/anonymous`` for a failed sign-in, or ``web/sso`` for an account or person that single
sign-on made, or an admin right it changed, on the identity provider's word), the action,
the entity (type and id), the person it concerns (for who may read it) and the changed
fields before and after. Secrets are
never recorded (passwords, password hashes, tokens, session ids); personal text (evidence
text, rating comments) is recorded only as having changed, as :data:`PERSONAL_TEXT`.

Who reads what (``services.permissions`` and ``services.audit.readable``): admins read every
entry; anyone above a person in the management chain reads the entries about that person;
a person reads the entries about themselves except rating changes made by someone else.
A rating change made by someone else in an assessment that is still a draft shows who made
it and when, never the ratings: a draft is its author's own until submitted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from skillgrid.domain.assessments import Actor

OPERATOR_NAME = "cli/operator"
ANONYMOUS = "web/anonymous"  # a failed sign-in: whoever tried is not known
SSO_ACTOR = "web/sso"  # what single sign-on made on the identity provider's word
PERSONAL_TEXT = "[personal text]"
CHANGED_TEXT = "[personal text, changed]"
RATE = "rate"

JsonMap = dict[str, Any]


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One recorded change; ``before``/``after`` hold only the fields that changed."""

    actor: str
    action: str
    entity: str
    entity_id: str
    person: str | None = None
    before: JsonMap | None = None
    after: JsonMap | None = None
    at: dt.datetime | None = None  # set when stored (UTC)
    id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat() if self.at else None,
            "actor": self.actor,
            "action": self.action,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "person": self.person,
            "before": self.before,
            "after": self.after,
        }


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """What to list: every filter is optional; newest first, ``limit`` from ``offset``."""

    person: str | None = None
    entity: str | None = None
    entity_id: str | None = None
    since: dt.datetime | None = None
    limit: int = 100
    offset: int = 0


def actor_name(actor: Actor) -> str:
    """How an actor is written in the trail."""
    return actor.email or OPERATOR_NAME


def changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[JsonMap, JsonMap]:
    """The fields whose values differ, on each side (a field missing on one side is None)."""
    keys = [k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def personal(text: str | None) -> str | None:
    """Personal text as the trail records it: that there is some, never what it says."""
    return PERSONAL_TEXT if text else None


@dataclass(frozen=True, slots=True)
class AuditScope:
    """The entries a non-admin may list: about people below ``me`` in the management chain,
    and about ``me`` (rating changes only when they made them)."""

    me: str


def scope_of(actor: Actor) -> AuditScope | None:
    """None (everything) for an admin, else the actor's scope."""
    if actor.is_admin:
        return None
    return AuditScope(actor.email or "")


def rating_changes(
    before: Mapping[str, Any], after: Mapping[str, Any], ids: Mapping[str | None, str]
) -> tuple[JsonMap, JsonMap]:
    """Rating entries (criterion uid → Entry) that differ, keyed by criterion id in the
    ladder version (the uid itself for a criterion that version no longer has); each side
    holds the criterion's uid and the fields that changed. Comments are personal text."""
    old: JsonMap = {}
    new: JsonMap = {}
    for uid in dict.fromkeys([*before, *after]):
        was, now = changed(_entry_fields(before.get(uid)), _entry_fields(after.get(uid)))
        if not was and not now:
            continue
        if "comment" in was:  # say that the comment changed, never what it says
            was["comment"] = personal(was["comment"])
            now["comment"] = personal(now["comment"])
            if was["comment"] and now["comment"]:
                now["comment"] = CHANGED_TEXT
        key = ids.get(uid, uid)
        old[key] = {"uid": uid, **was}
        new[key] = {"uid": uid, **now}
    return old, new


def _entry_fields(entry: Any) -> JsonMap:
    if entry is None:
        return {}
    fields: JsonMap = {"rating": entry.rating.value}
    if entry.reason:
        fields["reason"] = entry.reason
    if entry.comment:
        fields["comment"] = entry.comment
    if entry.needs_review:
        fields["needs_review"] = True
    return fields
