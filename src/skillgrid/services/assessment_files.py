"""Assessments as files: replace an assessment's ratings from CSV or YAML (with evidence),
and write them back out as the CSV that import reads. The permission rules are those of
:mod:`skillgrid.services.assessments`."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import replace
from typing import Any

from skillgrid.domain.assessments import Actor, Assessment, Forbidden
from skillgrid.domain.errors import InputError, Problem
from skillgrid.domain.evidence import Evidence
from skillgrid.formulas import escape_row
from skillgrid.services.assessments import Context, assessment_context, get_assessment, rate_in
from skillgrid.services.evidence import add_evidence_in
from skillgrid.services.unit_of_work import UnitOfWork


def import_ratings(
    uow: UnitOfWork, actor: Actor, person: str, cycle: str, rater: str, data: bytes, source: str
) -> Assessment:
    """Replace an assessment's ratings with a file: CSV (``criterion,rating,reason,comment``)
    or YAML (``ratings`` and ``evidence`` lists; the evidence is added for the person)."""
    from skillgrid.importers.ratings import read_assessment_yaml, read_entries

    with uow.write():
        context = assessment_context(uow, person, cycle, rater, actor)
        ids = [c.id for c in context.framework.criteria]
        items: list[dict[str, Any]] = []
        if source.lower().endswith((".yaml", ".yml")):
            entries, items = read_assessment_yaml(data, source, ids)
        else:
            entries = read_entries(data, source, ids)
        if not entries:
            raise InputError(
                [
                    Problem(
                        "the file rates no criterion",
                        "give at least one criterion,rating row (an import replaces all ratings)",
                        source,
                    )
                ]
            )
        evidence = [_evidence_item(actor, context, i, item) for i, item in enumerate(items)]
        saved = rate_in(uow, actor, context, entries, None, replace_all=True)
        on_file = {(e.title, e.url, e.date) for e in uow.evidence.for_person(context.person.email)}
        for item in evidence:  # an identical item already on file is not added twice
            if (item.title, item.url, item.date) not in on_file:
                add_evidence_in(uow, actor, item, context.framework)
        uow.commit()
    return saved


def _evidence_item(actor: Actor, context: Context, index: int, item: dict[str, Any]) -> Evidence:
    """One YAML evidence item for the person, checked before anything is stored."""
    from skillgrid.domain.evidence import Evidence, check_evidence
    from skillgrid.services.evidence import parse_date, uids_of
    from skillgrid.services.permissions import may_manage_evidence

    owner = context.person.email
    if not may_manage_evidence(actor, owner):
        raise Forbidden(f"{actor.email} may not add evidence for {owner}: leave 'evidence' out")
    where = f"evidence[{index}]"
    fields = {key: item.get(key) for key in ("title", "url", "text", "source")}
    wrong = [
        key for key, value in fields.items() if value is not None and not isinstance(value, str)
    ]
    criteria = item.get("criteria") or []
    if isinstance(criteria, str):
        criteria = [criteria]
    if wrong or not isinstance(criteria, list):
        names = ", ".join(wrong) or "criteria"
        raise InputError(
            [
                Problem(
                    f"{where}: {names} must be text (criteria: a list of ids)",
                    "quote the value",
                    None,
                )
            ]
        )
    when = item.get("date")
    evidence = check_evidence(
        Evidence(
            owner,
            fields["title"] or "",
            fields["url"],
            when if isinstance(when, dt.date) else parse_date(str(when) if when else None),
            fields["text"],
            fields["source"] or "manual",
        )
    )
    uids = uids_of(context.framework, [str(cid) for cid in criteria])
    return replace(evidence, criteria=frozenset(uids))


def export_ratings(uow: UnitOfWork, actor: Actor, person: str, cycle: str, rater: str) -> str:
    """An assessment's ratings as the CSV that :func:`import_ratings` reads (a reason or
    comment that would start a formula is written behind a ``'``, which import takes off)."""
    assessment, framework = get_assessment(uow, actor, person, cycle, rater)
    ids = {c.uid: c.id for c in framework.criteria}
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["criterion", "rating", "reason", "comment"])
    order = {c.uid: i for i, c in enumerate(framework.criteria)}
    for uid in sorted((u for u in assessment.entries if u in ids), key=order.__getitem__):
        entry = assessment.entries[uid]
        row = [ids[uid], entry.rating.value, entry.reason or "", entry.comment or ""]
        writer.writerow(escape_row(row))
    return out.getvalue()
