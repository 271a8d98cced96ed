"""The assessment page (self, manager or peer): criteria by track with the current and next
level open, a rating, n/a with a reason, a comment and evidence per criterion (a new item,
or ticking the person's existing ones: ticked is linked, unticked is not); save as a draft
(automatically with JavaScript, by button without), submit, finalize."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from skillgrid.web.deps import CurrentUser, FormFields, UowDep, check_csrf, templates_of

router = APIRouter(include_in_schema=False)
MAX_FIELD = 5000


def _page(email: str, cycle: str, rater: str) -> str:
    return f"/people/{email}/assess/{cycle}/{rater}"


@router.get("/people/{email}/assess/{cycle}/{rater}")
def assess_page(
    request: Request, uow: UowDep, user: CurrentUser, email: str, cycle: str, rater: str
) -> Response:
    from skillgrid.services.audit import entity_id
    from skillgrid.services.reviews import review_view
    from skillgrid.web.pages.audit import history

    view = review_view(uow, user.actor, email, cycle, rater)
    changes = history(uow, user, "assessment", entity_id(view.assessment))
    ids = {c.uid: c.id for c in view.framework.criteria}
    evidence = {cid: [e for e in view.evidence if uid in e.criteria] for uid, cid in ids.items()}
    unlinked = {}
    if view.can_link_evidence:
        unlinked = {
            cid: [e for e in view.evidence if uid not in e.criteria] for uid, cid in ids.items()
        }
    entries = {ids[uid]: e for uid, e in view.assessment.entries.items() if uid in ids}
    others = {a.rater: {ids[u]: e for u, e in a.entries.items() if u in ids} for a in view.others}
    return templates_of(request).TemplateResponse(
        request,
        "assess.html",
        {
            "user": user,
            "view": view,
            "history": changes,
            "entries": entries,
            "others": others,
            "evidence": evidence,
            "unlinked": unlinked,
            "open_levels": view.open_levels(),
            "action": _page(view.person.email, view.cycle.name, view.assessment.rater),
        },
    )


@router.post("/people/{email}/assess/{cycle}/{rater}")
def assess_save(
    request: Request,
    uow: UowDep,
    user: CurrentUser,
    form: FormFields,
    email: str,
    cycle: str,
    rater: str,
) -> Response:
    """Save the ratings (and new evidence), then submit or finalize when asked."""
    from skillgrid.services import assessments
    from skillgrid.services.reviews import review_view

    check_csrf(request, user, _text(form, "csrf_token"))
    action = _text(form, "action") or "save"
    raw_revision = _text(form, "revision") or "0"
    if not raw_revision.isdigit() or len(raw_revision) > 9:
        from skillgrid.domain.errors import InputError, Problem

        raise InputError([Problem(f"revision {raw_revision!r}", "reload the page and retry")])
    revision = int(raw_revision)
    view = review_view(uow, user.actor, email, cycle, rater)
    if view.can_edit and action in ("save", "submit"):
        entries, evidence, links = _read_form(form, view.framework.criteria)
        saved = assessments.save_review(
            uow,
            user.actor,
            view.person.email,
            cycle,
            view.assessment.rater,
            entries,
            evidence,
            revision=revision,
            links=links,
        )
        revision = saved.revision
    if action == "submit":
        assessments.submit(
            uow, user.actor, view.person.email, cycle, view.assessment.rater, revision
        )
    elif action == "finalize":
        assessments.finalize(
            uow, user.actor, view.person.email, cycle, view.assessment.rater, revision
        )
    if request.headers.get("x-requested-with") == "fetch":
        return JSONResponse({"revision": revision, "saved": True})
    return RedirectResponse(_page(view.person.email, cycle, view.assessment.rater), status_code=303)


def _text(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip()[:MAX_FIELD] if isinstance(value, str) else ""


def _read_form(
    form: Any, criteria: Any
) -> tuple[dict[str, Any], list[tuple[str, str, str]], dict[str, set[int]]]:
    """Ratings, new evidence (criterion id, title, link) and, for each criterion whose
    evidence picker was on the page, the numbers of the items ticked for it."""
    from skillgrid.domain.assessments import Entry
    from skillgrid.domain.errors import InputError, Problem
    from skillgrid.importers.ratings import parse_rating

    entries: dict[str, Any] = {}
    evidence: list[tuple[str, str, str]] = []
    links: dict[str, set[int]] = {}
    problems = []
    for criterion in criteria:
        cid = criterion.id
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
