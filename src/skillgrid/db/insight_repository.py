"""Stored official results (summaries) and team targets, and the aggregate reads that team and
org reports make over them: each report is a few grouped queries, never a pass over ratings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Select, and_, case, delete, func, insert, or_, select
from sqlalchemy.orm import Session, aliased

from skillgrid.db.tables import (
    AssessmentRow,
    CycleRow,
    FrameworkRow,
    OfficialResultRow,
    OfficialTrackRow,
    PersonRow,
    RatingRow,
    TargetRow,
    TeamRow,
)
from skillgrid.domain.insight import (
    ManagerRatings,
    Move,
    Spread,
    Summary,
    Target,
    pack_unmet,
    unpack_unmet,
)

Teams = Sequence[str | None] | None  # team names to keep (None: everyone)


class SqlInsightRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # summaries -------------------------------------------------------------------------

    def save_summary(self, person: str, cycle: str, summary: Summary, manager: str | None) -> None:
        """Store (or replace) the summary of a person's official result in a cycle."""
        person_id, cycle_id = self._person_cycle(person, cycle)
        self._delete(person_id, cycle_id)
        assessment_id = self.session.scalar(
            select(AssessmentRow.id).where(
                AssessmentRow.person_id == person_id,
                AssessmentRow.cycle_id == cycle_id,
                AssessmentRow.rater == "manager",
            )
        )
        manager_id = (
            self.session.scalar(select(PersonRow.id).where(PersonRow.email == manager))
            if manager
            else None
        )
        self.insert_summaries([(person_id, cycle_id, assessment_id, manager_id, summary)])

    def save_summaries(self, cycle: str, rows: Sequence[tuple[str, Summary, str | None]]) -> None:
        """Store many summaries of one cycle at once: (person, summary, manager)."""
        emails = {email for email, _, _ in rows} | {m for _, _, m in rows if m}
        ids = dict(
            self.session.execute(
                select(PersonRow.email, PersonRow.id).where(PersonRow.email.in_(list(emails)))
            ).all()
        )
        cycle_id = self._cycle_ids([cycle])[cycle]
        official = dict(
            self.session.execute(
                select(AssessmentRow.person_id, AssessmentRow.id).where(
                    AssessmentRow.cycle_id == cycle_id,
                    AssessmentRow.rater == "manager",
                    AssessmentRow.person_id.in_([ids[e] for e, _, _ in rows]),
                )
            ).all()
        )
        self.insert_summaries(
            (ids[email], cycle_id, official.get(ids[email]), ids.get(manager or ""), summary)
            for email, summary, manager in rows
        )

    def cycles_with_results(self) -> list[str]:
        query = select(CycleRow.name).where(
            select(OfficialResultRow.cycle_id)
            .where(OfficialResultRow.cycle_id == CycleRow.id)
            .exists()
        )
        return list(self.session.scalars(query))

    def insert_summaries(
        self, rows: Iterable[tuple[int, int, int | None, int | None, Summary]]
    ) -> None:
        """Bulk insert of (person id, cycle id, assessment id, manager id, summary)."""
        results: list[dict[str, object]] = []
        tracks: list[dict[str, object]] = []
        for person_id, cycle_id, assessment_id, manager_id, summary in rows:
            results.append(
                {
                    "person_id": person_id,
                    "cycle_id": cycle_id,
                    "assessment_id": assessment_id,
                    "manager_id": manager_id,
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
                    "level": reached,
                    "unmet": pack_unmet(summary.unmet[key]),
                }
                for key, reached in summary.tracks.items()
            )
        if results:
            self.session.execute(insert(OfficialResultRow), results)
            self.session.execute(insert(OfficialTrackRow), tracks)

    def delete_summary(self, person: str, cycle: str) -> None:
        self._delete(*self._person_cycle(person, cycle))

    def delete_summaries(self) -> None:
        self.session.execute(delete(OfficialTrackRow))
        self.session.execute(delete(OfficialResultRow))

    def summaries(self) -> dict[tuple[str, str], tuple[Summary, str | None]]:
        """Every stored summary with the manager it was stored under, by (person, cycle)."""
        manager = aliased(PersonRow)
        tracks: dict[tuple[int, int], dict[str, tuple[int, str]]] = {}
        for track in self.session.execute(select(OfficialTrackRow)).scalars():
            tracks.setdefault((track.person_id, track.cycle_id), {})[track.track_key] = (
                track.level,
                track.unmet,
            )
        query = (
            select(OfficialResultRow, PersonRow.email, CycleRow.name, manager.email)
            .join(PersonRow, PersonRow.id == OfficialResultRow.person_id)
            .join(CycleRow, CycleRow.id == OfficialResultRow.cycle_id)
            .outerjoin(manager, manager.id == OfficialResultRow.manager_id)
        )
        found: dict[tuple[str, str], tuple[Summary, str | None]] = {}
        for row, email, cycle, boss in self.session.execute(query):
            mine = tracks.get((row.person_id, row.cycle_id), {})
            summary = Summary(
                policy=row.policy,
                overall=row.overall,
                top=row.top,
                gaps=row.gaps,
                tracks={key: level for key, (level, _) in mine.items()},
                unmet={key: unpack_unmet(text) for key, (_, text) in mine.items()},
                delta_n=row.delta_n,
                delta_sum=row.delta_sum,
                delta_squares=row.delta_squares,
            )
            found[(email, cycle)] = (summary, boss)
        return found

    def count(self) -> int:
        return self.session.scalar(select(func.count()).select_from(OfficialTrackRow)) or 0

    # targets ---------------------------------------------------------------------------

    def targets(self, framework: str | None = None) -> list[Target]:
        query = (
            select(TeamRow.name, FrameworkRow.name, TargetRow)
            .join(TeamRow, TeamRow.id == TargetRow.team_id)
            .join(FrameworkRow, FrameworkRow.id == TargetRow.framework_id)
            .order_by(TeamRow.name, FrameworkRow.name, TargetRow.track_key)
        )
        if framework is not None:
            query = query.where(FrameworkRow.name == framework)
        return [
            Target(team, name, row.track_key, row.level, row.people)
            for team, name, row in self.session.execute(query)
        ]

    def set_target(self, target: Target) -> None:
        team_id, framework_id = self._team_framework(target.team, target.framework)
        row = self.session.scalar(
            select(TargetRow).where(
                TargetRow.team_id == team_id,
                TargetRow.framework_id == framework_id,
                TargetRow.track_key == target.track,
            )
        )
        if row is None:
            row = TargetRow(team_id=team_id, framework_id=framework_id, track_key=target.track)
            self.session.add(row)
        row.level = target.level
        row.people = target.people
        self.session.flush()

    def remove_target(self, team: str, framework: str, track: str) -> bool:
        team_id, framework_id = self._team_framework(team, framework)
        result = self.session.execute(
            delete(TargetRow).where(
                TargetRow.team_id == team_id,
                TargetRow.framework_id == framework_id,
                TargetRow.track_key == track,
            )
        )
        return bool(getattr(result, "rowcount", 0))

    # report reads ----------------------------------------------------------------------

    def level_counts(
        self, cycles: Sequence[str]
    ) -> list[tuple[str, str | None, str | None, int, int]]:
        """(cycle, team, track, level, people) over everyone, track None for the overall
        level: the distribution and coverage of every team come from these counts."""
        ids = self._cycle_ids(cycles)
        names = {v: k for k, v in ids.items()}
        if not ids:
            return []
        teams = dict(self.session.execute(select(TeamRow.id, TeamRow.name)).all())
        tracks = (
            select(
                OfficialTrackRow.cycle_id,
                PersonRow.team_id,
                OfficialTrackRow.track_key,
                OfficialTrackRow.level,
                func.count(),
            )
            .join(PersonRow, PersonRow.id == OfficialTrackRow.person_id)
            .where(OfficialTrackRow.cycle_id.in_(list(ids.values())))
            .group_by(
                OfficialTrackRow.cycle_id,
                PersonRow.team_id,
                OfficialTrackRow.track_key,
                OfficialTrackRow.level,
            )
        )
        overall = (
            select(
                OfficialResultRow.cycle_id,
                PersonRow.team_id,
                OfficialResultRow.overall,
                func.count(),
            )
            .join(PersonRow, PersonRow.id == OfficialResultRow.person_id)
            .where(OfficialResultRow.cycle_id.in_(list(ids.values())))
            .group_by(OfficialResultRow.cycle_id, PersonRow.team_id, OfficialResultRow.overall)
        )
        rows: list[tuple[str, str | None, str | None, int, int]] = [
            (names[c], teams.get(t) if t is not None else None, key, level, n)
            for c, t, key, level, n in self.session.execute(tracks)
        ]
        rows.extend(
            (names[c], teams.get(t) if t is not None else None, None, level, n)
            for c, t, level, n in self.session.execute(overall)
        )
        return rows

    def slice_counts(
        self, cycles: Sequence[str], teams: Teams
    ) -> list[tuple[str, str | None, int, int]]:
        """(cycle, track, level, people) over a slice of the org (track None: overall)."""
        ids = self._cycle_ids(cycles)
        names = {v: k for k, v in ids.items()}
        if not ids:
            return []
        tracks = (
            select(
                OfficialTrackRow.cycle_id,
                OfficialTrackRow.track_key,
                OfficialTrackRow.level,
                func.count(),
            )
            .where(OfficialTrackRow.cycle_id.in_(list(ids.values())))
            .group_by(OfficialTrackRow.cycle_id, OfficialTrackRow.track_key, OfficialTrackRow.level)
        )
        overall = (
            select(OfficialResultRow.cycle_id, OfficialResultRow.overall, func.count())
            .where(OfficialResultRow.cycle_id.in_(list(ids.values())))
            .group_by(OfficialResultRow.cycle_id, OfficialResultRow.overall)
        )
        if teams is not None:
            tracks = self._in_teams(
                tracks.join(PersonRow, PersonRow.id == OfficialTrackRow.person_id), teams
            )
            overall = self._in_teams(
                overall.join(PersonRow, PersonRow.id == OfficialResultRow.person_id), teams
            )
        rows: list[tuple[str, str | None, int, int]] = [
            (names[c], key, level, n) for c, key, level, n in self.session.execute(tracks)
        ]
        rows.extend((names[c], None, level, n) for c, level, n in self.session.execute(overall))
        return rows

    def holders(
        self, cycle: str, wanted: Sequence[tuple[Teams, str, int]]
    ) -> list[list[tuple[str, str]]]:
        """For each (teams, track, level): the (email, name) of people at ≥ level."""
        index = _by_team_track(self._track_rows(cycle, wanted, at_least=True))
        return [
            sorted((r[0], r[1]) for r in _slice_rows(index, teams, key) if r[4] >= level)
            for teams, key, level in wanted
        ]

    def below(
        self, cycle: str, wanted: Sequence[tuple[Teams, str, int]]
    ) -> list[list[tuple[str, str, int, tuple[int, ...], int]]]:
        """For each (teams, track, level): (email, name, level, unmet counts, assessment id)
        of the people below the level."""
        index = _by_team_track(self._track_rows(cycle, wanted, at_least=False))
        return [
            [
                (r[0], r[1], r[4], unpack_unmet(r[5]), r[6])
                for r in _slice_rows(index, teams, key)
                if r[4] < level
            ]
            for teams, key, level in wanted
        ]

    def met_criteria(self, assessments: Sequence[int], uids: Sequence[str]) -> set[tuple[int, str]]:
        """(assessment id, criterion uid) of the given criteria that are met."""
        if not assessments or not uids:
            return set()
        query = select(RatingRow.assessment_id, RatingRow.criterion_uid).where(
            RatingRow.assessment_id.in_(list(assessments)),
            RatingRow.criterion_uid.in_(list(uids)),
            RatingRow.rating.in_(["meets", "exceeds", "n/a"]),
        )
        return set(self.session.execute(query))

    def manager_ratings(self, cycle: str, teams: Teams) -> list[ManagerRatings]:
        """Per manager (as stored on finalize): their reports' levels and (manager − self)."""
        ids = self._cycle_ids([cycle])
        if not ids:
            return []
        result = OfficialResultRow
        manager = aliased(PersonRow)
        report_mean = case(
            (result.delta_n > 0, result.delta_sum * 1.0 / result.delta_n), else_=None
        )
        query = (
            select(
                manager.email,
                manager.name,
                func.count(),
                func.sum(result.overall),
                func.sum(result.overall * result.overall),
                func.sum(result.delta_n),
                func.sum(result.delta_sum),
                func.sum(result.delta_squares),
                func.count(report_mean),
                func.sum(report_mean),
                func.sum(report_mean * report_mean),
            )
            .join(manager, manager.id == result.manager_id)
            .join(PersonRow, PersonRow.id == result.person_id)
            .where(result.cycle_id == ids[cycle])
            .group_by(manager.email, manager.name)
            .order_by(manager.name, manager.email)
        )
        query = self._in_teams(query, teams)
        rows: list[tuple[Any, ...]] = list(self.session.execute(query))
        return [
            ManagerRatings(
                email,
                name,
                reports,
                Spread(reports, float(level_sum or 0), float(level_squares or 0)),
                int(n or 0),
                Spread(int(n or 0), float(total or 0), float(squares or 0)),
                Spread(int(means or 0), float(mean_sum or 0), float(mean_squares or 0)),
            )
            for (
                email,
                name,
                reports,
                level_sum,
                level_squares,
                n,
                total,
                squares,
                means,
                mean_sum,
                mean_squares,
            ) in rows
        ]

    def moves(self, before: str, after: str, teams: Teams) -> list[Move]:
        """People whose track or overall level differs between two cycles."""
        ids = self._cycle_ids([before, after])
        if len(ids) < 2:
            return []
        a, b = aliased(OfficialTrackRow), aliased(OfficialTrackRow)
        tracks = (
            select(PersonRow.email, PersonRow.name, a.track_key, a.level, b.level)
            .join(
                b,
                and_(
                    b.person_id == a.person_id,
                    b.track_key == a.track_key,
                    b.cycle_id == ids[after],
                ),
            )
            .join(PersonRow, PersonRow.id == a.person_id)
            .where(a.cycle_id == ids[before], a.level != b.level)
        )
        ra, rb = aliased(OfficialResultRow), aliased(OfficialResultRow)
        overall = (
            select(PersonRow.email, PersonRow.name, ra.overall, rb.overall)
            .join(rb, and_(rb.person_id == ra.person_id, rb.cycle_id == ids[after]))
            .join(PersonRow, PersonRow.id == ra.person_id)
            .where(ra.cycle_id == ids[before], ra.overall != rb.overall)
        )
        found = [
            Move(email, name, None, x, y)
            for email, name, x, y in self.session.execute(self._in_teams(overall, teams))
        ]
        found.extend(
            Move(email, name, key, x, y)
            for email, name, key, x, y in self.session.execute(self._in_teams(tracks, teams))
        )
        return found

    # helpers ---------------------------------------------------------------------------

    def _track_rows(
        self, cycle: str, wanted: Sequence[tuple[Teams, str, int]], at_least: bool
    ) -> list[tuple[str, str, str | None, str, int, str, int]]:
        ids = self._cycle_ids([cycle])
        if not ids or not wanted:
            return []
        team_names = dict(self.session.execute(select(TeamRow.id, TeamRow.name)).all())
        track = OfficialTrackRow
        levels: dict[str, list[int]] = {}
        for _, key, level in wanted:
            levels.setdefault(key, []).append(level)
        bound = {key: (min(found) if at_least else max(found)) for key, found in levels.items()}
        conditions = [
            and_(track.track_key == key, track.level >= level if at_least else track.level < level)
            for key, level in bound.items()
        ]
        query = (
            select(
                PersonRow.email,
                PersonRow.name,
                PersonRow.team_id,
                track.track_key,
                track.level,
                track.unmet,
                OfficialResultRow.assessment_id,
            )
            .join(PersonRow, PersonRow.id == track.person_id)
            .join(
                OfficialResultRow,
                and_(
                    OfficialResultRow.person_id == track.person_id,
                    OfficialResultRow.cycle_id == track.cycle_id,
                ),
            )
            .where(track.cycle_id == ids[cycle], or_(*conditions))
        )
        every: set[str | None] = set()
        for teams, _, _ in wanted:
            if teams is None:
                every = set()
                break
            every.update(teams)
        else:
            query = self._in_teams(query, list(every))
        return [
            (email, name, team_names.get(team) if team is not None else None, key, lvl, un, aid)
            for email, name, team, key, lvl, un, aid in self.session.execute(query)
        ]

    def _in_teams(self, query: Select, teams: Teams) -> Select:  # type: ignore[type-arg]
        if teams is None:
            return query
        named = [t for t in teams if t is not None]
        ids = list(self.session.scalars(select(TeamRow.id).where(TeamRow.name.in_(named))))
        if None in teams:
            return query.where(or_(PersonRow.team_id.in_(ids), PersonRow.team_id.is_(None)))
        return query.where(PersonRow.team_id.in_(ids))

    def _cycle_ids(self, cycles: Sequence[str]) -> dict[str, int]:
        return dict(
            self.session.execute(
                select(CycleRow.name, CycleRow.id).where(CycleRow.name.in_(list(cycles)))
            ).all()
        )

    def _person_cycle(self, person: str, cycle: str) -> tuple[int, int]:
        person_id = self.session.scalar(select(PersonRow.id).where(PersonRow.email == person))
        cycle_id = self.session.scalar(select(CycleRow.id).where(CycleRow.name == cycle))
        assert person_id is not None and cycle_id is not None
        return person_id, cycle_id

    def _delete(self, person_id: int, cycle_id: int) -> None:
        self.session.execute(
            delete(OfficialTrackRow).where(
                OfficialTrackRow.person_id == person_id, OfficialTrackRow.cycle_id == cycle_id
            )
        )
        self.session.execute(
            delete(OfficialResultRow).where(
                OfficialResultRow.person_id == person_id, OfficialResultRow.cycle_id == cycle_id
            )
        )

    def _team_framework(self, team: str, framework: str) -> tuple[int, int]:
        team_id = self.session.scalar(select(TeamRow.id).where(TeamRow.name == team))
        framework_id = self.session.scalar(
            select(FrameworkRow.id).where(FrameworkRow.name == framework)
        )
        assert team_id is not None and framework_id is not None
        return team_id, framework_id


Row = tuple[str, str, str | None, str, int, str, int]


def _by_team_track(rows: list[Row]) -> dict[tuple[str | None, str], list[Row]]:
    index: dict[tuple[str | None, str], list[Row]] = {}
    for row in rows:
        index.setdefault((row[2], row[3]), []).append(row)
    return index


def _slice_rows(
    index: dict[tuple[str | None, str], list[Row]], teams: Teams, track: str
) -> list[Row]:
    if teams is None:
        return [row for (_, key), rows in index.items() if key == track for row in rows]
    return [row for team in teams for row in index.get((team, track), ())]
