"""Evidence items and their links to criterion identities."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from sqlalchemy import bindparam, delete, func, insert, select
from sqlalchemy.orm import Session

from skillgrid.db.tables import EvidenceLinkRow, EvidenceRow, PersonRow
from skillgrid.domain.evidence import Evidence

_evidence, _links = EvidenceRow.__table__, EvidenceLinkRow.__table__
_OF_PERSON = (  # a person's evidence, a row per criterion it is linked to (or one of nulls)
    select(
        _evidence.c.id,
        _evidence.c.title,
        _evidence.c.url,
        _evidence.c.date,
        _evidence.c.text,
        _evidence.c.source,
        _links.c.criterion_uid,
    )
    .join(PersonRow, PersonRow.id == _evidence.c.person_id)
    .outerjoin(_links, _links.c.evidence_id == _evidence.c.id)
    .where(PersonRow.email == bindparam("email"))
    .order_by(_evidence.c.date.desc().nulls_last(), _evidence.c.id.desc())
)


class SqlEvidenceRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def for_person(self, email: str) -> list[Evidence]:
        """A person's evidence, newest first (by date, then by entry), in one statement."""
        found: dict[int, tuple[Evidence, set[str]]] = {}
        rows = self.session.execute(_OF_PERSON, {"email": email}).all()
        for id_, title, url, date, text, source, uid in rows:
            item = found.get(id_)
            if item is None:
                item = found[id_] = (Evidence(email, title, url, date, text, source, id=id_), set())
            if uid is not None:
                item[1].add(uid)
        return [replace(item, criteria=frozenset(uids)) for item, uids in found.values()]

    def add(self, evidence: Evidence) -> Evidence:
        person_id = self.session.scalar(
            select(PersonRow.id).where(PersonRow.email == evidence.owner)
        )
        row = EvidenceRow(
            person_id=person_id,
            title=evidence.title,
            url=evidence.url,
            date=evidence.date,
            text=evidence.text,
            source=evidence.source,
        )
        self.session.add(row)
        self.session.flush()
        self._link(row.id, evidence.criteria)
        return Evidence(
            evidence.owner,
            evidence.title,
            evidence.url,
            evidence.date,
            evidence.text,
            evidence.source,
            evidence.criteria,
            row.id,
        )

    def statements_for(self, uids: Collection[str], each: int) -> dict[str, list[str]]:
        """Per criterion identity, the words of at most ``each`` evidence items linked to it
        (newest first), anyone's: what the organisation taught the suggestions."""
        newest = (
            func.row_number()
            .over(partition_by=EvidenceLinkRow.criterion_uid, order_by=EvidenceRow.id.desc())
            .label("n")
        )
        linked = (
            select(
                EvidenceLinkRow.criterion_uid,
                func.coalesce(EvidenceRow.text, EvidenceRow.title).label("words"),
                newest,
            )
            .join(EvidenceRow, EvidenceRow.id == EvidenceLinkRow.evidence_id)
            .where(EvidenceLinkRow.criterion_uid.in_(list(uids)))
            .subquery()
        )
        found: dict[str, list[str]] = {}
        query = select(linked.c.criterion_uid, linked.c.words).where(linked.c.n <= each)
        for uid, words in self.session.execute(query.order_by(linked.c.criterion_uid, linked.c.n)):
            found.setdefault(uid, []).append(words)
        return found

    def set_links(self, evidence_id: int, criteria: frozenset[str]) -> None:
        self.session.execute(
            delete(EvidenceLinkRow).where(EvidenceLinkRow.evidence_id == evidence_id)
        )
        self._link(evidence_id, criteria)

    def _link(self, evidence_id: int, criteria: frozenset[str]) -> None:
        if criteria:
            self.session.execute(
                insert(EvidenceLinkRow),
                [{"evidence_id": evidence_id, "criterion_uid": uid} for uid in sorted(criteria)],
            )
