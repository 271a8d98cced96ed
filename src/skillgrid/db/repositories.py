"""Rows ↔ domain objects. Repositories add and read; only the unit of work commits."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping
from dataclasses import replace
from typing import NamedTuple

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from skillgrid.db.tables import (
    CriterionIdentityRow,
    CriterionRow,
    CycleRow,
    FrameworkRow,
    FrameworkVersionRow,
    LevelRow,
    TrackRow,
)
from skillgrid.domain.assessments import Cycle, DueDates
from skillgrid.domain.framework import Criterion, Framework, Level, Track, VersionInfo
from skillgrid.domain.policies import Policy, Strict, policy_from_settings, policy_settings

_VERSIONS: dict[tuple[object, ...], Framework] = {}


class VersionRow(NamedTuple):
    """What identifies a stored ladder version (and its title)."""

    id: int
    version: int
    title: str | None
    content_hash: str
    created_at: dt.datetime


# Every page on a cycle finds its ladder version and policy: statements built once.
_ladders, _versions = FrameworkRow.__table__, FrameworkVersionRow.__table__
_VERSION = (
    select(
        _versions.c.id,
        _versions.c.version,
        _versions.c.title,
        _versions.c.content_hash,
        _versions.c.created_at,
    )
    .join(_ladders, _ladders.c.id == _versions.c.framework_id)
    .where(_ladders.c.name == bindparam("name"))
)
_LATEST = _VERSION.order_by(_versions.c.version.desc()).limit(1)
_NUMBERED = _VERSION.where(_versions.c.version == bindparam("version"))
_cycles = CycleRow.__table__
_CYCLE_LADDERS = (
    select(
        _cycles.c.name,
        _cycles.c.open,
        _cycles.c.self_due,
        _cycles.c.manager_due,
        _cycles.c.calibration_due,
        _cycles.c.close_due,
        _ladders.c.name,
        _ladders.c.policy,
        _ladders.c.policy_tables,
        _versions.c.id,
        _versions.c.version,
        _versions.c.title,
        _versions.c.content_hash,
        _versions.c.created_at,
    )
    .join(_versions, _versions.c.id == _cycles.c.version_id)
    .join(_ladders, _ladders.c.id == _versions.c.framework_id)
    .order_by(_cycles.c.created_at, _cycles.c.id)
)
_POLICY = select(_ladders.c.policy, _ladders.c.policy_tables).where(
    _ladders.c.name == bindparam("name")
)


class SqlFrameworkRepository:
    """Ladders and their versions in the database."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def latest(self, name: str) -> Framework | None:
        """The newest version of ``name``, or ``None`` if no ladder has that name."""
        row = self._version_row(name, None)
        return self._load(name, row) if row else None

    def of_cycles(self) -> list[tuple[Cycle, Framework, Policy]]:
        """Every cycle, oldest first, with the ladder version it is on and the ladder's
        policy, in one statement (versions already read come from memory)."""
        found = []
        for row in self.session.execute(_CYCLE_LADDERS).all():
            name, is_open, due_self, due_manager, due_calibration, due_close, *rest = row
            ladder, policy, tables, *stored = rest
            version = self._load(ladder, VersionRow(*stored))
            due = (due_self, due_manager, due_calibration, due_close)
            cycle = Cycle(name, ladder, version.version or 0, bool(is_open), DueDates(*due))
            found.append((cycle, version, policy_from_settings(policy, tables)))
        return found

    def get(self, name: str, version: int | None = None) -> Framework | None:
        row = self._version_row(name, version)
        return self._load(name, row) if row else None

    def versions(self, name: str) -> list[VersionInfo]:
        """Every version of ``name``, oldest first."""
        return self._infos(FrameworkRow.name == name)

    def latest_versions(self) -> list[VersionInfo]:
        """The newest version of every ladder, by name."""
        newest = (
            select(func.max(FrameworkVersionRow.id))
            .group_by(FrameworkVersionRow.framework_id)
            .scalar_subquery()
        )
        return self._infos(FrameworkVersionRow.id.in_(newest))

    def policy(self, name: str) -> Policy:
        """The leveling policy of a ladder (strict unless set)."""
        row = self.session.execute(_POLICY, {"name": name}).first()
        return policy_from_settings(*row) if row else Strict()

    def set_policy(self, name: str, policy: Policy) -> None:
        stored, tables = policy_settings(policy)
        self.session.execute(
            update(FrameworkRow)
            .where(FrameworkRow.name == name)
            .values(policy=stored, policy_tables=tables)
        )

    def add(
        self,
        framework: Framework,
        changes: Mapping[int, str],
        source: str | None,
        source_format: str | None,
    ) -> Framework:
        """Store ``framework`` as the next version of its name; criteria without a uid get a
        new identity. ``changes`` maps a criterion's index to its change from the previous
        version. Returns the stored framework with version and uids."""
        framework_row = self.session.scalar(
            select(FrameworkRow).where(FrameworkRow.name == framework.name)
        )
        if framework_row is None:
            framework_row = FrameworkRow(name=framework.name)
            self.session.add(framework_row)
            self.session.flush()
        previous = self.session.scalar(
            select(func.max(FrameworkVersionRow.version)).where(
                FrameworkVersionRow.framework_id == framework_row.id
            )
        )
        version_row = FrameworkVersionRow(
            framework_id=framework_row.id,
            version=(previous or 0) + 1,
            title=framework.title,
            content_hash=framework.content_hash(),
            source=source,
            source_format=source_format,
        )
        self.session.add(version_row)
        self.session.flush()
        criteria = tuple(
            c if c.uid else replace(c, uid=str(uuid.uuid4())) for c in framework.criteria
        )
        new_uids: list[dict[str, object]] = [
            {"uid": c.uid, "framework_id": framework_row.id}
            for old, c in zip(framework.criteria, criteria, strict=True)
            if not old.uid
        ]
        self._insert(version_row.id, framework, criteria, changes, new_uids)
        return Framework(
            framework.name,
            framework.title,
            framework.levels,
            framework.tracks,
            criteria,
            version_row.version,
        )

    def _insert(
        self,
        version_id: int,
        framework: Framework,
        criteria: tuple[Criterion, ...],
        changes: Mapping[int, str],
        new_uids: list[dict[str, object]],
    ) -> None:
        execute = self.session.execute
        execute(
            insert(LevelRow),
            [
                {"version_id": version_id, "number": lv.number, "title": lv.title}
                for lv in framework.levels
            ],
        )
        execute(
            insert(TrackRow),
            [
                {
                    "version_id": version_id,
                    "key": t.key,
                    "position": i,
                    "name": t.name,
                    "description": t.description,
                }
                for i, t in enumerate(framework.tracks, start=1)
            ],
        )
        if new_uids:
            execute(insert(CriterionIdentityRow), new_uids)
        if criteria:
            execute(
                insert(CriterionRow),
                [
                    {
                        "version_id": version_id,
                        "uid": c.uid,
                        "track_key": c.track,
                        "level": c.level,
                        "position": c.position,
                        "text": c.text,
                        "change": changes.get(i, "added"),
                        "examples": json.dumps(list(c.examples)) if c.examples else None,
                    }
                    for i, c in enumerate(criteria)
                ],
            )

    def _version_row(self, name: str, version: int | None) -> VersionRow | None:
        if version is None:
            row = self.session.execute(_LATEST, {"name": name}).first()
        else:
            row = self.session.execute(_NUMBERED, {"name": name, "version": version}).first()
        return VersionRow(*row) if row is not None else None

    def _load(self, name: str, row: VersionRow) -> Framework:
        """A stored version; versions never change, so each process keeps the last few it
        read (keyed by database, row and content, so a rebuilt database is never confused)."""
        url = str(self.session.get_bind().engine.url)
        key = (url, name, row.id, row.created_at, row.content_hash)
        cached = _VERSIONS.get(key)
        if cached is None:
            cached = self._read(name, row)
            if len(_VERSIONS) >= 32:
                _VERSIONS.pop(next(iter(_VERSIONS)))
            _VERSIONS[key] = cached
        return cached

    def _read(self, name: str, row: VersionRow) -> Framework:
        levels = self.session.scalars(
            select(LevelRow).where(LevelRow.version_id == row.id).order_by(LevelRow.number)
        )
        tracks = list(
            self.session.scalars(
                select(TrackRow).where(TrackRow.version_id == row.id).order_by(TrackRow.position)
            )
        )
        order = {track.key: track.position for track in tracks}
        criteria = self.session.execute(
            select(
                CriterionRow.track_key,
                CriterionRow.level,
                CriterionRow.position,
                CriterionRow.text,
                CriterionRow.uid,
                CriterionRow.examples,
            ).where(CriterionRow.version_id == row.id)
        ).all()
        return Framework(
            name,
            row.title,
            tuple(Level(lv.number, lv.title) for lv in levels),
            tuple(Track(t.key, t.name, t.description) for t in tracks),
            tuple(
                Criterion(*values[:5], tuple(json.loads(values[5])) if values[5] else ())
                for values in sorted(criteria, key=lambda c: (order[c[0]], c[1], c[2]))
            ),
            row.version,
        )

    def _infos(self, condition: object) -> list[VersionInfo]:
        counts = {
            name: select(func.count()).where(column == FrameworkVersionRow.id).scalar_subquery()
            for name, column in (
                ("levels", LevelRow.version_id),
                ("tracks", TrackRow.version_id),
                ("criteria", CriterionRow.version_id),
            )
        }
        query = (
            select(FrameworkRow.name, FrameworkVersionRow, *counts.values())
            .join(FrameworkRow, FrameworkRow.id == FrameworkVersionRow.framework_id)
            .where(condition)  # type: ignore[arg-type]
            .order_by(FrameworkRow.name, FrameworkVersionRow.version)
        )
        return [
            VersionInfo(
                name, v.version, v.title, n_levels, n_tracks, n_criteria, v.source, v.created_at
            )
            for name, v, n_levels, n_tracks, n_criteria in self.session.execute(query)
        ]
