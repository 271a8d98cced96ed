"""What an ID token says and what SkillGrid makes of it: the email that names the person,
the admin right, a new person's name, and the provider's own identity for the account
(issuer and subject, ``iss`` and ``sub``).

An account is linked to the identity it first signed in as. Afterwards only that identity
signs it in: an email claim is the provider's word for where mail goes, and at some
providers a user or an admin can change it (a new hire given a departed colleague's
address, or anyone able to edit their own profile), so an email alone must not move an
account from one identity to another. An admin unlinks an account (``skillgrid user
sso-unlink EMAIL``) when a person's identity really changed; a link made at another issuer
(the company changed identity provider) is replaced at the next sign-in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from skillgrid.domain.assessments import Actor
from skillgrid.domain.audit import SSO_ACTOR, AuditEntry
from skillgrid.domain.errors import NotFound, SkillGridError
from skillgrid.domain.people import EMAIL, check_email, normal_email
from skillgrid.services.audit import record
from skillgrid.services.permissions import require_admin
from skillgrid.services.unit_of_work import UnitOfWork

UNLINK = "skillgrid user sso-unlink"


@dataclass(frozen=True)
class SsoPolicy:
    """What the settings say about single sign-on (``SKILLGRID_OIDC_*``)."""

    email_claim: str = "email"
    require_verified_email: bool = True
    admin_claim: str = "groups"
    admin_values: frozenset[str] = frozenset()  # none: sign-on never changes admin rights
    create_people: bool = False
    contact: str | None = None  # whom a refused person should ask


class SsoRefused(SkillGridError):
    """A single sign-on that signs nobody in: ``reason`` (for the audit trail), a message
    for the person, ``ask`` (whom to ask, when asking someone helps) and ``status``: 403 when
    the provider vouched for someone SkillGrid will not let in, 400 for an answer that fails
    a check, 502 when the provider cannot be reached."""

    def __init__(
        self,
        reason: str,
        message: str,
        *,
        status: int = 400,
        email: str | None = None,
        ask: str | None = None,
    ) -> None:
        super().__init__(message)
        self.reason, self.status, self.email, self.ask = reason, status, email, ask


def identity(claims: Mapping[str, Any], policy: SsoPolicy) -> str:
    """The email the ID token vouches for, normalised; :class:`SsoRefused` (403) when the
    claim is missing, is no email, or is not verified while the policy asks it to be."""
    value = claims.get(policy.email_claim)
    if not isinstance(value, str) or not EMAIL.fullmatch(normal_email(value)):
        raise SsoRefused(
            "no_email",
            f"the identity provider sent no email in the {policy.email_claim!r} claim: ask "
            "its administrators to release it to SkillGrid",
            status=403,
        )
    email = normal_email(value)
    verified = claims.get("email_verified")
    if policy.require_verified_email and verified not in (True, "true"):
        raise SsoRefused(
            "email_unverified",
            f"the identity provider does not say that {email} is verified: verify the email "
            "there, or ask its administrators to",
            status=403,
            email=email,
        )
    return email


def wants_admin(claims: Mapping[str, Any], policy: SsoPolicy) -> bool | None:
    """Whether the admin claim makes an admin; None when no admin values are configured
    (then single sign-on leaves admin rights as they are)."""
    if not policy.admin_values:
        return None
    value = claims.get(policy.admin_claim)
    values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return any(isinstance(v, str) and v in policy.admin_values for v in values)


def name_of(claims: Mapping[str, Any], email: str) -> str:
    """A new person's name: the ``name`` claim, else given and family names, else the part
    of the email before the @."""
    name = claims.get("name")
    if isinstance(name, str) and name.strip():
        return name.strip()[:200]
    parts = [claims.get("given_name"), claims.get("family_name")]
    joined = " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
    return joined[:200] or email.partition("@")[0]


def check_link(uow: UnitOfWork, email: str, claims: Mapping[str, Any], now: dt.datetime) -> None:
    """In an open unit of work that writes: link the account of ``email`` to the token's
    identity on its first single sign-on (or its first at a new issuer), or
    :class:`SsoRefused` (403) when the account is linked to another identity, or the
    identity to another account."""
    issuer, subject = claims.get("iss"), claims.get("sub")
    if not isinstance(issuer, str) or not isinstance(subject, str) or not subject:
        raise SsoRefused(
            "no_subject",
            "the identity provider's ID token names no subject (sub): ask its administrators",
        )
    holder = uow.sign_ins.identity_holder(issuer, subject)
    if holder is not None and holder != email:
        raise SsoRefused(
            "identity_elsewhere",
            f"your identity at the provider is linked to the SkillGrid account {holder}, and "
            f"the provider now gives the email {email}: ask a SkillGrid admin to change your "
            f"email here to match ({UNLINK} {holder} links it afresh)",
            status=403,
            email=email,
        )
    linked = uow.sign_ins.identity_of(email)
    if linked == (issuer, subject):
        return
    if linked is not None and linked[0] == issuer:
        raise SsoRefused(
            "identity_mismatch",
            f"the SkillGrid account {email} is linked to another identity at the provider "
            "(the email may have passed from one person to another there), so SkillGrid does "
            f"not sign you in: ask a SkillGrid admin to check, and to unlink it if it is "
            f"right ({UNLINK} {email})",
            status=403,
            email=email,
        )
    uow.sign_ins.link_identity(email, issuer, subject, now)
    before = {"issuer": linked[0]} if linked is not None else None
    after = {"issuer": issuer, "subject": subject}
    uow.audit.add(AuditEntry(SSO_ACTOR, "link_identity", "account", email, email, before, after))


def unlink_identity(uow: UnitOfWork, email: str, *, actor: Actor) -> tuple[str, str]:
    """Unlink the account of ``email`` from its identity at the provider (an admin's, or
    the operator's, to do): its next single sign-on links the identity it comes with.
    Answers the identity unlinked; NotFound when none is linked."""
    require_admin(actor, "unlink accounts from identities")
    email = check_email(email)
    with uow.write():
        linked = uow.sign_ins.identity_of(email)
        if linked is None:
            raise NotFound(f"the account {email} is not linked to an identity at the provider")
        uow.sign_ins.unlink_identity(email)
        before = {"issuer": linked[0], "subject": linked[1]}
        record(uow, actor, "unlink_identity", "account", email, person=email, before=before)
        uow.commit()
    return linked
