"""Stored official results (summaries): one per person and cycle, with the person's team
(kept in step when people move) and the ids of their unmet criteria, so team reports group
and count without reading ratings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session, aliased

from skillgrid.db.people_repository import is_below
from skillgrid.db.tables import (
    AssessmentRow,
    CycleRow,
    OfficialResultRow,
    OfficialTrackRow,
    PersonRow,
)
from skillgrid.domain.insight import OfficialLevels, Summary, pack_ids, unpack_ids

Ids = tuple[str, ...]

_CYCLE = select(CycleRow.id).where(CycleRow.name == bindparam("cycle")).scalar_subquery()
_results, _tracks = OfficialResultRow.__table__, OfficialTrackRow.__table__
_cycles, _people = CycleRow.__table__, PersonRow.__table__
_LEVELS = (  # everyone's official levels in a cycle: a row a person and track
    select(_people.c.email, _results.c.overall, _tracks.c.track_key, _tracks.c.level)
    .select_from(_results)
    .join(_people, _people.c.id == _results.c.person_id)
    .outerjoin(
        _tracks,
        (_tracks.c.cycle_id == _results.c.cycle_id) & (_tracks.c.person_id == _results.c.person_id),
    )
    .where(_results.c.cycle_id == _CYCLE)
)
_LEVELS_BELOW = _LEVELS.where(is_below(_results.c.person_id))
# the people's ids first: as a join, SQLite (no statistics) scans the cycle for 7 or more
_LEVELS_OF = _LEVELS.where(
    _results.c.person_id.in_(
        select(_people.c.id).where(_people.c.email.in_(bindparam("among", expanding=True)))
    )
)
_OVERALL = (  # everyone's official overall level in a cycle: a row a person
    select(_people.c.email, _results.c.overall)
    .select_from(_results)
    .join(_people, _people.c.id == _results.c.person_id)
    .where(_results.c.cycle_id == _CYCLE)
)
_OVERALL_BELOW = _OVERALL.where(is_below(_results.c.person_id))
_REACHED = (  # how many active people are at each level of each track, officially
    select(_tracks.c.track_key, _tracks.c.level, func.count())
    .select_from(_tracks)
    .join(_people, _people.c.id == _tracks.c.person_id)
    .where(_tracks.c.cycle_id == _CYCLE, _people.c.active)
    .group_by(_tracks.c.track_key, _tracks.c.level)
)
_REACHED_BELOW = _REACHED.where(is_below(_tracks.c.person_id))
# A growth page reads one person's results across cycles: one statement, built once.
_OF_PERSON = (
    select(
        _cycles.c.name,
        _results.c.policy,
        _results.c.overall,
        _results.c.top,
        _results.c.gaps,
        _tracks.c.track_key,
        _tracks.c.level,
        _tracks.c.missing,
    )
    .select_from(_results)
    .join(_cycles, _cycles.c.id == _results.c.cycle_id)
    .join(
        _tracks,
        (_tracks.c.cycle_id == _results.c.cycle_id) & (_tracks.c.person_id == _results.c.person_id),
    )
    .where(
        _results.c.person_id
        == select(_people.c.id).where(_people.c.email == bindparam("email")).scalar_subquery()
    )
    .order_by(_cycles.c.created_at, _cycles.c.id)
)


class SqlSummaryRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def save_summary(self, person: str, cycle: str, summary: Summary, manager: str | None) -> None:
        """Store (or replace) the summary of a person's official result in a cycle."""
        self.delete_summary(person, cycle)
        self.save_summaries(cycle, [(person, summary, manager)])

    def save_summaries(self, cycle: str, rows: Sequence[tuple[str, Summary, str | None]]) -> None:
        """Store new summaries of one cycle at once: (person, summary, manager)."""
        if not rows:
            return
        emails = {email for email, _, _ in rows} | {m for _, _, m in rows if m}
        people = {
            email: (person_id, team_id)
            for email, person_id, team_id in self.session.execute(
                select(PersonRow.email, PersonRow.id, PersonRow.team_id).where(
                    PersonRow.email.in_(list(emails))
                )
            )
        }
        cycle_id = cycle_ids(self.session, [cycle])[cycle]
        official = dict(
            self.session.execute(
                select(AssessmentRow.person_id, AssessmentRow.id).where(
                    AssessmentRow.cycle_id == cycle_id,
                    AssessmentRow.rater == "manager",
                    AssessmentRow.person_id.in_([people[e][0] for e, _, _ in rows]),
                )
            ).all()
        )
        results: list[dict[str, object]] = []
        tracks: list[dict[str, object]] = []
        for email, summary, manager in rows:
            person_id, team_id = people[email]
            results.append(
                {
                    "person_id": person_id,
                    "cycle_id": cycle_id,
                    "assessment_id": official[person_id],
                    "manager_id": people[manager][0] if manager in people else None,
                    "team_id": team_id,
                    "policy": summary.policy,
                    "overall": summary.overall,
                    "top": summary.top,
                    "gaps": summary.gaps,
                    "delta_n": summary.delta_n,
                    "delta_sum": summary.delta_sum,
                    "delta_squares": summary.delta_squares,
                }
            )
            tracks.extend(
                {
                    "person_id": person_id,
                    "cycle_id": cycle_id,
                    "track_key": key,
                    "team_id": team_id,
                    "level": reached,
                    "missing": pack_ids(summary.missing[key]),
                }
                for key, reached in summary.tracks.items()
            )
        self.session.execute(insert(OfficialResultRow), results)
        self.session.execute(insert(OfficialTrackRow), tracks)

    def delete_summary(self, person: str, cycle: str) -> None:
        person_id = select(PersonRow.id).where(PersonRow.email == person).scalar_subquery()
        cycle_id = select(CycleRow.id).where(CycleRow.name == cycle).scalar_subquery()
        for table in (OfficialTrackRow, OfficialResultRow):
            self.session.execute(
                delete(table).where(table.person_id == person_id, table.cycle_id == cycle_id)
            )

    def delete_summaries(self, cycles: Sequence[str]) -> None:
        """Every stored summary of these cycles."""
        ids = select(CycleRow.id).where(CycleRow.name.in_(list(cycles)))
        for table in (OfficialTrackRow, OfficialResultRow):
            self.session.execute(delete(table).where(table.cycle_id.in_(ids)))

    def stored_manager(self, person: str, cycle: str) -> tuple[str | None] | None:
        """(the manager a stored summary was stored under,), or None when none is stored."""
        manager = aliased(PersonRow)
        query = (
            select(manager.email)
            .select_from(OfficialResultRow)
            .join(PersonRow, PersonRow.id == OfficialResultRow.person_id)
            .join(CycleRow, CycleRow.id == OfficialResultRow.cycle_id)
            .outerjoin(manager, manager.id == OfficialResultRow.manager_id)
            .where(PersonRow.email == person, CycleRow.name == cycle)
        )
        found = self.session.execute(query).first()
        return None if found is None else (found[0],)

    def team_drift(self) -> list[tuple[str, str]]:
        """(person, cycle) of stored summaries whose team is not the person's team now."""
        found: set[tuple[str, str]] = set()
        for stored in (OfficialResultRow, OfficialTrackRow):  # a summary, its track levels
            query = (
                select(PersonRow.email, CycleRow.name)
                .select_from(stored)
                .join(PersonRow, PersonRow.id == stored.person_id)
                .join(CycleRow, CycleRow.id == stored.cycle_id)
                .where(stored.team_id.is_distinct_from(PersonRow.team_id))
            )
            found |= {(email, cycle) for email, cycle in self.session.execute(query)}
        return sorted(found)

    def stored_managers(self) -> dict[tuple[str, str], str | None]:
        """(person, cycle) → the manager each stored summary was stored under."""
        manager = aliased(PersonRow)
        query = (
            select(PersonRow.email, CycleRow.name, manager.email)
            .select_from(OfficialResultRow)
            .join(PersonRow, PersonRow.id == OfficialResultRow.person_id)
            .join(CycleRow, CycleRow.id == OfficialResultRow.cycle_id)
            .outerjoin(manager, manager.id == OfficialResultRow.manager_id)
        )
        return {(email, cycle): boss for email, cycle, boss in self.session.execute(query)}

    def follow_teams(self, people: Iterable[str]) -> None:
        """Move the stored results of these people to the team they are on now."""
        emails = list(people)
        if not emails:
            return
        ids = select(PersonRow.id).where(PersonRow.email.in_(emails))
        for table in (OfficialResultRow, OfficialTrackRow):
            team = (
                select(PersonRow.team_id).where(PersonRow.id == table.person_id).scalar_subquery()
            )
            self.session.execute(update(table).where(table.person_id.in_(ids)).values(team_id=team))

    def summaries(self) -> dict[tuple[str, str], tuple[Summary, str | None]]:
        """Every stored summary with the manager it was stored under, by (person, cycle)."""
        manager = aliased(PersonRow)
        tracks: dict[tuple[int, int], dict[str, tuple[int, str]]] = {}
        query = select(
            OfficialTrackRow.person_id,
            OfficialTrackRow.cycle_id,
            OfficialTrackRow.track_key,
            OfficialTrackRow.level,
            OfficialTrackRow.missing,
        )
        for person_id, cycle_id, key, level, missing in self.session.execute(query):
            tracks.setdefault((person_id, cycle_id), {})[key] = (level, missing)
        results = (
            select(OfficialResultRow, PersonRow.email, CycleRow.name, manager.email)
            .join(PersonRow, PersonRow.id == OfficialResultRow.person_id)
            .join(CycleRow, CycleRow.id == OfficialResultRow.cycle_id)
            .outerjoin(manager, manager.id == OfficialResultRow.manager_id)
        )
        found: dict[tuple[str, str], tuple[Summary, str | None]] = {}
        for row, email, cycle, boss in self.session.execute(results):
            mine = tracks.get((row.person_id, row.cycle_id), {})
            summary = Summary(
                policy=row.policy,
                overall=row.overall,
                top=row.top,
                gaps=row.gaps,
                tracks={key: level for key, (level, _) in mine.items()},
                missing={key: unpack_ids(text) for key, (_, text) in mine.items()},
                delta_n=row.delta_n,
                delta_sum=row.delta_sum,
                delta_squares=row.delta_squares,
            )
            found[(email, cycle)] = (summary, boss)
        return found

    def of_person(self, email: str) -> list[tuple[str, Summary]]:
        """A person's stored official results, oldest cycle first: (cycle, summary)."""
        found: dict[str, tuple[tuple[str, int, int, int], dict[str, int], dict[str, Ids]]] = {}
        rows = self.session.execute(_OF_PERSON, {"email": email}).all()
        for cycle, policy, overall, top, gaps, key, level, missing in rows:
            _, tracks, unmet = found.setdefault(cycle, ((policy, overall, top, gaps), {}, {}))
            tracks[key] = level
            unmet[key] = unpack_ids(missing)
        return [
            (cycle, Summary(*head, tracks=tracks, missing=unmet))
            for cycle, (head, tracks, unmet) in found.items()
        ]

    def levels(self, cycle: str, below: str | None = None) -> dict[str, OfficialLevels]:
        """Everyone's stored official levels in a cycle, by email; of the people below the
        manager ``below`` only, when given (one statement)."""
        query = _LEVELS if below is None else _LEVELS_BELOW
        return _levels(self.session.execute(query, {"cycle": cycle, "below": below}).all())

    def levels_of(self, cycle: str, among: Sequence[str]) -> dict[str, OfficialLevels]:
        """The stored official levels in a cycle of the people ``among`` (emails) who have
        one: a page of people's, in one statement."""
        return _levels(self.session.execute(_LEVELS_OF, {"cycle": cycle, "among": list(among)}))

    def overall_levels(self, cycle: str, below: str | None = None) -> dict[str, int]:
        """Everyone's official overall level in a cycle, by email; of the people below the
        manager ``below`` only, when given."""
        query = _OVERALL if below is None else _OVERALL_BELOW
        rows = self.session.execute(query, {"cycle": cycle, "below": below}).all()
        return dict(rows)

    def reached(self, cycle: str, below: str | None = None) -> dict[tuple[str, int], int]:
        """(track key, official level) → how many active people are at it in a cycle (of
        the people below the manager ``below`` only, when given): counted by the database."""
        query = _REACHED if below is None else _REACHED_BELOW
        rows = self.session.execute(query, {"cycle": cycle, "below": below}).all()
        return {(key, level): people for key, level, people in rows}

    def cycles_with_results(self) -> list[str]:
        query = select(CycleRow.name).where(
            select(OfficialResultRow.cycle_id)
            .where(OfficialResultRow.cycle_id == CycleRow.id)
            .exists()
        )
        return list(self.session.scalars(query))


def cycle_ids(session: Session, cycles: Sequence[str]) -> dict[str, int]:
    """Cycle name → id, for the cycles that exist."""
    return dict(
        session.execute(
            select(CycleRow.name, CycleRow.id).where(CycleRow.name.in_(list(cycles)))
        ).all()
    )


def _levels(rows: Iterable[Sequence[Any]]) -> dict[str, OfficialLevels]:
    """Rows of (email, overall, track key, track level) as official levels by email."""
    overall: dict[str, int] = {}
    tracks: dict[str, dict[str, int]] = {}
    for email, level, key, track_level in rows:
        overall[email] = level
        if key is not None:
            tracks.setdefault(email, {})[key] = track_level
    return {email: OfficialLevels(level, tracks.get(email, {})) for email, level in overall.items()}
