"""Invitations: local accounts whose password nobody types for them. An admin invites an
email (``skillgrid user invite``, the admin page or the API); the person opens the one-time
link, chooses their own password (the rules of
:func:`skillgrid.services.accounts.password_weakness`) and is signed in. Only the token's
SHA-256 is stored; the link works once, until it expires (1 to 30 days), and inviting the
email again replaces it.

Who may be invited: a person on file who has not left, or anyone as an admin account; not an
account that has a password already (it changes its own at /account/password). With
password sign-in off (single sign-on only) nobody is: people sign in through SSO.

The link is mailed when mail is configured (``send`` None), or when asked (``send`` True,
refused when mail is not configured); it is always answered to the admin as well. The mail
goes after the invitation is stored: a mail server that fails leaves the invitation, and
says why it was not mailed. Making, revoking, using and each refused use are in the audit
trail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from skillgrid.domain.accounts import (
    INVITATION_DAYS,
    MAX_INVITATION_DAYS,
    Account,
    AccountError,
    Invitation,
    InvitationRefused,
    WebSession,
)
from skillgrid.domain.assessments import Actor
from skillgrid.domain.audit import ANONYMOUS, AuditEntry, actor_name
from skillgrid.domain.errors import ConfigurationError, NotFound
from skillgrid.domain.people import check_email
from skillgrid.domain.reminders import Mail, MailError
from skillgrid.services.accounts import (
    check_new_password,
    hash_password,
    new_token,
    open_session,
    token_digest,
)
from skillgrid.services.audit import record
from skillgrid.services.outbox import Mailer
from skillgrid.services.permissions import require_admin
from skillgrid.services.unit_of_work import UnitOfWork

PATH = "/auth/invite/"  # the page a link opens; the token follows
UNUSABLE = "this invitation is unknown, used already or expired: ask an admin for a new invitation"
SSO_ONLY = "passwords do not sign in here: people sign in through SSO, and need no invitation"
NO_MAIL = (
    "mail is not configured, so the invitation cannot be emailed: set SKILLGRID_SMTP_URL, "
    "SKILLGRID_MAIL_FROM and SKILLGRID_BASE_URL, or hand the person the link yourself"
)


@dataclass(frozen=True, slots=True)
class Site:
    """What invitations depend on, from the settings: whether passwords sign in, the site's
    address (links are absolute only with it) and the mail server (None: not configured)."""

    password_sign_in: bool
    base_url: str | None = None
    mailer: Mailer | None = None

    @property
    def mails(self) -> bool:
        """A mailed link must be whole: mail needs the mail server and the site's address."""
        return self.mailer is not None and self.base_url is not None

    def link(self, token: str) -> str:
        """The invitation's address: whole with the site's address, else only its path."""
        return (self.base_url.rstrip("/") if self.base_url else "") + PATH + token


@dataclass(frozen=True, slots=True)
class Issued:
    """An invitation made: its link (shown once), whether it was emailed, and why not when
    mailing was tried and failed."""

    invitation: Invitation
    link: str
    emailed: bool
    mail_error: str | None = None


def create_invitation(
    uow: UnitOfWork,
    email: str,
    site: Site,
    *,
    admin: bool = False,
    days: int = INVITATION_DAYS,
    send: bool | None = None,
    actor: Actor,
    now: dt.datetime | None = None,
) -> Issued:
    """Invite ``email`` to choose a password, valid ``days`` (1 to 30); an earlier
    invitation of the email stops working. Emailed when ``send`` (None: when mail is
    configured). Admins only."""
    require_admin(actor, "invite people")
    email = check_email(email)
    if not site.password_sign_in:
        raise AccountError(f"{email} cannot be invited: {SSO_ONLY}")
    if not 1 <= days <= MAX_INVITATION_DAYS:
        raise AccountError(f"an invitation lasts 1 to {MAX_INVITATION_DAYS} days, not {days}")
    if send and not site.mails:
        raise ConfigurationError(NO_MAIL)
    now = now or dt.datetime.now(dt.UTC)
    token = new_token("")
    invitation = Invitation(email, admin, now + dt.timedelta(days=days), actor_name(actor), now)
    with uow.write():
        name = _invitable(uow, email, admin)
        uow.invitations.save(invitation, token_digest(token))
        after = {"admin": admin, "expires_at": invitation.expires_at.isoformat(timespec="seconds")}
        record(uow, actor, "invite", "account", email, person=email, after=after)
        uow.commit()
    issued = Issued(invitation, site.link(token), emailed=False)
    if send is False or not site.mails:
        return issued
    assert site.mailer is not None
    try:
        site.mailer.send(invitation_mail(invitation, issued.link, name))
    except MailError as error:
        return replace(issued, mail_error=str(error))
    return replace(issued, emailed=True)


def _invitable(uow: UnitOfWork, email: str, admin: bool) -> str | None:
    """In the open write: refuse an email that may not be invited; the person's name."""
    person = uow.people.get(email)
    if person is None and not admin:
        raise AccountError(
            f"{email} is not a person in the organisation: add them first (skillgrid person "
            "import, the admin page or POST /api/v1/people), or invite them as an admin account"
        )
    if person is not None and not person.active:
        raise AccountError(
            f"{email} is marked as having left: they cannot be invited; if they are back, "
            f"mark them active first (skillgrid person update {email} --active, their admin "
            f"page or PATCH /api/v1/people/{email})"
        )
    account = uow.accounts.get(email)
    if account is not None and account.has_password:
        raise AccountError(
            f"{email} has a password already: they sign in with it and change it at "
            "/account/password (`skillgrid user add` sets a new one)"
        )
    return person.name if person is not None else None


def invitation_mail(invitation: Invitation, link: str, name: str | None) -> Mail:
    """The invitation as a mail to the person."""
    until = invitation.expires_at.strftime("%Y-%m-%d %H:%M UTC")
    what = "an admin account in SkillGrid" if invitation.is_admin else "SkillGrid"
    lines = [
        f"Hello {name}," if name else "Hello,",
        "",
        f"You are invited to {what}, the career ladder your organisation uses. Choose your "
        f"password here (the link works once, until {until}):",
        "",
        link,
        "",
        "If you did not expect this mail, ignore it: nothing happens without the link.",
    ]
    return Mail(invitation.email, "SkillGrid: choose your password", "\n".join(lines))


def list_invitations(uow: UnitOfWork, actor: Actor) -> list[Invitation]:
    """The invitations not used yet (expired ones too, until revoked or made again), by
    email. Admins only."""
    require_admin(actor, "list invitations")
    with uow:
        return uow.invitations.pending()


def revoke_invitation(uow: UnitOfWork, email: str, *, actor: Actor) -> None:
    """Withdraw the email's invitation: its link stops working. Admins only."""
    require_admin(actor, "revoke invitations")
    email = email.strip().lower()
    with uow.write():
        if not uow.invitations.remove(email):
            raise NotFound(f"no pending invitation for {email}: used, revoked, or never made")
        record(uow, actor, "revoke_invitation", "account", email, person=email)
        uow.commit()


def invitation_for(uow: UnitOfWork, token: str, *, password_sign_in: bool = True) -> Invitation:
    """The usable invitation of a link's token (to show its page), or
    :class:`InvitationRefused` saying why there is none."""
    if not password_sign_in:
        raise InvitationRefused(SSO_ONLY)
    with uow:
        found = uow.invitations.find(token_digest(token))
    if found is None:
        raise InvitationRefused(UNUSABLE)
    refusal = _refusal(uow, found, dt.datetime.now(dt.UTC), password_sign_in)
    if refusal is not None:
        raise InvitationRefused(refusal[1])
    return found


def accept_invitation(
    uow: UnitOfWork,
    token: str,
    new: str,
    repeat: str,
    *,
    address: str,
    password_sign_in: bool = True,
) -> tuple[str, WebSession]:
    """Use an invitation: the account gets the password ``new`` (equal to ``repeat``, within
    the rules: :class:`AccountError` otherwise, and the invitation stays), the invitation is
    used up, and a new session signs the person in (its cookie token and the session). An
    invitation that cannot be used raises :class:`InvitationRefused`; when it names an
    account the refusal is in the audit trail."""
    now = dt.datetime.now(dt.UTC)
    digest = token_digest(token)
    found = _usable(uow, digest, now, password_sign_in, address)
    check_new_password(found.email, new, repeat)
    password_hash = hash_password(new)  # argon2 takes a while: never inside a write
    with uow.write():
        if not uow.invitations.take(digest):  # used meanwhile, in another request
            raise InvitationRefused(UNUSABLE)
        existing = uow.accounts.get(found.email)
        admin = found.is_admin or (existing is not None and existing.is_admin)
        uow.accounts.save(Account(found.email, password_hash, admin))
        uow.accounts.end_sessions_of(found.email)  # a new password: other sessions end
        uow.sign_ins.forget_devices_of(found.email)
        session_token, session = open_session(uow, found.email, now)
        email, used = found.email, {"password": "set", "admin": admin, "address": address}
        uow.audit.add(AuditEntry(email, "accept_invitation", "account", email, email, None, used))
        signed = {"address": address, "via": "invitation"}
        uow.audit.add(AuditEntry(email, "sign_in", "account", email, email, None, signed))
        uow.commit()
    return session_token, session


def _usable(
    uow: UnitOfWork, digest: str, now: dt.datetime, password_sign_in: bool, address: str
) -> Invitation:
    """The invitation of ``digest`` if it may be used now; else :class:`InvitationRefused`,
    recorded in the audit trail when the invitation names an account."""
    with uow:
        found = uow.invitations.find(digest)
    if found is None:
        raise InvitationRefused(SSO_ONLY if not password_sign_in else UNUSABLE)
    refusal = _refusal(uow, found, now, password_sign_in)
    if refusal is not None:
        after = {"reason": refusal[0], "address": address}
        entry = AuditEntry(ANONYMOUS, "invitation_refused", "account", found.email, found.email)
        with uow.write():
            uow.audit.add(replace(entry, after=after))
            uow.commit()
        raise InvitationRefused(refusal[1])
    return found


def _refusal(
    uow: UnitOfWork, invitation: Invitation, now: dt.datetime, password_sign_in: bool
) -> tuple[str, str] | None:
    """Why ``invitation`` cannot be used now (what the audit trail says, what the person is
    told), or None."""
    if not password_sign_in:
        return "password sign-in is off", SSO_ONLY
    if invitation.expired(now):
        return "expired", UNUSABLE
    with uow:
        person, account = uow.people.get(invitation.email), uow.accounts.get(invitation.email)
    if account is not None and account.has_password:  # given one since the invitation
        return "has a password", (
            f"{invitation.email} has a password already: sign in with it, or ask an admin "
            "to reset it"
        )
    if person is not None and not person.active:
        return "left the organisation", (
            f"{invitation.email} is marked as having left the organisation: no invitation "
            "signs them in"
        )
    if person is None and not invitation.is_admin:
        return "not a person", f"{invitation.email} is not a person in the organisation"
    return None
