"""The assessment page (self, manager or peer): criteria by track with the current and next
level open, a rating, n/a with a reason, a comment and evidence per criterion (a new item,
or ticking the person's existing ones: ticked is linked, unticked is not); save as a draft
(automatically with JavaScript, by button without), submit, finalize."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from skillgrid.domain.assessments import Entry
from skillgrid.domain.errors import Conflict
from skillgrid.domain.evidence import Evidence
from skillgrid.domain.framework import Criterion, Level
from skillgrid.domain.people import url_segment
from skillgrid.services.results import rated_on
from skillgrid.services.reviews import ReviewView
from skillgrid.web.deps import Caller, CurrentUser, FormFields, check_csrf, templates_of
from skillgrid.web.words import (
    AUTHOR,
    FINALIZER,
    OTHER,
    PERSON,
    RATING_WORDS,
    state_words,
    submit_consequence,
    unrated_words,
)

router = APIRouter(include_in_schema=False)
MAX_FIELD = 5000


def _page(email: str, cycle: str, rater: str) -> str:
    return f"/people/{url_segment(email)}/assess/{url_segment(cycle)}/{url_segment(rater)}"


@router.get("/people/{email}/assess/{cycle}/{rater}")
def assess_page(
    request: Request, user: CurrentUser, email: str, cycle: str, rater: str
) -> Response:
    from skillgrid.services.reviews import review_view

    with user:
        view = review_view(user.uow, user.actor, email, cycle, rater)
        return _render(request, user, view)


def _render(
    request: Request,
    user: Caller,
    view: ReviewView,
    refused: Mapping[str, str] | None = None,
    typed: Mapping[str, Typed] | None = None,
    status: int = 422,
) -> Response:
    """The page; after a save that refused some criteria, each shows what the person typed
    and why it was not saved (``status``), its level unfolded."""
    from skillgrid.web.pages.audit import changes

    refused = refused or {}
    found = cells(view, refused, typed or {})
    open_levels = view.open_levels() | {
        cell.level.number
        for track in found.values()
        for cell in track
        if any(line.error for line in cell.lines)
    }
    return templates_of(request).TemplateResponse(
        request,
        "assess.html",
        {
            "user": user,
            "view": view,
            "history": [(entry, changes(entry)) for entry in view.history],
            "cells": found,
            "open_levels": open_levels,
            "refused": refused,
            "conflict": status == 409,
            "action": _page(view.person.email, view.cycle.name, view.assessment.rater),
            "state_words": state_words(_state(view), view.assessment.rater, _reader(view, user)),
            # what a save makes of an assessment not started: a draft (the page's script
            # says it once the first autosave is stored)
            "after_save_words": state_words(
                _state(view) or "draft", view.assessment.rater, _reader(view, user)
            ),
            "submit_note": submit_consequence(
                view.assessment.rater, view.person.name, view.cycle.name
            ),
            "saved_note": last_saved(view, user.email),
            "rating_words": RATING_WORDS,
            "rated": rated_on(view.framework, view.assessment),
            "unrated_words": unrated_words,
        },
        status_code=status if refused else 200,
    )


def _state(view: ReviewView) -> str | None:
    """The assessment's state, None when nothing was ever stored (not started)."""
    a = view.assessment
    return a.state.value if a.started else None


def _reader(view: ReviewView, user: Caller) -> str:
    if view.can_finalize:
        return FINALIZER
    if view.can_edit:
        return AUTHOR
    return PERSON if user.email == view.person.email else OTHER


def last_saved(view: ReviewView, email: str) -> str:
    """What the last stored change was and when (UTC), for the page's sticky bar."""
    if not view.history:
        return "Nothing saved yet." if view.can_edit else ""
    last = view.history[0]
    when = last.at.strftime("%Y-%m-%d %H:%M UTC") if last.at else "earlier"
    who = "you" if last.actor == email else last.actor
    what = [key for key in {**(last.before or {}), **(last.after or {})} if key != "state"]
    done = {"rate": "saved", "submit": "submitted", "finalize": "finalized"}.get(
        last.action, last.action
    )
    shown = ", ".join(what[:3]) + (f" and {len(what) - 3} more" if len(what) > 3 else "")
    return f"Last {done} {when} by {who}" + (f": {shown}." if shown else ".")


@dataclass(frozen=True)
class Typed:
    """What the form held for one criterion (shown again when it was not saved)."""

    rating: str = ""
    reason: str = ""
    comment: str = ""
    title: str = ""
    url: str = ""


@dataclass(frozen=True)
class Line:
    """One criterion on the page: its rating, the other raters' beside it (and who differs),
    the evidence linked to it and, where the person may link more, the rest; after a refused
    save, what the person typed and why it was not saved."""

    criterion: Criterion
    entry: Entry | None
    others: tuple[tuple[str, Entry], ...]
    differ: tuple[str, ...]
    linked: tuple[Evidence, ...]
    unlinked: tuple[Evidence, ...]
    shown: Typed = Typed()  # the values in the fields: stored, or typed when refused
    error: str | None = None


@dataclass(frozen=True)
class Cell:
    level: Level
    lines: tuple[Line, ...]

    @property
    def rated(self) -> int:
        return sum(1 for line in self.lines if line.entry is not None)


def cells(
    view: ReviewView,
    refused: Mapping[str, str] | None = None,
    typed: Mapping[str, Typed] | None = None,
) -> dict[str, list[Cell]]:
    """Track key → its non-empty cells, each criterion with what the page shows of it."""
    evidence = view.evidence
    found: dict[str, list[Cell]] = {}
    refused, typed = refused or {}, typed or {}
    for track in view.framework.tracks:
        found[track.key] = [
            Cell(level, tuple(_line(view, c, evidence, refused, typed) for c in items))
            for level in view.framework.levels
            if (items := view.framework.cell(track.key, level.number))
        ]
    return found


def _line(
    view: ReviewView,
    criterion: Criterion,
    evidence: tuple[Evidence, ...],
    refused: Mapping[str, str],
    typed: Mapping[str, Typed],
) -> Line:
    uid = criterion.uid or ""  # a stored ladder's criteria all have one
    entry = view.assessment.entries.get(uid)
    others = tuple((a.rater, a.entries[uid]) for a in view.others if uid in a.entries)
    # a criterion not rated here yet differs from nobody: it is simply still to do
    differ = tuple(r for r, given in others if entry and given.rating != entry.rating)
    linked = tuple(e for e in evidence if uid in e.criteria)
    unlinked = () if not view.can_link_evidence else tuple(e for e in evidence if e not in linked)
    error = refused.get(criterion.id)
    if error is not None and criterion.id in typed:
        shown = typed[criterion.id]
    elif entry is not None:
        shown = Typed(entry.rating.value, entry.reason or "", entry.comment or "")
    else:
        shown = Typed()
    return Line(criterion, entry, others, differ, linked, unlinked, shown, error)


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
    decides who may do what; the form says which criteria it holds. A criterion the rules
    refuse keeps the person's input beside the reason, the others are saved, and nothing is
    submitted or finalized; with JavaScript the answer is JSON the page shows in place. A
    save that someone else's overtook (a stale revision) shows the person's input again
    over what is stored now, to save again or change."""
    from skillgrid.services.reviews import review_view

    with user:
        check_csrf(user, _text(form, "csrf_token"))
        try:
            return _save(request, user, form, email, cycle, rater)
        except Conflict:
            if request.headers.get("x-requested-with") == "fetch":
                raise  # the page's script says so; its Save draft then comes here without it
            view = review_view(user.uow, user.actor, email, cycle, rater)
            kept = _not_stored(view, _typed(form, _changed(form)))
            return _render(request, user, view, dict.fromkeys(kept, CHANGED), kept, 409)


CHANGED = (
    "this assessment was saved elsewhere meanwhile (another tab or person), so this was not "
    "saved; what you typed is shown here over that save — save again to keep it"
)


def _named(form: Any) -> list[str]:
    """The criteria the form holds a rating or new evidence for."""
    named = (key.split("-", 1)[1] for key in form if key.startswith(FIELDS))
    return list(dict.fromkeys(cid.removeprefix("title-").removeprefix("links-") for cid in named))


def _changed(form: Any) -> list[str]:
    """The criteria changed on the page: as its script tracked them (``changed``), or
    without it, those with anything typed (a blank one may just be one never rated)."""
    tracked = [v for v in form.getlist("changed") if isinstance(v, str)]
    if tracked:
        return tracked[:MAX_CHANGED]
    fields = ("rating", "reason", "comment", "evidence-title")
    return [cid for cid in _named(form) if any(_text(form, f"{f}-{cid}") for f in fields)]


MAX_CHANGED = 2000


def _not_stored(view: ReviewView, typed: Mapping[str, Typed]) -> dict[str, Typed]:
    """The criteria whose typed rating, reason or comment (or new evidence) is not what is
    stored now."""
    ids = {c.id: c.uid for c in view.framework.criteria}
    found = {}
    for cid, given in typed.items():
        if cid not in ids:
            continue
        entry = view.assessment.entries.get(ids[cid] or "")
        stored = (entry.rating.value, entry.reason or "", entry.comment or "") if entry else None
        if given.title or (given.rating, given.reason, given.comment) != (stored or ("", "", "")):
            found[cid] = given
    return found


def _save(
    request: Request, user: Caller, form: Any, email: str, cycle: str, rater: str
) -> Response:
    """The save itself (inside the route's unit of work)."""
    from skillgrid.services import assessments
    from skillgrid.services.review_form import save_review
    from skillgrid.services.reviews import review_view

    action = _text(form, "action") or "save"
    revision = _revision(_text(form, "revision") or "0")
    saved, refused, added, now = None, {}, [], {}
    entries, evidence, links = _read_form(form)
    if action in ("save", "submit") or entries or evidence or links:
        # finalize also keeps the changes made since the last save
        done = save_review(
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
        saved, refused, revision = done.assessment, dict(done.refused), done.assessment.revision
        now = {"rated": done.rated, "level": done.level}  # for the page's header
        added = [
            {"criterion": cid, "id": item.id, "title": item.title, "url": item.url}
            for cid, item in done.added
        ]
    if not refused and action == "submit":
        saved = assessments.submit(user.uow, user.actor, email, cycle, rater, revision)
    elif not refused and action == "finalize":
        saved = assessments.finalize(user.uow, user.actor, email, cycle, rater, revision)
    if request.headers.get("x-requested-with") == "fetch":
        body = {"revision": saved.revision if saved else revision, "saved": True}
        return JSONResponse({**body, "refused": refused, "added": added, **now})
    if refused:
        view = review_view(user.uow, user.actor, email, cycle, rater)
        return _render(request, user, view, refused, _typed(form, refused))
    page = _page(saved.person, cycle, saved.rater) if saved else _page(email, cycle, rater)
    return RedirectResponse(page, status_code=303)


def _typed(form: Any, criteria: Iterable[str]) -> dict[str, Typed]:
    """What the form held for each of ``criteria``, to show it again."""
    return {
        cid: Typed(
            *(
                _text(form, f"{field}-{cid}")
                for field in ("rating", "reason", "comment", "evidence-title", "evidence-url")
            )
        )
        for cid in criteria
    }


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

    criteria = _named(form)
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
