"""Cycles and assessments: rows ↔ domain objects. Writes check the revision they read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from skillgrid.db import assessment_statements as sql
from skillgrid.db.tables import (
    AssessmentRow,
    CycleRow,
    FrameworkRow,
    FrameworkVersionRow,
    PersonRow,
    RatingRow,
)
from skillgrid.domain.assessments import Assessment, Cycle, DueDates, Entry, State
from skillgrid.domain.errors import Conflict
from skillgrid.domain.leveling import Rating

_RATINGS = {rating.value: rating for rating in Rating}


class SqlAssessmentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def cycles(self) -> list[Cycle]:
        return [
            Cycle(name, ladder, version, bool(is_open), DueDates(*due))
            for name, ladder, version, is_open, *due in self.session.execute(sql.CYCLES)
        ]

    def add_cycle(self, cycle: Cycle) -> None:
        version_id = self.session.scalar(
            select(FrameworkVersionRow.id)
            .join(FrameworkRow, FrameworkRow.id == FrameworkVersionRow.framework_id)
            .where(FrameworkRow.name == cycle.framework)
            .where(FrameworkVersionRow.version == cycle.version)
        )
        self.session.add(
            CycleRow(
                name=cycle.name, version_id=version_id, open=cycle.open, **due_columns(cycle.due)
            )
        )
        self.session.flush()

    def set_due(self, name: str, due: DueDates) -> None:
        """Replace a cycle's due dates."""
        self.session.execute(
            update(CycleRow).where(CycleRow.name == name).values(**due_columns(due))
        )

    def move_cycle(self, name: str, version: int) -> None:
        """Pin a cycle to another version of its ladder."""
        cycle = self.session.scalar(select(CycleRow).where(CycleRow.name == name))
        assert cycle is not None
        framework_id = self.session.scalar(
            select(FrameworkVersionRow.framework_id).where(
                FrameworkVersionRow.id == cycle.version_id
            )
        )
        version_id = self.session.scalar(
            select(FrameworkVersionRow.id)
            .where(FrameworkVersionRow.framework_id == framework_id)
            .where(FrameworkVersionRow.version == version)
        )
        assert version_id is not None
        cycle.version_id = version_id
        self.session.flush()

    def in_cycle(self, cycle: str, people: Sequence[str] | None = None) -> list[Assessment]:
        """Every assessment of a cycle (of the given people), by person."""
        query = (
            select(AssessmentRow, PersonRow.email)
            .join(CycleRow, CycleRow.id == AssessmentRow.cycle_id)
            .join(PersonRow, PersonRow.id == AssessmentRow.person_id)
            .where(CycleRow.name == cycle)
            .order_by(PersonRow.email, AssessmentRow.rater)
        )
        if people is not None:
            query = query.where(PersonRow.email.in_(list(people)))
        found = list(self.session.execute(query))
        entries = self._entries([row.id for row, _ in found])
        return [
            Assessment(email, cycle, row.rater, State(row.state), entries[row.id], row.revision)
            for row, email in found
        ]

    def states(self, cycle: str, below: str | None = None) -> dict[str, dict[str, str]]:
        """person → rater → state of every assessment in a cycle (no ratings read); of the
        people below the manager ``below`` only, when given."""
        query = sql.STATES if below is None else sql.STATES_BELOW
        found: dict[str, dict[str, str]] = {}
        rows = self.session.execute(query, {"cycle": cycle, "below": below}).all()
        for email, rater, state in rows:  # fetched at once: thousands of rows
            found.setdefault(email, {})[rater] = state
        return found

    def finalized_people(self, cycle: str, among: Sequence[str] | None = None) -> list[str]:
        """The people with a finalized manager assessment in a cycle (of ``among`` only,
        when given)."""
        query = (
            select(PersonRow.email)
            .join(AssessmentRow, AssessmentRow.person_id == PersonRow.id)
            .join(CycleRow, CycleRow.id == AssessmentRow.cycle_id)
            .where(
                CycleRow.name == cycle,
                AssessmentRow.rater == "manager",
                AssessmentRow.state == State.FINALIZED.value,
            )
            .order_by(PersonRow.email)
        )
        if among is not None:
            query = query.where(PersonRow.email.in_(list(among)))
        return list(self.session.scalars(query))

    def set_open(self, name: str, is_open: bool) -> None:
        self.session.execute(update(CycleRow).where(CycleRow.name == name).values(open=is_open))

    def count_by_state(self) -> dict[str, int]:
        """How many assessments are in each state (states with none are left out)."""
        query = select(AssessmentRow.state, func.count()).group_by(AssessmentRow.state)
        return dict(self.session.execute(query).all())

    def open_cycle_count(self) -> int:
        query = select(func.count()).select_from(CycleRow).where(CycleRow.open.is_(True))
        return self.session.execute(query).scalar_one()

    def get(self, person: str, cycle: str, rater: str) -> Assessment | None:
        """One assessment with its ratings, in one statement."""
        params = {"person": person, "cycle": cycle, "rater": rater}
        found = _assessments_in(person, self.session.execute(sql.ONE, params).all())
        return found[0] if found else None

    def for_person(self, person: str, cycle: str | None = None) -> list[Assessment]:
        """A person's assessments (in one cycle) with their ratings, oldest cycle first, in
        one statement."""
        if cycle is None:
            return _assessments_in(
                person, self.session.execute(sql.OF_PERSON, {"person": person}).all()
            )
        params = {"person": person, "cycle": cycle}
        return _assessments_in(person, self.session.execute(sql.IN_CYCLE, params).all())

    def drafts(self, names: Sequence[str]) -> set[str]:
        """Of these assessments, named as the audit trail names them (``person/cycle/rater``),
        the ones that are drafts now."""
        wanted = set(names)
        people = sorted({name.split("/", 1)[0] for name in wanted})
        query = (
            select(sql.people.c.email, sql.cycles.c.name, sql.assessments.c.rater)
            .select_from(sql.assessments)
            .join(sql.people, sql.people.c.id == sql.assessments.c.person_id)
            .join(sql.cycles, sql.cycles.c.id == sql.assessments.c.cycle_id)
            .where(sql.people.c.email.in_(people), sql.assessments.c.state == State.DRAFT.value)
        )
        found = {"/".join(row) for row in self.session.execute(query)}
        return found & wanted

    def headers(self, person: str, rater: str) -> list[Assessment]:
        """A person's assessments by one rater, oldest cycle first, with their states and
        revisions but without their ratings (``entries`` is empty)."""
        rows = self.session.execute(sql.HEADERS, {"person": person, "rater": rater})
        return [
            Assessment(person, cycle, rater, State(state), {}, revision)
            for cycle, state, revision in rows
        ]

    def history(self, person: str, rater: str) -> list[Assessment]:
        """A person's assessments by one rater, oldest cycle first: the newest with its
        ratings, the others with their states and revisions only (``entries`` empty), in
        one statement."""
        headers, entries = [], {}
        for row in self.session.execute(sql.HISTORY, {"person": person, "rater": rater}).all():
            cycle, state, revision, created, cycle_id = row[:5]
            if cycle is not None:
                headers.append(((created, cycle_id), cycle, State(state), revision))
            else:
                uid, rating, reason, comment, needs_review, why = row[5:]
                entries[uid] = Entry(_RATINGS[rating], reason, comment, needs_review, why)
        headers.sort(key=lambda header: header[0])
        newest = len(headers) - 1
        return [
            Assessment(person, cycle, rater, state, entries if i == newest else {}, revision)
            for i, (_, cycle, state, revision) in enumerate(headers)
        ]

    def save(self, assessment: Assessment, stored: Mapping[str, Entry] | None = None) -> Assessment:
        """Store ``assessment`` whose ``revision`` is the one it was read at (0: new).
        ``stored``: its ratings as read in this transaction, so only the ratings that
        changed are written (an autosave changes one or two of a hundred); without it every
        rating is written again.

        Raises Conflict when someone stored another revision meanwhile."""
        keys = {
            "person": assessment.person,
            "cycle": assessment.cycle,
            "as_rater": assessment.rater,
            "new_state": assessment.state.value,
        }
        if assessment.revision == 0:
            assessment_id = self.session.execute(sql.ADD, keys).scalar_one()
        else:
            assessment_id = self.session.execute(
                sql.UPDATE,
                {**keys, "read_at": assessment.revision, "new_revision": assessment.revision + 1},
            ).scalar()
            if assessment_id is None:
                raise Conflict(
                    f"the {assessment.rater} assessment of {assessment.person} in "
                    f"{assessment.cycle} changed since revision {assessment.revision} was "
                    "read; nothing was stored — reload it and apply your change again"
                )
        self._write_ratings(assessment_id, assessment.entries, stored)
        return Assessment(
            assessment.person,
            assessment.cycle,
            assessment.rater,
            assessment.state,
            dict(assessment.entries),
            assessment.revision + 1,
        )

    def _write_ratings(
        self,
        assessment_id: int,
        entries: Mapping[str, Entry],
        stored: Mapping[str, Entry] | None,
    ) -> None:
        ratings = sql.ratings.c
        if stored is None:
            self.session.execute(delete(RatingRow).where(ratings.assessment_id == assessment_id))
            changed = list(entries)
        else:
            changed = [uid for uid, entry in entries.items() if stored.get(uid) != entry]
            rewritten = set(changed)
            gone = [uid for uid in stored if uid not in entries or uid in rewritten]
            if gone:
                self.session.execute(
                    delete(RatingRow).where(
                        ratings.assessment_id == assessment_id, ratings.criterion_uid.in_(gone)
                    )
                )
        if changed:
            rows = [
                {
                    "assessment_id": assessment_id,
                    "criterion_uid": uid,
                    "rating": entries[uid].rating.value,
                    "reason": entries[uid].reason,
                    "comment": entries[uid].comment,
                    "needs_review": entries[uid].needs_review,
                    "review_reason": entries[uid].review_reason,
                }
                for uid in changed
            ]
            self.session.execute(sql.ADD_RATINGS, rows)

    def add_many(self, assessments: Sequence[Assessment]) -> None:
        """Insert new assessments with their ratings in a few statements (bulk loads such as
        a synthetic organisation); each must not exist yet."""
        if not assessments:
            return
        emails = sorted({a.person for a in assessments})
        people = dict(
            self.session.execute(
                select(PersonRow.email, PersonRow.id).where(PersonRow.email.in_(emails))
            ).all()
        )
        names = sorted({a.cycle for a in assessments})
        cycles = dict(
            self.session.execute(
                select(CycleRow.name, CycleRow.id).where(CycleRow.name.in_(names))
            ).all()
        )
        ids = self.session.scalars(
            insert(AssessmentRow).returning(AssessmentRow.id, sort_by_parameter_order=True),
            [
                {
                    "person_id": people[a.person],
                    "cycle_id": cycles[a.cycle],
                    "rater": a.rater,
                    "state": a.state.value,
                    "revision": 1,
                }
                for a in assessments
            ],
        ).all()
        rows = [  # new ratings: none to check again, so no reason why (review_reason null)
            (assessment_id, uid, entry.rating.value, entry.reason, entry.comment, False)
            for assessment_id, a in zip(ids, assessments, strict=True)
            for uid, entry in a.entries.items()
        ]
        keys = ("assessment_id", "criterion_uid", "rating", "reason", "comment", "needs_review")
        connection = self.session.connection()
        if connection.dialect.name == "postgresql":  # COPY: an order of magnitude faster
            cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
            with cursor.copy(f"COPY ratings ({', '.join(keys)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        self.session.execute(insert(RatingRow), [dict(zip(keys, row, strict=True)) for row in rows])

    def _entries(self, ids: list[int]) -> dict[int, dict[str, Entry]]:
        entries: dict[int, dict[str, Entry]] = {i: {} for i in ids}
        for start in range(0, len(ids), 5000):  # bound the IN list
            rows = self.session.execute(
                select(sql.ratings.c.assessment_id, *sql.ENTRY).where(
                    sql.ratings.c.assessment_id.in_(ids[start : start + 5000])
                )
            )  # plain rows, not ORM objects: a person has hundreds of ratings
            for assessment_id, uid, rating, *rest in rows:
                entries[assessment_id][uid] = Entry(_RATINGS[rating], *rest)
        return entries


def _assessments_in(person: str, rows: Iterable[Any]) -> list[Assessment]:
    """The assessments in rows of ``sql.OF_PERSON`` (fetched at once: hundreds of ratings), in
    their order."""
    found: dict[tuple[str, str], dict[str, Entry]] = {}
    assessments = []
    for cycle, rater, state, revision, uid, rating, reason, comment, needs_review, why in rows:
        entries = found.get((cycle, rater))
        if entries is None:
            entries = found[(cycle, rater)] = {}
            assessments.append(Assessment(person, cycle, rater, State(state), entries, revision))
        if uid is not None:
            entries[uid] = Entry(_RATINGS[rating], reason, comment, needs_review, why)
    return assessments


def due_columns(due: DueDates) -> dict[str, object]:
    """The cycles columns that hold ``due``."""
    return {f"{step}_due": day for step, day in due.steps().items()}
