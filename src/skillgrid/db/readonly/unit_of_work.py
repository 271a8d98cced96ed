"""The read-only unit of work: one DB-API connection, one read transaction per ``with``."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Self

from skillgrid.db.readonly.connection import connect
from skillgrid.db.readonly.repositories import (
    ReadAssessments,
    ReadEvidence,
    ReadFrameworks,
    ReadPeople,
    refuse,
)

if TYPE_CHECKING:
    from skillgrid.db.readonly.connection import Connection
    from skillgrid.services.unit_of_work import (
        AccountRepository,
        AuditRepository,
        InsightRepository,
        SignInRepository,
        SummaryRepository,
    )


class ReadOnlyUnitOfWork:
    """A ``UnitOfWork`` that reads (what a person's report needs) and never writes: each
    ``with`` block is one transaction, always rolled back; ``commit`` raises."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.frameworks = ReadFrameworks(connection)
        self.people = ReadPeople(connection)
        self.assessments = ReadAssessments(connection)
        self.evidence = ReadEvidence(connection)
        self._depth = 0

    @property
    def accounts(self) -> AccountRepository:
        refuse("accounts")

    @property
    def summaries(self) -> SummaryRepository:
        refuse("summaries")

    @property
    def insight(self) -> InsightRepository:
        refuse("insight")

    @property
    def sign_ins(self) -> SignInRepository:
        refuse("sign_ins")

    @property
    def audit(self) -> AuditRepository:
        refuse("audit")

    def __enter__(self) -> Self:
        if self._depth == 0:
            self.connection.begin()
        self._depth += 1
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._depth -= 1
        if self._depth == 0:
            self.connection.rollback()

    def commit(self) -> None:
        refuse("commit")

    def close(self) -> None:
        self.connection.close()


def open_read_only(url: str, *, busy_timeout_ms: int = 5000) -> ReadOnlyUnitOfWork:
    """A read-only unit of work on the database at ``url`` (SQLAlchemy's URL form), which
    must be at the schema revision this SkillGrid reads. Raises ``NotServed`` (among them
    ``SchemaNotCurrent``) or ``DatabaseUnavailable``."""
    return ReadOnlyUnitOfWork(connect(url, busy_timeout_ms=busy_timeout_ms))
