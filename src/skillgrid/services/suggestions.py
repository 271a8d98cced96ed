"""Evidence suggestions: which criteria a piece of text demonstrates, and accepting them.

``suggest`` splits text into statements and ranks the criteria of one framework version for
each (no database write). Unless ``learn`` is off, the evidence the organisation linked to
each criterion (newest ``LEARNED_EACH``, anyone's) joins the criterion's examples for the
ranking only: it is never shown, and it stops counting once the evidence is unlinked or
deleted, because it is read with every suggestion. ``accept`` turns the statements a person
accepted, with the criteria they chose, into evidence items of that person, all in one unit
of work under the evidence permission rules (the owner or an admin). Accepted suggestions
are evidence, never ratings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from skillgrid.domain.assessments import Actor
from skillgrid.domain.errors import InputError, Problem
from skillgrid.domain.evidence import Evidence, check_evidence
from skillgrid.domain.framework import Framework
from skillgrid.domain.people import normal_email
from skillgrid.domain.statements import Statement, split_statements
from skillgrid.domain.suggestions import MAX_TOP, Suggested, rank
from skillgrid.services.evidence import _may_write, add_evidence_in, uids_of
from skillgrid.services.frameworks import get_framework_in
from skillgrid.services.unit_of_work import UnitOfWork

MAX_TEXT = 200_000  # characters of text to suggest for at once
MAX_FILE = 2 * 1024 * 1024  # bytes of a file (a brag document) to read that text from
MAX_STATEMENTS = 500
MAX_ACCEPTED = 500
LEARNED_EACH = 20  # evidence items per criterion that teach the suggestions


@dataclass(frozen=True)
class Suggestions:
    framework: Framework
    backend: str
    threshold: float
    items: list[Suggested]


@dataclass(frozen=True)
class Accepted:
    """A statement a person accepted, with the criteria (ids) they chose for it."""

    statement: str
    criteria: tuple[str, ...]
    source: str = "manual"
    date: dt.date | None = None


def suggest(
    uow: UnitOfWork,
    framework: str,
    text: str,
    *,
    version: int | None = None,
    top: int = 3,
    backend: str = "auto",
    cache_dir: Path | None = None,
    model: Path | None = None,
    learn: bool = True,
) -> Suggestions:
    """Split ``text`` into statements and suggest up to ``top`` criteria for each."""
    if len(text) > MAX_TEXT:
        raise InputError(
            [Problem(f"the text has {len(text):,} characters", f"send at most {MAX_TEXT:,}")]
        )
    return suggest_statements(
        uow,
        framework,
        split_statements(text),
        version=version,
        top=top,
        backend=backend,
        cache_dir=cache_dir,
        model=model,
        learn=learn,
    )


def suggest_statements(
    uow: UnitOfWork,
    framework: str,
    statements: Sequence[Statement],
    *,
    version: int | None = None,
    top: int = 3,
    backend: str = "auto",
    cache_dir: Path | None = None,
    model: Path | None = None,
    learn: bool = True,
) -> Suggestions:
    """Suggest up to ``top`` criteria for each statement (e.g. one per commit); ``model`` is
    a directory with model.onnx and tokenizer.json (None: the packaged one)."""
    from skillgrid.suggest.matcher import BACKENDS, matcher_for

    problems = []
    if not statements:
        problems.append(
            Problem("the text holds no statement", "paste lines of work, e.g. a brag document")
        )
    if len(statements) > MAX_STATEMENTS:
        problems.append(
            Problem(f"{len(statements):,} statements", f"send at most {MAX_STATEMENTS} at once")
        )
    if not 1 <= top <= MAX_TOP:
        problems.append(Problem(f"top {top}", f"ask for 1 to {MAX_TOP} suggestions"))
    if backend not in BACKENDS:
        problems.append(Problem(f"backend {backend!r}", f"use one of {', '.join(BACKENDS)}"))
    if problems:
        raise InputError(problems)
    with uow:
        ladder = get_framework_in(uow, framework, version)
        learned = _learned(uow, ladder) if learn else {}
    matcher = matcher_for(ladder, backend, cache_dir, model)
    scores = matcher.scores([s.text for s in statements], learned)
    items = rank(statements, scores.tolist(), matcher.criteria, top, matcher.threshold)
    return Suggestions(ladder, matcher.backend, matcher.threshold, items)


def _learned(uow: UnitOfWork, ladder: Framework) -> dict[str, list[str]]:
    """Criterion id → the words of the evidence linked to it (its identity), newest first."""
    ids = {c.uid: c.id for c in ladder.criteria if c.uid}
    found = uow.evidence.statements_for(ids, LEARNED_EACH)
    return {ids[uid]: words for uid, words in found.items()}


def prepare(
    uow: UnitOfWork,
    backend: str = "auto",
    cache_dir: Path | None = None,
    model: Path | None = None,
) -> int:
    """Compute (or read from the cache) the criterion vectors of every ladder's newest version,
    so the first suggestion after a start is quick; returns how many ladders."""
    from skillgrid.suggest.matcher import matcher_for

    with uow:
        ladders = [
            get_framework_in(uow, info.name, info.version)
            for info in uow.frameworks.latest_versions()
        ]
    for ladder in ladders:
        matcher_for(ladder, backend, cache_dir, model)
    return len(ladders)


def accept(
    uow: UnitOfWork,
    actor: Actor,
    owner: str,
    framework: str,
    accepted: Sequence[Accepted],
    version: int | None = None,
) -> list[Evidence]:
    """Store each accepted statement as an evidence item of ``owner`` linked to its criteria;
    all or nothing."""
    owner = normal_email(owner)
    if not accepted:
        raise InputError([Problem("nothing was accepted", "accept at least one statement")])
    if len(accepted) > MAX_ACCEPTED:
        raise InputError([Problem(f"{len(accepted)} items", f"accept at most {MAX_ACCEPTED}")])
    for number, item in enumerate(accepted, 1):
        if not item.criteria:
            raise InputError(
                [Problem(f"statement {number} has no criterion", "choose one, or skip it")]
            )
    with uow.write():
        _may_write(uow, actor, owner)
        ladder = get_framework_in(uow, framework, version)
        items = [_evidence(owner, item, uids_of(ladder, item.criteria)) for item in accepted]
        stored = [add_evidence_in(uow, actor, item, ladder) for item in items]  # audited
        uow.commit()
    return stored


def _evidence(owner: str, item: Accepted, uids: list[str]) -> Evidence:
    text = " ".join(item.statement.split())
    title = text if len(text) <= 300 else text[:299].rstrip() + "…"
    return check_evidence(
        Evidence(
            owner,
            title,
            date=item.date,
            text=text if title != text else None,
            source=item.source,
            criteria=frozenset(uids),
        )
    )
