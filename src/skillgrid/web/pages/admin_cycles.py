"""The admin page's cycle forms: open a cycle, set its due dates, open or close it, and
move it to another version of its ladder. Admins only; everyone else gets 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from skillgrid.domain.errors import InputError, Problem
from skillgrid.web.deps import Csrf, CurrentUser
from skillgrid.web.pages.admin import back_to, page, posted

router = APIRouter(include_in_schema=False)


@router.post("/admin/cycles")
def cycle_open(
    request: Request,
    user: CurrentUser,
    name: Annotated[str, Form(max_length=100)],
    ladder: Annotated[str, Form(max_length=100)],
    csrf_token: Csrf = "",
) -> Response:
    from skillgrid.services.cycles import open_cycle

    def opened() -> Response:
        open_cycle(user.uow, name, ladder, actor=user.actor)
        return back_to("cycles")

    return posted(
        request, user, csrf_token, "cycles", {"cycle_name": name, "ladder": ladder}, opened
    )


@router.post("/admin/cycles/{name}/due")
def cycle_due(
    request: Request,
    user: CurrentUser,
    name: str,
    csrf_token: Csrf = "",
    self_: Annotated[str, Form(alias="self", max_length=10)] = "",
    manager: Annotated[str, Form(max_length=10)] = "",
    calibration: Annotated[str, Form(max_length=10)] = "",
    close: Annotated[str, Form(max_length=10)] = "",
    shown: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Set a cycle's due dates (an empty field: none). Only the dates changed on the form are
    stored (``shown``: the four as the form showed them), so a date another admin set
    meanwhile is not put back."""
    from skillgrid.services.cycles import set_due_dates

    typed = {"self": self_, "manager": manager, "calibration": calibration, "close": close}
    was = dict(zip(typed, shown.split(","), strict=False)) if shown else {}

    def changed() -> Response:
        edited = {step: day for step, day in typed.items() if was.get(step) != day}
        set_due_dates(user.uow, name, _dates(edited), actor=user.actor)
        return back_to("cycles")

    kept = {f"due-{name}-{step}": day for step, day in typed.items()}
    return posted(request, user, csrf_token, f"due-{name}", kept, changed)


def _dates(typed: Mapping[str, str]) -> dict[str, dt.date | None]:
    """Step → date from the form's YYYY-MM-DD fields (empty: none)."""
    found: dict[str, dt.date | None] = {}
    for step, text in typed.items():
        try:
            found[step] = dt.date.fromisoformat(text.strip()) if text.strip() else None
        except ValueError:
            raise InputError(
                [Problem(f"the {step} due date {text!r} is not a date", "give YYYY-MM-DD")]
            ) from None
    return found


@router.post("/admin/cycles/{name}/state")
def cycle_state(
    request: Request,
    user: CurrentUser,
    name: str,
    open: Annotated[bool, Form()],
    csrf_token: Csrf = "",
) -> Response:
    from skillgrid.services.cycles import set_cycle_open

    def changed() -> Response:
        set_cycle_open(user.uow, name, open, actor=user.actor)
        return back_to("cycles")

    return posted(request, user, csrf_token, "cycles", {}, changed)


@router.post("/admin/cycles/{name}/move")
def cycle_move(
    request: Request,
    user: CurrentUser,
    name: str,
    version: Annotated[int, Form(ge=1, le=2**31 - 1)],
    csrf_token: Csrf = "",
) -> Response:
    """Move an open cycle to the ladder version the page offered (not a newer one stored
    since), then show what became of its ratings."""
    from skillgrid.services.cycles import move_cycle

    def moved() -> Response:
        return page(request, user, moved=move_cycle(user.uow, name, version, actor=user.actor))

    return posted(request, user, csrf_token, f"move-{name}", {}, moved)
