"""Team targets, and the aggregate reads that team and org reports make over the stored
official results: each report is a few grouped queries on covering indexes, never a pass
over ratings."""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Sequence
from typing import Any, Literal

from sqlalchemy import (
    Select,
    and_,
    bindparam,
    case,
    delete,
    func,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from skillgrid.db.tables import (
    CycleRow,
    FrameworkRow,
    OfficialResultRow,
    OfficialTrackRow,
    PersonRow,
    TargetRow,
    TeamRow,
)
from skillgrid.domain.insight import (
    ManagerRatings,
    Move,
    Spread,
    Target,
)

Teams = Sequence[str | None] | None  # team names to keep (None in it: no team); None: all


class SqlInsightRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._names: dict[int, str] | None = None
        self._cycles: dict[str, int] | None = None

    # targets ---------------------------------------------------------------------------

    def targets(
        self, framework: str | None = None, teams: Collection[str] | None = None
    ) -> list[Target]:
        """The targets (on one ladder; of these teams), by team, ladder and track."""
        query = (
            select(
                TeamRow.name,
                FrameworkRow.name,
                TargetRow.track_key,
                TargetRow.level,
                TargetRow.people,
            )
            .join(TeamRow, TeamRow.id == TargetRow.team_id)
            .join(FrameworkRow, FrameworkRow.id == TargetRow.framework_id)
            .order_by(TeamRow.name, FrameworkRow.name, TargetRow.track_key)
        )
        if framework is not None:
            query = query.where(FrameworkRow.name == framework)
        if teams is not None:
            query = query.where(TeamRow.name.in_(teams))
        return [Target(*row) for row in self.session.execute(query)]

    def target_counts(self) -> dict[str, int]:
        """Team → how many targets it has (on any ladder)."""
        query = (
            select(TeamRow.name, func.count())
            .join(TargetRow, TargetRow.team_id == TeamRow.id)
            .group_by(TeamRow.name)
        )
        return {name: count for name, count in self._core(query)}  # noqa: C416

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
        self, cycle: str, teams: Teams = None, *, tracks: bool = True
    ) -> list[tuple[str | None, str | None, int, int]]:
        """(team, track, level, people) in a cycle (of some teams only, when given), track
        None for the overall level: the distribution of every team comes from these. Without
        ``tracks``, the overall levels only (a team's tracks are most of the rows)."""
        shape, params = _slice_of(teams)
        query = _level_counts(shape, tracks)
        rows = self.session.execute(query, {"cycle": cycle, **params}).all()
        return [(team, key, level, n) for team, key, level, n in rows]

    def overall_counts(self, cycles: Sequence[str], teams: Teams) -> list[tuple[str, int, int]]:
        """(cycle, overall level, people) over a slice of the org, for several cycles."""
        shape, params = _slice_of(teams)
        rows = self.session.execute(_overall_counts(shape), {"cycles": list(cycles), **params})
        return [(cycle, level, n) for cycle, level, n in rows.all()]

    def track_levels(
        self, cycle: str, tracks: Iterable[str], teams: Teams
    ) -> dict[tuple[str | None, str], list[tuple[int, int, str]]]:
        """(team, track) → (level, person id, unmet criterion ids) of everyone in a slice of
        the org on the given tracks: what coverage is computed from."""
        ids = self._cycle_ids([cycle])
        keys = sorted(set(tracks))
        if not ids or not keys:
            return {}
        track = OfficialTrackRow
        query = select(
            track.team_id, track.track_key, track.level, track.person_id, track.missing
        ).where(
            track.cycle_id == ids[cycle],
            track.track_key.in_(keys),
            track.person_id.not_in(select(PersonRow.id).where(PersonRow.active.is_(False))),
        )  # people who left hold no target and close none
        query = self._in_teams(query, track.team_id, teams)
        grouped: dict[tuple[int | None, str], list[tuple[int, int, str]]] = {}
        for team, key, level, person, missing in self._driver_rows(query):
            grouped.setdefault((team, key), []).append((level, person, missing))
        names = self._team_names()
        return {
            (names.get(team) if team is not None else None, key): rows
            for (team, key), rows in grouped.items()
        }

    def people_named(self, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
        """Person id → (email, name)."""
        wanted = set(ids)
        if not wanted:
            return {}
        query = select(PersonRow.id, PersonRow.email, PersonRow.name)
        if len(wanted) <= 500:
            query = query.where(PersonRow.id.in_(sorted(wanted)))
        return {i: (email, name) for i, email, name in self._core(query).all() if i in wanted}

    def manager_ratings(self, cycle: str, teams: Teams) -> list[ManagerRatings]:
        """Per manager (as stored on finalize): their reports' levels and (manager − self)."""
        ids = self._cycle_ids([cycle])
        if not ids:
            return []
        result = OfficialResultRow
        manager = aliased(PersonRow)
        sums = (
            select(result.manager_id, *_RATING_SUMS)
            .where(result.cycle_id == ids[cycle], result.manager_id.is_not(None))
            .group_by(result.manager_id)
        )
        grouped = self._in_teams(sums, result.team_id, teams).subquery()
        query = (
            select(manager.email, manager.name, grouped)
            .join(grouped, grouped.c.manager_id == manager.id)
            .order_by(manager.name, manager.email)
        )
        return [_ratings(email, name, figures) for email, name, _, *figures in self._core(query)]

    def pooled_ratings(self, cycle: str) -> ManagerRatings:
        """Every manager's results in the cycle added up as one (the org, to calibrate
        against): one row, where adding up ``manager_ratings`` would read one a manager."""
        ids = self._cycle_ids([cycle])
        result = OfficialResultRow
        query = select(*_RATING_SUMS).where(
            result.cycle_id == ids.get(cycle), result.manager_id.is_not(None)
        )
        return _ratings("", "the org", self._core(query).one())

    def moves(self, before: str, after: str, teams: Teams) -> list[Move]:
        """People whose track or overall level differs between two cycles."""
        ids = self._cycle_ids([before, after])
        if len(ids) < 2:
            return []
        a, b = aliased(OfficialTrackRow), aliased(OfficialTrackRow)
        tracks = (
            select(a.person_id, a.track_key, a.level, b.level)
            .join(
                b,
                and_(
                    b.person_id == a.person_id,
                    b.track_key == a.track_key,
                    b.cycle_id == ids[after],
                ),
            )
            .where(a.cycle_id == ids[before], a.level != b.level)
        )
        ra, rb = aliased(OfficialResultRow), aliased(OfficialResultRow)
        overall = (
            select(ra.person_id, ra.overall, rb.overall)
            .join(rb, and_(rb.person_id == ra.person_id, rb.cycle_id == ids[after]))
            .where(ra.cycle_id == ids[before], ra.overall != rb.overall)
        )
        moved: list[tuple[int, str | None, int, int]] = [
            (person, None, x, y)
            for person, x, y in self._core(self._in_teams(overall, rb.team_id, teams))
        ]
        moved.extend(self._core(self._in_teams(tracks, b.team_id, teams)).all())
        people = self.people_named({person for person, *_ in moved})
        return [Move(*people[person], key, x, y) for person, key, x, y in moved]

    # helpers ---------------------------------------------------------------------------

    def _core(self, query: Any) -> Any:
        """Run a read as plain Core rows: no ORM loading step per row (tens of thousands)."""
        return self.session.connection().execute(query)

    def _driver_rows(self, query: Any) -> list[tuple[Any, ...]]:
        """The rows of a read straight from the database driver: for the one read that
        returns a row per person and track of a cycle (60,000 at 10,000 people), where
        SQLAlchemy's per-row result handling would cost a third of the report."""
        connection = self.session.connection()
        compiled = query.compile(
            dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
        )
        params = compiled.params
        if compiled.positiontup is not None:
            args: Any = tuple(params[name] for name in compiled.positiontup)
        else:
            args = params
        cursor = connection.connection.cursor()  # rows come back untyped: ints and text only
        try:
            cursor.execute(compiled.string, args)
            return list(cursor.fetchall())
        finally:
            cursor.close()

    def _in_teams(self, query: Select, column: Any, teams: Teams) -> Select:  # type: ignore[type-arg]
        if teams is None:
            return query
        named = column.in_(
            select(TeamRow.id).where(TeamRow.name.in_([t for t in teams if t is not None]))
        )
        return query.where(or_(named, column.is_(None)) if None in teams else named)

    def _team_names(self) -> dict[int, str]:
        """Team id → name, read once per unit of work."""
        if self._names is None:
            self._names = dict(self._core(select(TeamRow.id, TeamRow.name)).all())
        return self._names

    def _cycle_ids(self, cycles: Iterable[str]) -> dict[str, int]:
        """Cycle name → id of the cycles named that exist; every cycle's read once per unit
        of work (a report asks for the same few in each of its reads)."""
        if self._cycles is None:
            self._cycles = dict(self._core(select(CycleRow.name, CycleRow.id)).all())
        return {name: self._cycles[name] for name in cycles if name in self._cycles}

    def _team_framework(self, team: str, framework: str) -> tuple[int, int]:
        team_id = self.session.scalar(select(TeamRow.id).where(TeamRow.name == team))
        framework_id = self.session.scalar(
            select(FrameworkRow.id).where(FrameworkRow.name == framework)
        )
        assert team_id is not None and framework_id is not None
        return team_id, framework_id


# The reads every team page makes, built once per kind of slice (values bound): the whole
# org, some teams, or some teams and the people on no team.
_tracks, _results = OfficialTrackRow.__table__, OfficialResultRow.__table__
_teams, _cycles = TeamRow.__table__, CycleRow.__table__
_CYCLE_ID = select(_cycles.c.id).where(_cycles.c.name == bindparam("cycle")).scalar_subquery()
_TEAM_IDS = select(_teams.c.id).where(_teams.c.name.in_(bindparam("teams", expanding=True)))
Slice = Literal["org", "teams", "teams and no team"]


def _slice_of(teams: Teams) -> tuple[Slice, dict[str, list[str]]]:
    if teams is None:
        return "org", {}
    named = {"teams": [t for t in teams if t is not None]}
    return ("teams and no team" if None in teams else "teams"), named


def _in_slice(column: Any, shape: Slice) -> tuple[Any, ...]:
    """The condition that ``column`` (a team id) is in the slice (none for the org)."""
    if shape == "org":
        return ()
    if shape == "teams":
        return (column.in_(_TEAM_IDS),)
    return (or_(column.in_(_TEAM_IDS), column.is_(None)),)


@functools.cache
def _level_counts(shape: Slice, with_tracks: bool) -> Select[Any]:
    overall = (
        select(_results.c.team_id, null(), _results.c.overall, func.count().label("n"))
        .where(_results.c.cycle_id == _CYCLE_ID, *_in_slice(_results.c.team_id, shape))
        .group_by(_results.c.team_id, _results.c.overall)
    )
    tracks = (
        select(_tracks.c.team_id, _tracks.c.track_key, _tracks.c.level, func.count())
        .where(_tracks.c.cycle_id == _CYCLE_ID, *_in_slice(_tracks.c.team_id, shape))
        .group_by(_tracks.c.team_id, _tracks.c.track_key, _tracks.c.level)
    )
    counted = (union_all(tracks, overall) if with_tracks else overall).subquery()
    return select(_teams.c.name, *list(counted.c)[1:]).outerjoin(
        _teams, _teams.c.id == counted.c.team_id
    )


@functools.cache
def _overall_counts(shape: Slice) -> Select[Any]:
    return (
        select(_cycles.c.name, _results.c.overall, func.count())
        .join(_cycles, _cycles.c.id == _results.c.cycle_id)
        .where(
            _cycles.c.name.in_(bindparam("cycles", expanding=True)),
            *_in_slice(_results.c.team_id, shape),
        )
        .group_by(_cycles.c.name, _results.c.overall)
    )


_official = OfficialResultRow.__table__.c
_REPORT_MEAN = case((_official.delta_n > 0, _official.delta_sum * 1.0 / _official.delta_n))
# what a manager's finalized results add up to: reports, their levels, (manager − self) per
# rating and per report
_RATING_SUMS = (
    func.count(),
    func.sum(_official.overall),
    func.sum(_official.overall * _official.overall),
    func.sum(_official.delta_n),
    func.sum(_official.delta_sum),
    func.sum(_official.delta_squares),
    func.count(_REPORT_MEAN),
    func.sum(_REPORT_MEAN),
    func.sum(_REPORT_MEAN * _REPORT_MEAN),
)


def _ratings(email: str, name: str, sums: Sequence[Any]) -> ManagerRatings:
    """A manager's figures from the ``_RATING_SUMS`` of their reports' results."""
    reports, level_sum, level_squares, n, total, squares, means, mean_sum, mean_squares = sums
    return ManagerRatings(
        email,
        name,
        reports,
        Spread(reports, float(level_sum or 0), float(level_squares or 0)),
        int(n or 0),
        Spread(int(n or 0), float(total or 0), float(squares or 0)),
        Spread(int(means or 0), float(mean_sum or 0), float(mean_squares or 0)),
    )
