"""Rows → domain objects in plain SQL: the reads a person's report needs, written to return
exactly what the SQLAlchemy repositories return (same queries, same order, same types).
Writes, and reads no read-only command makes, raise ``ReadOnlyError``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from skillgrid.domain.assessments import Assessment, Cycle, Entry, State
from skillgrid.domain.evidence import Evidence
from skillgrid.domain.framework import Criterion, Framework, Level, Track, VersionInfo
from skillgrid.domain.leveling import Rating
from skillgrid.domain.people import Person, Role, Team
from skillgrid.domain.policies import Policy, Strict, policy_from_settings

if TYPE_CHECKING:
    from skillgrid.db.readonly.connection import Connection

_RATINGS = {rating.value: rating for rating in Rating}
_CHUNK = 5000  # bound the IN lists, as the SQLAlchemy repositories do


class ReadOnlyError(RuntimeError):
    """A write (or a read it does not implement) asked of the read-only unit of work: the
    command should use the SQLAlchemy one."""


def refuse(what: str) -> NoReturn:
    raise ReadOnlyError(f"{what} is not available on the read-only path; use SqlAlchemyUnitOfWork")


def _marks(count: int) -> str:
    return ", ".join("?" * count)


def _date(value: Any) -> dt.date | None:
    """SQLite keeps dates as ISO text; PostgreSQL hands back ``date`` objects."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


class ReadFrameworks:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._read: dict[int, Framework] = {}  # versions never change

    def latest(self, name: str) -> Framework | None:
        return self.get(name, None)

    def get(self, name: str, version: int | None = None) -> Framework | None:
        sql = (
            "SELECT v.id, v.version, v.title FROM framework_versions v "
            "JOIN frameworks f ON f.id = v.framework_id WHERE f.name = ?"
        )
        if version is None:
            found = self.connection.rows(sql + " ORDER BY v.version DESC LIMIT 1", (name,))
        else:
            found = self.connection.rows(sql + " AND v.version = ?", (name, version))
        if not found:
            return None
        version_id, number, title = found[0]
        if version_id not in self._read:
            self._read[version_id] = self._framework(name, version_id, number, title)
        return self._read[version_id]

    def _framework(self, name: str, version_id: int, number: int, title: str | None) -> Framework:
        rows = self.connection.rows
        levels = rows(
            "SELECT number, title FROM levels WHERE version_id = ? ORDER BY number", (version_id,)
        )
        tracks = rows(
            'SELECT "key", name, description, position FROM tracks WHERE version_id = ? '
            "ORDER BY position",
            (version_id,),
        )
        order = {key: position for key, _, _, position in tracks}
        criteria = rows(
            "SELECT track_key, level, position, text, uid FROM criteria WHERE version_id = ?",
            (version_id,),
        )
        return Framework(
            name,
            title,
            tuple(Level(number, title) for number, title in levels),
            tuple(Track(key, track, description) for key, track, description, _ in tracks),
            tuple(
                Criterion(*values)
                for values in sorted(criteria, key=lambda c: (order[c[0]], c[1], c[2]))
            ),
            number,
        )

    def policy(self, name: str) -> Policy:
        found = self.connection.rows(
            "SELECT policy, policy_tables FROM frameworks WHERE name = ?", (name,)
        )
        return policy_from_settings(*found[0]) if found else Strict()

    def versions(self, name: str) -> list[VersionInfo]:
        refuse("frameworks.versions")

    def latest_versions(self) -> list[VersionInfo]:
        refuse("frameworks.latest_versions")

    def set_policy(self, name: str, policy: Policy) -> None:
        refuse("frameworks.set_policy")

    def add(
        self,
        framework: Framework,
        changes: dict[int, str],
        source: str | None,
        source_format: str | None,
    ) -> Framework:
        refuse("frameworks.add")


class ReadPeople:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get(self, email: str) -> Person | None:
        found = self.connection.rows(
            "SELECT p.email, p.name, t.name, m.email, p.role, p.active FROM people p "
            "LEFT OUTER JOIN teams t ON t.id = p.team_id "
            "LEFT OUTER JOIN people m ON m.id = p.manager_id WHERE p.email = ?",
            (email,),
        )
        if not found:
            return None
        email, name, team, manager, role, active = found[0]
        return Person(email, name, team, manager, Role(role), bool(active))

    def chain_above(self, email: str) -> list[str]:
        """The person's manager, their manager, and so on up (nearest first)."""
        rows = self.connection.rows
        chain: list[str] = []
        found = rows("SELECT manager_id FROM people WHERE email = ?", (email,))
        current = found[0][0] if found else None
        while current is not None and len(chain) < 1000:
            above, current = rows("SELECT email, manager_id FROM people WHERE id = ?", (current,))[
                0
            ]
            chain.append(above)
        return chain

    def teams(self) -> list[Team]:
        refuse("people.teams")

    def add_team(self, team: Team) -> None:
        refuse("people.add_team")

    def people(self) -> list[Person]:
        refuse("people.people")

    def directory(self) -> list[tuple[str, str | None, str | None]]:
        refuse("people.directory")

    def save(self, people: list[Person]) -> None:
        refuse("people.save")


class ReadAssessments:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def cycles(self) -> list[Cycle]:
        return [
            Cycle(name, framework, version, bool(is_open))
            for name, framework, version, is_open in self.connection.rows(
                "SELECT c.name, f.name, v.version, c.open FROM cycles c "
                "JOIN framework_versions v ON v.id = c.version_id "
                "JOIN frameworks f ON f.id = v.framework_id ORDER BY c.created_at, c.id"
            )
        ]

    def get(self, person: str, cycle: str, rater: str) -> Assessment | None:
        found = self.for_person(person, cycle, rater)
        return found[0] if found else None

    def for_person(
        self, person: str, cycle: str | None = None, rater: str | None = None
    ) -> list[Assessment]:
        """A person's assessments (in one cycle, by one rater), oldest cycle first."""
        sql = (
            "SELECT a.id, c.name, a.rater, a.state, a.revision FROM assessments a "
            "JOIN cycles c ON c.id = a.cycle_id JOIN people p ON p.id = a.person_id "
            "WHERE p.email = ?"
        )
        params: list[object] = [person]
        if cycle is not None:
            sql += " AND c.name = ?"
            params.append(cycle)
        if rater is not None:
            sql += " AND a.rater = ?"
            params.append(rater)
        found = self.connection.rows(sql + " ORDER BY c.created_at, c.id, a.rater", params)
        entries = self._entries([row[0] for row in found])
        return [
            Assessment(person, name, by, State(state), entries[key], revision)
            for key, name, by, state, revision in found
        ]

    def _entries(self, ids: list[int]) -> dict[int, dict[str, Entry]]:
        entries: dict[int, dict[str, Entry]] = {i: {} for i in ids}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            for key, uid, rating, reason, comment, needs_review in self.connection.rows(
                "SELECT assessment_id, criterion_uid, rating, reason, comment, needs_review "
                f"FROM ratings WHERE assessment_id IN ({_marks(len(chunk))})",
                chunk,
            ):
                entries[key][uid] = Entry(_RATINGS[rating], reason, comment, bool(needs_review))
        return entries

    def add_cycle(self, cycle: Cycle) -> None:
        refuse("assessments.add_cycle")

    def set_open(self, name: str, is_open: bool) -> None:
        refuse("assessments.set_open")

    def move_cycle(self, name: str, version: int) -> None:
        refuse("assessments.move_cycle")

    def in_cycle(self, cycle: str, people: Sequence[str] | None = None) -> list[Assessment]:
        refuse("assessments.in_cycle")

    def finalized_people(self, cycle: str) -> list[str]:
        refuse("assessments.finalized_people")

    def states(self, cycle: str) -> dict[str, dict[str, str]]:
        refuse("assessments.states")

    def save(self, assessment: Assessment) -> Assessment:
        refuse("assessments.save")

    def add_many(self, assessments: Sequence[Assessment]) -> None:
        refuse("assessments.add_many")


class ReadEvidence:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def for_person(self, email: str) -> list[Evidence]:
        """A person's evidence, newest first (by date, then by entry)."""
        rows = self.connection.rows(
            "SELECT e.id, e.title, e.url, e.date, e.text, e.source FROM evidence e "
            "JOIN people p ON p.id = e.person_id WHERE p.email = ? "
            "ORDER BY e.date DESC NULLS LAST, e.id DESC",
            (email,),
        )
        links: dict[int, set[str]] = {row[0]: set() for row in rows}
        if rows:
            for key, uid in self.connection.rows(
                "SELECT evidence_id, criterion_uid FROM evidence_links "
                f"WHERE evidence_id IN ({_marks(len(links))})",
                list(links),
            ):
                links[key].add(uid)
        return [
            Evidence(email, title, url, _date(when), text, source, frozenset(links[key]), key)
            for key, title, url, when, text, source in rows
        ]

    def add(self, evidence: Evidence) -> Evidence:
        refuse("evidence.add")

    def set_links(self, evidence_id: int, criteria: frozenset[str]) -> None:
        refuse("evidence.set_links")
