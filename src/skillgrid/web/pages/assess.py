"""The assessment page (self, manager or peer): criteria by track with the current and next
level open, a rating, n/a with a reason, a comment and evidence per criterion (a new item,
or ticking the person's existing ones: ticked is linked, unticked is not); save as a draft
(automatically with JavaScript, by button without), submit, finalize."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from skillgrid.domain.assessments import Entry
from skillgrid.domain.evidence import Evidence
from skillgrid.domain.framework import Criterion, Level
from skillgrid.services.reviews import ReviewView
from skillgrid.web.deps import CurrentUser, FormFields, check_csrf, templates_of

router = APIRouter(include_in_schema=False)
MAX_FIELD = 5000


def _page(email: str, cycle: str, rater: str) -> str:
    return f"/people/{email}/assess/{cycle}/{rater}"


@router.get("/people/{email}/assess/{cycle}/{rater}")
def assess_page(
    request: Request, user: CurrentUser, email: str, cycle: str, rater: str
) -> Response:
    from skillgrid.services.reviews import review_view
    from skillgrid.web.pages.audit import changes

    with user:
        view = review_view(user.uow, user.actor, email, cycle, rater)
        return templates_of(request).TemplateResponse(
            request,
            "assess.html",
            {
                "user": user,
                "view": view,
                "history": [(entry, changes(entry)) for entry in view.history],
                "cells": cells(view),
                "open_levels": view.open_levels(),
                "action": _page(view.person.email, view.cycle.name, view.assessment.rater),
            },
        )


@dataclass(frozen=True)
class Line:
    """One criterion on the page: its rating, the other raters' beside it (and who differs),
    the evidence linked to it and, where the person may link more, the rest."""

    criterion: Criterion
    entry: Entry | None
    others: tuple[tuple[str, Entry], ...]
    differ: tuple[str, ...]
    linked: tuple[Evidence, ...]
    unlinked: tuple[Evidence, ...]


@dataclass(frozen=True)
class Cell:
    level: Level
    lines: tuple[Line, ...]

    @property
    def rated(self) -> int:
        return sum(1 for line in self.lines if line.entry is not None)


def cells(view: ReviewView) -> dict[str, list[Cell]]:
    """Track key → its non-empty cells, each criterion with what the page shows of it."""
    evidence = view.evidence
    found: dict[str, list[Cell]] = {}
    for track in view.framework.tracks:
        found[track.key] = [
            Cell(level, tuple(_line(view, c, evidence) for c in items))
            for level in view.framework.levels
            if (items := view.framework.cell(track.key, level.number))
        ]
    return found


def _line(view: ReviewView, criterion: Criterion, evidence: tuple[Evidence, ...]) -> Line:
    uid = criterion.uid or ""  # a stored ladder's criteria all have one
    entry = view.assessment.entries.get(uid)
    others = tuple((a.rater, a.entries[uid]) for a in view.others if uid in a.entries)
    differ = tuple(r for r, given in others if entry is None or given.rating != entry.rating)
    linked = tuple(e for e in evidence if uid in e.criteria)
    unlinked = () if not view.can_link_evidence else tuple(e for e in evidence if e not in linked)
    return Line(criterion, entry, others, differ, linked, unlinked)


@router.post("/people/{email}/assess/{cycle}/{rater}")
def assess_save(
    request: Request,
    user: CurrentUser,
    form: FormFields,
    email: str,
    cycle: str,
    rater: str,
) -> Response:
    """Save the ratings (and new evidence), then submit or finalize when asked. The service
    decides who may do what; the form says which criteria it holds."""
    from skillgrid.services import assessments

    with user:
        check_csrf(request, user, _text(form, "csrf_token"))
        action = _text(form, "action") or "save"
        revision = _revision(_text(form, "revision") or "0")
        saved = None
        if action in ("save", "submit"):
            entries, evidence, links = _read_form(form)
            saved = assessments.save_review(
                user.uow,
                user.actor,
                email,
                cycle,
                rater,
                entries,
                evidence,
                revision=revision,
                links=links,
            )
            revision = saved.revision
        if action == "submit":
            saved = assessments.submit(user.uow, user.actor, email, cycle, rater, revision)
        elif action == "finalize":
            saved = assessments.finalize(user.uow, user.actor, email, cycle, rater, revision)
        if request.headers.get("x-requested-with") == "fetch":
            return JSONResponse({"revision": saved.revision if saved else revision, "saved": True})
        page = _page(saved.person, cycle, saved.rater) if saved else _page(email, cycle, rater)
        return RedirectResponse(page, status_code=303)


def _revision(raw: str) -> int:
    if not raw.isdigit() or len(raw) > 9:
        from skillgrid.domain.errors import InputError, Problem

        raise InputError([Problem(f"revision {raw!r}", "reload the page and retry")])
    return int(raw)


def _text(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip()[:MAX_FIELD] if isinstance(value, str) else ""


FIELDS = ("rating-", "evidence-title-", "evidence-links-")


def _read_form(
    form: Any,
) -> tuple[dict[str, Any], list[tuple[str, str, str]], dict[str, set[int]]]:
    """Ratings, new evidence (criterion id, title, link) and, for each criterion whose
    evidence picker was on the page, the numbers of the items ticked for it. The criteria
    are those the form names; the service refuses any its ladder does not have."""
    from skillgrid.domain.assessments import Entry
    from skillgrid.domain.errors import InputError, Problem
    from skillgrid.importers.ratings import parse_rating

    named = (key.split("-", 1)[1] for key in form if key.startswith(FIELDS))
    criteria = dict.fromkeys(cid.removeprefix("title-").removeprefix("links-") for cid in named)
    entries: dict[str, Any] = {}
    evidence: list[tuple[str, str, str]] = []
    links: dict[str, set[int]] = {}
    problems = []
    for cid in criteria:
        raw = _text(form, f"rating-{cid}")
        if raw:
            rating = parse_rating(raw)
            if rating is None:
                problems.append(Problem(f"{cid}: rating {raw!r} is not on the scale", "pick one"))
            else:
                entries[cid] = Entry(
                    rating,
                    _text(form, f"reason-{cid}") or None,
                    _text(form, f"comment-{cid}") or None,
                )
        title = _text(form, f"evidence-title-{cid}")
        if title:
            evidence.append((cid, title[:300], _text(form, f"evidence-url-{cid}")))
        if _text(form, f"evidence-links-{cid}"):  # the picker was shown: unticked is unlinked
            ticked = [v for v in form.getlist(f"evidence-link-{cid}") if isinstance(v, str)]
            bad = [v for v in ticked if not v.isdigit() or len(v) > 9]
            problems += [Problem(f"{cid}: evidence {v[:20]!r}", "reload the page") for v in bad]
            links[cid] = {int(v) for v in ticked if v not in bad}
    if problems:
        raise InputError(problems)
    return entries, evidence, links
