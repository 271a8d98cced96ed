"""Administration: the page, and its forms for ladders (upload with a preview of the split
before storing), people (CSV), accounts and invitations; the cycles' forms are in
:mod:`admin_cycles`. Admins only; everyone else gets 404."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from skillgrid.domain.accounts import MIN_PASSWORD
from skillgrid.domain.assessments import Forbidden
from skillgrid.domain.errors import InputError, Problem, SkillGridError
from skillgrid.domain.framework import LADDER_NAME
from skillgrid.services.cycles import CycleMove
from skillgrid.services.invitations import Issued
from skillgrid.web.deps import Caller, Csrf, CurrentUser, check_csrf, site_of, templates_of
from skillgrid.web.html_ids import html_id
from skillgrid.web.limits import MAX_UPLOAD, expensive

if TYPE_CHECKING:
    from skillgrid.importers import ImportOptions

router = APIRouter(include_in_schema=False)


def _read(upload: UploadFile) -> bytes:
    data = upload.file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise InputError(
            [
                Problem(
                    f"the file is over {MAX_UPLOAD // 1024 // 1024} MB",
                    "a ladder or people file is far smaller: check the file",
                )
            ]
        )
    return data


def back_to(section: str) -> Response:
    return RedirectResponse(f"/admin#{html_id(section)}", status_code=303)


LISTED = 100  # people the page lists at once; the rest are a search away


@router.get("/admin")
def admin_page(
    request: Request, user: CurrentUser, find: str = Query("", max_length=200)
) -> Response:
    """The administration page; ``find``: list the people whose name or email holds it."""
    with user:
        return page(request, user, find=find.strip())


def page(
    request: Request,
    user: Caller,
    errors: Mapping[str, str] | None = None,
    typed: Mapping[str, str] | None = None,
    invited: Issued | None = None,
    moved: CycleMove | None = None,
    find: str = "",
) -> Response:
    """The page; after a refused form, its error beside it and what was typed in it (422);
    after an invitation, its link (shown only then); after a cycle moved, what became of
    its ratings."""
    from skillgrid.services.accounts import list_users
    from skillgrid.services.cycles import list_cycles, move_offers
    from skillgrid.services.frameworks import list_frameworks
    from skillgrid.services.invitations import list_invitations
    from skillgrid.services.people import list_people, list_teams

    ladders = list_frameworks(user.uow)
    everyone = list_people(user.uow, user.actor)
    found = list_people(user.uow, user.actor, matching=find) if find else everyone
    return templates_of(request).TemplateResponse(
        request,
        "admin.html",
        {
            "user": user,
            "ladders": ladders,
            "moves": move_offers(user.uow),
            "cycles": list_cycles(user.uow),
            "teams": list_teams(user.uow, user.actor),
            "people": everyone,
            "found": found[:LISTED],
            "matched": len(found),
            "find": find,
            "accounts": list_users(user.uow, user.actor),
            "invitations": list_invitations(user.uow, user.actor),
            "invited": invited,
            "moved": moved,
            "mails": site_of(request).mails,
            "now": dt.datetime.now(dt.UTC),
            "ladder_name": LADDER_NAME,
            "min_password": MIN_PASSWORD,
            "errors": errors or {},
            "typed": typed or {},
        },
        status_code=422 if errors else 200,
    )


def posted(
    request: Request,
    user: Caller,
    csrf_token: str,
    section: str,
    typed: Mapping[str, str],
    act: Callable[[], Response],
) -> Response:
    """A form of the page posted: in the request's unit of work, once its CSRF token is
    checked, ``act()``'s answer; if the rules refuse it, the admin page again with the reason
    beside the form of ``section`` and what was typed in it (a file must be chosen again:
    browsers never fill one in)."""
    with user:
        check_csrf(user, csrf_token)
        try:
            return act()
        except SkillGridError as error:
            if isinstance(error, Forbidden) or not user.actor.is_admin:
                raise  # everyone else gets the page's 404, as before
            return page(request, user, {section: str(error)}, typed)


@router.post("/admin/ladders/preview")
def ladder_preview(
    request: Request,
    user: CurrentUser,
    name: Annotated[str, Form(pattern=f"^{LADDER_NAME}$")],
    file: Annotated[UploadFile, File()],
    split: Annotated[str, Form(pattern="^(auto|lines|sentences)$")] = "auto",
    levels: Annotated[str, Form(pattern="^(auto|rows|columns)$")] = "auto",
    csrf_token: Csrf = "",
) -> Response:
    """Read the upload and show the split cell by cell, and what storing would change."""
    from skillgrid.services.frameworks import import_framework

    def preview() -> Response:
        data = _read(file)
        source = file.filename or "upload"
        with expensive(request, user.email):
            outcome = import_framework(
                user.uow,
                data,
                source,
                name,
                _import_options(split, levels),
                dry_run=True,
                actor=user.actor,
            )
        return templates_of(request).TemplateResponse(
            request,
            "admin_preview.html",
            {
                "user": user,
                "outcome": outcome,
                "name": name,
                "split": split,
                "levels": levels,
                "source": source,
                "payload": base64.b64encode(data).decode(),
            },
        )

    typed = {"ladder_name": name, "split": split, "levels": levels}
    return posted(request, user, csrf_token, "ladders", typed, preview)


@router.post("/admin/ladders/store")
def ladder_store(
    request: Request,
    user: CurrentUser,
    name: Annotated[str, Form(pattern=f"^{LADDER_NAME}$")],
    payload: Annotated[str, Form(max_length=MAX_UPLOAD * 2)],
    source: Annotated[str, Form(max_length=300)],
    split: Annotated[str, Form(pattern="^(auto|lines|sentences)$")] = "auto",
    levels: Annotated[str, Form(pattern="^(auto|rows|columns)$")] = "auto",
    after: Annotated[int | None, Form(ge=0, le=2**31 - 1)] = None,
    csrf_token: Csrf = "",
) -> Response:
    """Store the previewed file as the next version (nothing if unchanged); refused when
    another version was stored since the preview (``after``: the version it showed; the
    preview's form always sends it)."""
    from skillgrid.services.frameworks import import_framework

    with user:
        check_csrf(user, csrf_token)
        try:
            data = base64.b64decode(payload, validate=True)
        except binascii.Error:
            raise InputError(
                [Problem("the preview was damaged", "upload the file again")]
            ) from None
        with expensive(request, user.email):
            import_framework(
                user.uow,
                data,
                source,
                name,
                _import_options(split, levels),
                after=after,
                actor=user.actor,
            )
        return RedirectResponse(f"/ladders/{name}", status_code=303)


def _import_options(split: str, levels: str) -> ImportOptions:
    """The upload form's choices: how cells split, and whether levels are rows or columns
    ("auto": detected from the labels)."""
    from skillgrid.domain.splitting import SplitMode
    from skillgrid.importers import ImportOptions, Orientation

    return ImportOptions(
        split=SplitMode(split), levels_as=None if levels == "auto" else Orientation(levels)
    )


@router.post("/admin/ladders/{name}/criteria/{criterion_id}/examples")
def criterion_examples(
    request: Request,
    user: CurrentUser,
    name: str,
    criterion_id: str,
    examples: Annotated[str, Form(max_length=200_000)] = "",
    csrf_token: Csrf = "",
) -> Response:
    """Store the criterion's examples (one a line) as the ladder's next version."""
    from skillgrid.services.frameworks import set_examples
    from skillgrid.web.pages.ladders import criterion_page

    with user:
        check_csrf(user, csrf_token)
        try:
            stored = set_examples(
                user.uow, name, criterion_id, examples.splitlines(), actor=user.actor
            )
        except InputError as error:  # what was typed comes back, the reason beside it
            response = criterion_page(request, user, name, criterion_id, None, examples, error)
            response.status_code = 422
            return response
        return RedirectResponse(
            f"/ladders/{name}/criteria/{criterion_id}?version={stored.version}", status_code=303
        )


@router.post("/admin/people")
def people_upload(
    request: Request,
    user: CurrentUser,
    file: Annotated[UploadFile, File()],
    csrf_token: Csrf = "",
) -> Response:
    from skillgrid.services.people_import import import_people

    def imported() -> Response:
        with expensive(request, user.email):
            import_people(user.uow, _read(file), file.filename or "people.csv", actor=user.actor)
        return back_to("people")

    return posted(request, user, csrf_token, "people", {}, imported)


@router.post("/admin/accounts")
def account_add(
    request: Request,
    user: CurrentUser,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1000)],
    admin: Annotated[bool, Form()] = False,
    csrf_token: Csrf = "",
) -> Response:
    from skillgrid.services.accounts import add_user

    def added() -> Response:
        add_user(user.uow, email, password, admin=admin, actor=user.actor)
        return back_to("accounts")

    typed = {"account_email": email, "account_admin": "true" if admin else ""}
    return posted(request, user, csrf_token, "accounts", typed, added)  # never the password


@router.post("/admin/invitations")
def invitation_add(
    request: Request,
    user: CurrentUser,
    email: Annotated[str, Form(max_length=320)],
    admin: Annotated[bool, Form()] = False,
    send: Annotated[bool, Form()] = False,
    csrf_token: Csrf = "",
) -> Response:
    """Invite someone to choose their password: the page again, with the link shown once
    (and mailed when the box is ticked)."""
    from skillgrid.services.invitations import create_invitation

    def invited() -> Response:
        issued = create_invitation(
            user.uow, email, site_of(request), admin=admin, send=send, actor=user.actor
        )
        return page(request, user, invited=issued)

    typed = {
        "invite_email": email,
        "invite_admin": "true" if admin else "",
        "invite_send": "true" if send else "",
    }
    return posted(request, user, csrf_token, "invitations", typed, invited)


@router.post("/admin/invitations/{email}/revoke")
def invitation_revoke(
    request: Request,
    user: CurrentUser,
    email: Annotated[str, Path(max_length=320)],
    csrf_token: Csrf = "",
) -> Response:
    """Withdraw an invitation: its link stops working."""
    from skillgrid.services.invitations import revoke_invitation

    def revoked() -> Response:
        revoke_invitation(user.uow, email, actor=user.actor)
        return back_to("invitations")

    return posted(request, user, csrf_token, "invitations", {}, revoked)
