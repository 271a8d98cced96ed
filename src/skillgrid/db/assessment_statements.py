"""The statements the assessment repository runs on every assessment page, autosave and
growth page, built once with bound parameters: a person's assessments with their ratings, a
cycle's states, the cycles, and an autosave's writes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    CompoundSelect,
    String,
    bindparam,
    insert,
    null,
    select,
    type_coerce,
    union_all,
    update,
)

from skillgrid.db.base import table
from skillgrid.db.people_repository import is_below
from skillgrid.db.tables import (
    AssessmentRow,
    CycleRow,
    FrameworkRow,
    FrameworkVersionRow,
    PersonRow,
    RatingRow,
)

assessments, cycles, people = AssessmentRow.__table__, CycleRow.__table__, PersonRow.__table__
ratings = RatingRow.__table__
_PERSON_ID = select(people.c.id).where(people.c.email == bindparam("person")).scalar_subquery()
ENTRY = (  # a rating as an Entry is made of it, after its criterion's uid
    ratings.c.criterion_uid,
    ratings.c.rating,
    ratings.c.reason,
    ratings.c.comment,
    ratings.c.needs_review,
    ratings.c.review_reason,
)
OF_PERSON = (  # a person's assessments, oldest cycle first, a row per rating (or one of nulls)
    select(cycles.c.name, assessments.c.rater, assessments.c.state, assessments.c.revision, *ENTRY)
    .select_from(assessments)
    .join(cycles, cycles.c.id == assessments.c.cycle_id)
    .outerjoin(ratings, ratings.c.assessment_id == assessments.c.id)
    .where(assessments.c.person_id == _PERSON_ID)
    .order_by(cycles.c.created_at, cycles.c.id, assessments.c.rater)
)
IN_CYCLE = OF_PERSON.where(cycles.c.name == bindparam("cycle"))
ONE = IN_CYCLE.where(assessments.c.rater == bindparam("rater"))
STATES = (
    select(people.c.email, assessments.c.rater, assessments.c.state)
    .join(people, people.c.id == assessments.c.person_id)
    .join(cycles, cycles.c.id == assessments.c.cycle_id)
    .where(cycles.c.name == bindparam("cycle"))
)
STATES_BELOW = STATES.where(is_below(assessments.c.person_id))
_NEWEST = (
    select(assessments.c.id)
    .join(cycles, cycles.c.id == assessments.c.cycle_id)
    .where(assessments.c.person_id == _PERSON_ID, assessments.c.rater == bindparam("rater"))
    .order_by(cycles.c.created_at.desc(), cycles.c.id.desc())
    .limit(1)
    .scalar_subquery()
)
_HEADER = (  # an assessment's header, and what orders it (the time as text: compared only)
    cycles.c.name,
    assessments.c.state,
    assessments.c.revision,
    type_coerce(cycles.c.created_at, String),
    cycles.c.id,
)
HISTORY: CompoundSelect[Any] = union_all(  # every header, then the newest one's ratings
    select(*_HEADER, *(null() for _ in ENTRY))
    .select_from(assessments)
    .join(cycles, cycles.c.id == assessments.c.cycle_id)
    .where(assessments.c.person_id == _PERSON_ID, assessments.c.rater == bindparam("rater")),
    select(*(null() for _ in _HEADER), *ENTRY).where(ratings.c.assessment_id == _NEWEST),
)
_versions, _ladders = FrameworkVersionRow.__table__, FrameworkRow.__table__
DUE = (cycles.c.self_due, cycles.c.manager_due, cycles.c.calibration_due, cycles.c.close_due)
CYCLES = (
    select(cycles.c.name, _ladders.c.name, _versions.c.version, cycles.c.open, *DUE)
    .join(_versions, _versions.c.id == cycles.c.version_id)
    .join(_ladders, _ladders.c.id == _versions.c.framework_id)
    .order_by(cycles.c.created_at, cycles.c.id)
)
HEADERS = (
    select(cycles.c.name, assessments.c.state, assessments.c.revision)
    .select_from(assessments)
    .join(cycles, cycles.c.id == assessments.c.cycle_id)
    .where(assessments.c.person_id == _PERSON_ID, assessments.c.rater == bindparam("rater"))
    .order_by(cycles.c.created_at, cycles.c.id)
)
# an autosave's writes (the ids as subqueries: no round trip of their own)
_CYCLE_ID = select(cycles.c.id).where(cycles.c.name == bindparam("cycle")).scalar_subquery()
ADD = (
    insert(table(AssessmentRow))
    .values(
        person_id=_PERSON_ID,
        cycle_id=_CYCLE_ID,
        rater=bindparam("as_rater"),
        state=bindparam("new_state"),
        revision=1,
    )
    .returning(assessments.c.id)
)
UPDATE = (  # only at the revision it was read at
    update(table(AssessmentRow))
    .where(
        assessments.c.person_id == _PERSON_ID,
        assessments.c.cycle_id == _CYCLE_ID,
        assessments.c.rater == bindparam("as_rater"),
        assessments.c.revision == bindparam("read_at"),
    )
    .values(state=bindparam("new_state"), revision=bindparam("new_revision"))
    .returning(assessments.c.id)
)
ADD_RATINGS = insert(table(RatingRow))
