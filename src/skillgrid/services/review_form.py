"""What the assessment page saves, criterion by criterion: ratings, new evidence and which
evidence is linked, in one transaction. A criterion the rules refuse keeps what was stored
and says why; the others are saved (:mod:`skillgrid.services.assessments` holds the rules)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace

from skillgrid.domain.assessments import (
    Actor,
    Assessment,
    AssessmentError,
    Entry,
    Forbidden,
    check_entry,
)
from skillgrid.domain.errors import InputError
from skillgrid.domain.evidence import Evidence
from skillgrid.services.assessments import (
    Context,
    assessment_context,
    rate_in,
    unknown_criteria,
)
from skillgrid.services.evidence import add_evidence_in
from skillgrid.services.permissions import may_manage_evidence
from skillgrid.services.results import level_assessment, rated_on
from skillgrid.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ReviewSaved:
    """What the assessment page saved: the assessment as stored, and the criteria it did
    not take (criterion id → what was wrong and what to do); those keep what was stored
    before, and the page shows the person's input beside the reason."""

    assessment: Assessment
    refused: Mapping[str, str]
    added: tuple[tuple[str, Evidence], ...] = ()  # (criterion id, the new item as stored)
    level: int = 0  # the overall level the assessment gives now, by the ladder's rule
    rated: int = 0  # its criteria rated on the cycle's ladder version


def save_review(
    uow: UnitOfWork,
    actor: Actor,
    person: str,
    cycle: str,
    rater: str,
    entries: Mapping[str, Entry],
    new_evidence: list[tuple[str, str, str]],
    *,
    revision: int | None,
    links: Mapping[str, Collection[int]] | None = None,
) -> ReviewSaved:
    """What the assessment page saves, in one transaction: every rating of the form (the
    ones left blank are no longer rated), new evidence items, each linked to its criterion,
    added for the person, and which of the person's existing items are linked to each
    criterion whose picker the form held (``links``: criterion id → evidence numbers).

    Criterion by criterion: one whose rating or new evidence the rules refuse (n/a without
    a reason, a link that is not a web address) keeps what was stored and is named in
    ``refused``; the others are saved. A criterion the ladder lacks refuses the whole form."""
    from skillgrid.services.evidence import relink_in, uids_of

    with uow.write():
        context = assessment_context(uow, person, cycle, rater, actor)
        owner = context.person.email
        if (new_evidence or links) and not may_manage_evidence(actor, owner):
            raise Forbidden("only the person (or an admin) adds and links their evidence")
        named = {*entries, *(cid for cid, _, _ in new_evidence), *(links or {})}
        if unknown := unknown_criteria(context.framework, named):
            raise InputError(unknown)
        refused: dict[str, str] = {}
        items = []
        for cid, title, url in new_evidence:
            item = _checked_evidence(owner, cid, title, url, refused)
            if item is not None:
                uids = frozenset(uids_of(context.framework, [cid]))
                items.append((cid, replace(item, criteria=uids)))
        kept = _entries_kept(context, entries, refused)
        saved = rate_in(uow, actor, context, kept, revision, replace_all=True)
        if links:
            relink_in(uow, actor, owner, context.framework, links)
        added = tuple(
            (cid, add_evidence_in(uow, actor, item, context.framework))
            for cid, item in items
            if cid not in refused  # a criterion refused is kept whole as it was
        )
        uow.commit()
    overall = level_assessment(context.framework, saved, context.policy).overall
    return ReviewSaved(saved, refused, added, overall, rated_on(context.framework, saved))


def _checked_evidence(
    owner: str, cid: str, title: str, url: str, refused: dict[str, str]
) -> Evidence | None:
    """The new evidence item, or None with the reason in ``refused``."""
    from skillgrid.domain.evidence import EvidenceError, check_evidence

    try:
        return check_evidence(Evidence(owner, title, url or None))
    except EvidenceError as error:
        refused[cid] = f"evidence not added: {error}; correct it and save again"
        return None


def _entries_kept(
    context: Context, entries: Mapping[str, Entry], refused: dict[str, str]
) -> dict[str, Entry]:
    """The entries to store: the valid ones given, and for each refused one (named in
    ``refused`` with its reason) the entry stored before, if any."""
    stored = context.current.entries if context.current else {}
    uids = {c.id: c.uid for c in context.framework.criteria}
    kept: dict[str, Entry] = {}
    for cid, entry in entries.items():
        try:
            check_entry(cid, entry)
        except AssessmentError as error:
            refused[cid] = f"{error}: give the reason why it cannot apply, or pick a rating"
        else:
            kept[cid] = entry
    for cid in refused:
        before = stored.get(str(uids.get(cid)))
        if before is not None:
            kept[cid] = before
        else:
            kept.pop(cid, None)
    return kept
