"""From text to evidence: paste or upload a brag document, review the suggested criteria per
statement (accept, change or skip), then store the accepted ones as the signed-in person's
evidence. Suggestions are evidence to accept, never ratings."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from skillgrid.domain.errors import InputError, NotFound, Problem, SkillGridError
from skillgrid.services.suggestions import MAX_FILE, MAX_STATEMENTS
from skillgrid.web.api.suggestions import run_suggest, suggestions_json
from skillgrid.web.deps import (
    CsrfField,
    CurrentUser,
    FormFields,
    check_csrf,
    templates_of,
)
from skillgrid.web.limits import expensive

router = APIRouter(include_in_schema=False)


def _render(request: Request, user: Any, uow: Any, **context: Any) -> Response:
    from skillgrid.services.frameworks import list_frameworks

    ladders = [info.name for info in list_frameworks(uow)]
    return templates_of(request).TemplateResponse(
        request,
        "evidence_suggest.html",
        {
            "user": user,
            "ladders": ladders,
            "result": None,
            "created": None,
            "error": None,
            "chosen": None,
            **context,
        },
    )


@router.get("/evidence/suggest")
def suggest_page(request: Request, user: CurrentUser) -> Response:
    with user:
        under_review = _under_review(user.uow)
        # no open cycle: the list's first ladder
        framework = next(iter(under_review), "")
        return _render(request, user, user.uow, framework=framework, text="")


def _under_review(uow: Any) -> dict[str, int]:
    """Ladder → the version its newest open cycle is pinned to, newest cycle first: what
    people gather evidence for, and what their assessment pages link it to (a newer version
    of the ladder may name other criteria)."""
    from skillgrid.services.cycles import list_cycles

    found: dict[str, int] = {}
    for cycle in reversed(list_cycles(uow)):
        if cycle.open:
            found.setdefault(cycle.framework, cycle.version)
    return found


@router.post("/evidence/suggest")
def suggest_review(
    request: Request,
    user: CurrentUser,
    framework: Annotated[str, Form(max_length=100)] = "sre",
    text: Annotated[str, Form(max_length=200_000)] = "",
    file: Annotated[UploadFile | None, File()] = None,
    csrf_token: CsrfField = None,
) -> Response:
    """Suggest criteria for each statement of the pasted text or the uploaded file."""
    with user:
        check_csrf(user, csrf_token)
        try:
            with expensive(request, user.email):
                text, found = _suggest(request, user.uow, framework, text, file)
        except SkillGridError as error:  # the text stays, the reason beside it
            response = _render(
                request, user, user.uow, framework=framework, text=text, error=str(error)
            )
            response.status_code = 404 if isinstance(error, NotFound) else 422
            return response
        criteria = [(c.id, c.text) for c in found.framework.criteria]
        return _render(
            request,
            user,
            user.uow,
            framework=found.framework.name,
            text=text,
            result=suggestions_json(found),
            criteria=criteria,
        )


def _suggest(
    request: Request, uow: Any, framework: str, text: str, file: UploadFile | None
) -> tuple[str, Any]:
    """The text (pasted, or the uploaded file when one was given) and its suggestions."""
    if file is not None and file.filename:
        data = file.file.read(MAX_FILE + 1)
        if len(data) > MAX_FILE:
            over = f"the file is over {MAX_FILE // 1024 // 1024} MB"
            raise InputError([Problem(over, "upload a part, or paste it")])
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(
                [Problem(f"{file.filename} is not UTF-8 text", "upload a .md or .txt file")]
            ) from None
    return text, run_suggest(
        request, uow, framework, text, version=_under_review(uow).get(framework)
    )


@router.post("/evidence/accept")
def accept_page(request: Request, user: CurrentUser, form: FormFields) -> Response:
    """Store the accepted statements as the signed-in person's evidence."""
    from skillgrid.services.suggestions import Accepted, accept

    with user:
        check_csrf(user, _field(form, "csrf_token"))
        framework = _field(form, "framework") or "sre"
        raw_version = _field(form, "version")
        version = int(raw_version) if raw_version.isdigit() and len(raw_version) < 10 else None
        accepted, statements, chosen = [], [], {}
        for index in range(MAX_STATEMENTS):
            statement = _field(form, f"statement-{index}")
            if not statement:
                break
            statements.append(statement)
            choice, other = _field(form, f"choice-{index}"), _field(form, f"other-{index}")
            chosen[str(index)] = {"choice": choice, "other": other}
            criterion = other if choice == "other" else choice
            if choice == "other" or (choice and choice != "skip"):  # "change to" names one
                accepted.append(Accepted(statement, (criterion,) if criterion else ()))
        try:
            stored = accept(user.uow, user.actor, user.email, framework, accepted, version)
        except (InputError, NotFound) as error:  # the review comes back as it was answered
            text = "\n".join(f"- {statement}" for statement in statements)
            again = _review_again(user.uow, form, framework, version, len(statements))
            response = _render(
                request,
                user,
                user.uow,
                framework=framework,
                text=text,
                error=str(error),
                **({"chosen": chosen, **again} if again else {}),
            )
            response.status_code = 404 if isinstance(error, NotFound) else 422
            return response
        return _render(request, user, user.uow, framework=framework, text="", created=stored)


def _review_again(
    uow: Any, form: Any, framework: str, version: int | None, statements: int
) -> dict[str, Any] | None:
    """The review the form was made from (it carries it), to show again with the choices
    made; None when it cannot be (the ladder gone, or a form not made by the page)."""
    from skillgrid.services.frameworks import get_framework

    try:
        review = json.loads(form.get("review") or "")
        ladder = get_framework(uow, framework, version)
    except (ValueError, SkillGridError):
        return None
    if not isinstance(review, dict) or len(review.get("statements") or ()) != statements:
        return None
    return {"result": review, "criteria": [(c.id, c.text) for c in ladder.criteria]}


def _field(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip()[:1000] if isinstance(value, str) else ""
