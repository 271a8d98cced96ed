"""Evidence items and their links to criterion identities."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from skillgrid.db.tables import EvidenceLinkRow, EvidenceRow, PersonRow
from skillgrid.domain.evidence import Evidence


class SqlEvidenceRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def for_person(self, email: str) -> list[Evidence]:
        """A person's evidence, newest first (by date, then by entry)."""
        rows = list(
            self.session.scalars(
                select(EvidenceRow)
                .join(PersonRow, PersonRow.id == EvidenceRow.person_id)
                .where(PersonRow.email == email)
                .order_by(EvidenceRow.date.desc().nulls_last(), EvidenceRow.id.desc())
            )
        )
        links: dict[int, set[str]] = {row.id: set() for row in rows}
        if rows:
            for link in self.session.scalars(
                select(EvidenceLinkRow).where(EvidenceLinkRow.evidence_id.in_(list(links)))
            ):
                links[link.evidence_id].add(link.criterion_uid)
        return [
            Evidence(
                email,
                row.title,
                row.url,
                row.date,
                row.text,
                row.source,
                frozenset(links[row.id]),
                row.id,
            )
            for row in rows
        ]

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
