"""Ratings files: CSV with header ``criterion,rating`` and optional ``reason`` and
``comment`` columns.

Criteria not listed count as ``not_yet``. ``n/a`` needs a reason. Every problem is reported
with its row and column, and nothing is used unless the whole file is clean.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from skillgrid.domain.assessments import Entry
from skillgrid.domain.errors import LadderError, Problem
from skillgrid.domain.leveling import SCALE, Rating
from skillgrid.importers.delimited import parse_rows
from skillgrid.importers.documents import load_yaml
from skillgrid.importers.grid import GridRow
from skillgrid.importers.text import decode

COLUMNS = ("criterion", "rating", "reason", "comment")
HEADER_HINT = "start the file with the header criterion,rating (then optionally reason,comment)"
_ALIASES = {"na": "n/a", "not yet": "not_yet", "not-yet": "not_yet"}


def parse_rating(text: str) -> Rating | None:
    """A rating from its name (case and a few spellings forgiven), or ``None``."""
    name = text.strip().lower()
    try:
        return Rating(_ALIASES.get(name, name))
    except ValueError:
        return None


def read_ratings(data: bytes, source: str, criterion_ids: Iterable[str]) -> dict[str, Rating]:
    """Criterion id → rating; raise LadderError listing every problem."""
    return {cid: entry.rating for cid, entry in read_entries(data, source, criterion_ids).items()}


def read_entries(data: bytes, source: str, criterion_ids: Iterable[str]) -> dict[str, Entry]:
    """Criterion id → rating, reason and comment; raise LadderError listing every problem."""
    delimiter = "\t" if source.endswith(".tsv") else ","
    rows = [row for row in parse_rows(decode(data, source), delimiter, source) if row.filled()]
    if not rows:
        raise LadderError([Problem("the ratings file is empty", HEADER_HINT, source)])
    header = [cell.strip().lower() for cell in rows[0].cells]
    if header[:2] != ["criterion", "rating"] or any(h not in COLUMNS for h in header if h):
        shown = ", ".join(header)
        raise LadderError(
            [Problem(f"the header is {shown!r}", HEADER_HINT, source, rows[0].number)]
        )
    known = set(criterion_ids)
    column = {name: header.index(name) for name in COLUMNS if name in header}
    entries: dict[str, Entry] = {}
    first_row: dict[str, int] = {}
    problems: list[Problem] = []
    for row in rows[1:]:
        criterion, rating = _check_row(row, column, source, known, first_row, problems)
        first_row.setdefault(criterion, row.number)
        if rating is not None:
            reason = row.get(column["reason"]).strip() if "reason" in column else ""
            comment = row.get(column["comment"]).strip() if "comment" in column else ""
            entries[criterion] = Entry(rating, reason or None, comment or None)
    if problems:
        raise LadderError(problems)
    return entries


def _check_row(
    row: GridRow,
    column: dict[str, int],
    source: str,
    known: set[str],
    first_row: dict[str, int],
    problems: list[Problem],
) -> tuple[str, Rating | None]:
    criterion, raw = row.get(column["criterion"]).strip(), row.get(column["rating"]).strip()
    reason = row.get(column["reason"]).strip() if "reason" in column else ""
    rating = parse_rating(raw)

    def problem(message: str, hint: str, name: str) -> None:
        at = column.get(name, column["rating"]) + 1
        problems.append(Problem(message, hint, source, row.number, at))

    if criterion not in known:
        problem(
            f"unknown criterion {criterion!r}",
            "use an id of this ladder version as `skillgrid framework show` lists them "
            "(TRACK.level.n)",
            "criterion",
        )
    elif criterion in first_row:
        problem(
            f"criterion {criterion} is rated twice (first at row {first_row[criterion]})",
            "keep one rating per criterion",
            "criterion",
        )
    if rating is None:
        scale = ", ".join(r.value for r in SCALE)
        problem(f"rating {raw!r} is not on the scale", f"use one of {scale}, or n/a", "rating")
    elif rating is Rating.NOT_APPLICABLE and not reason:
        problem(
            f"n/a for {criterion} has no reason",
            "say in the reason column why the criterion cannot apply to this job",
            "reason",
        )
    return criterion, rating


def read_assessment_yaml(
    data: bytes, source: str, criterion_ids: Iterable[str]
) -> tuple[dict[str, Entry], list[dict[str, Any]]]:
    """A YAML assessment: ``ratings`` (criterion, rating, reason, comment) and optional
    ``evidence`` (title, url, date, text, source, criteria). Every problem is reported."""
    import yaml

    try:
        document = load_yaml(decode(data, source), source) or {}
    except ValueError as error:  # an impossible date such as 2026-02-30
        raise LadderError(
            [Problem(f"invalid YAML value: {error}", "fix the value", source)]
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        row, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        hint = "fix the syntax"
        raise LadderError([Problem(f"invalid YAML: {error}", hint, source, row, col)]) from None
    if not isinstance(document, dict):
        raise LadderError(
            [
                Problem(
                    "expected a mapping with 'ratings' (and optionally 'evidence') at the top",
                    "see docs/concepts.md, 'Assessments as files'",
                    source,
                )
            ]
        )
    ratings, evidence = document.get("ratings") or [], document.get("evidence") or []
    shape_ok = isinstance(ratings, list) and isinstance(evidence, list)
    if not shape_ok or not all(isinstance(item, dict) for item in [*ratings, *evidence]):
        raise LadderError(
            [
                Problem(
                    "expected 'ratings' and 'evidence' lists of mappings",
                    "see docs/concepts.md, 'Assessments as files'",
                    source,
                )
            ]
        )
    known = set(criterion_ids)
    entries: dict[str, Entry] = {}
    problems: list[Problem] = []
    for index, item in enumerate(ratings):
        found = _yaml_entry(item, f"ratings[{index}]", known, entries, source, problems)
        if found is not None:
            entries[found[0]] = found[1]
    if problems:
        raise LadderError(problems)
    return entries, evidence


def _yaml_entry(
    item: dict[str, Any],
    where: str,
    known: set[str],
    entries: dict[str, Entry],
    source: str,
    problems: list[Problem],
) -> tuple[str, Entry] | None:
    criterion = str(item.get("criterion") or "").strip()
    raw = str(item.get("rating") or "")
    reason = str(item.get("reason") or "").strip() or None
    comment = str(item.get("comment") or "").strip() or None
    rating = parse_rating(raw)
    before = len(problems)
    if criterion not in known:
        problems.append(
            Problem(
                f"{where}: unknown criterion {criterion!r}",
                "use an id of this ladder version (TRACK.level.n)",
                source,
            )
        )
    elif criterion in entries:
        problems.append(
            Problem(f"{where}: {criterion} is rated twice", "keep one rating per criterion", source)
        )
    if rating is None:
        scale = ", ".join(r.value for r in SCALE)
        problems.append(
            Problem(
                f"{where}: rating {raw!r} is not on the scale",
                f"use one of {scale}, or n/a",
                source,
            )
        )
    elif rating is Rating.NOT_APPLICABLE and not reason:
        problems.append(
            Problem(
                f"{where}: n/a for {criterion} has no reason",
                "say why the criterion cannot apply to this job",
                source,
            )
        )
    if len(problems) > before or rating is None:
        return None
    return criterion, Entry(rating, reason, comment)
