"""The SQLAlchemy unit of work: a session per use case, rolled back unless committed."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from skillgrid.db.account_repository import SqlAccountRepository
from skillgrid.db.assessment_repository import SqlAssessmentRepository
from skillgrid.db.audit_repository import SqlAuditRepository
from skillgrid.db.engine import READS, WRITES
from skillgrid.db.evidence_repository import SqlEvidenceRepository
from skillgrid.db.insight_repository import SqlInsightRepository
from skillgrid.db.invitation_repository import SqlInvitationRepository
from skillgrid.db.notification_repository import SqlNotificationRepository
from skillgrid.db.people_repository import SqlPeopleRepository
from skillgrid.db.repositories import SqlFrameworkRepository
from skillgrid.db.scim_repository import SqlScimRepository
from skillgrid.db.sign_in_repository import SqlSignInRepository
from skillgrid.db.summary_repository import SqlSummaryRepository
from skillgrid.domain.errors import Conflict

AUTOCOMMIT_READS: dict[str, object] = {"isolation_level": "AUTOCOMMIT"}
ONE_MOMENT: dict[str, object] = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
CONCURRENT_CHANGE = (
    "someone else changed the same data at the same moment; nothing was stored — run the "
    "command again"
)


class SqlAlchemyUnitOfWork:
    """A session per use case, rolled back unless committed.

    Re-entrant: a ``with`` inside an open one joins it, so the web layer can check who is
    calling and run the use case on one connection. Only a use case that said it writes
    (``with uow.write():``) may commit; one that writes inside a unit of work that has only
    read ends it and begins a transaction of its own (see :meth:`write`).

    Reads run outside a transaction, each statement seeing the data as it is when it runs:
    autocommit on PostgreSQL, no BEGIN on SQLite. READ COMMITTED, PostgreSQL's level, gives
    each statement its own snapshot inside a transaction too, so such reads see what they
    would have seen, and save a BEGIN and a ROLLBACK a request (a round trip each on
    PostgreSQL, and on SQLite a third of what a unit of work costs beside its queries).
    A use case that must see one moment across its statements says so
    (``with uow.snapshot():``)."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory
        self._next = "reads"  # what the next ``with`` does: reads, writes or snapshot
        self._depth = 0
        self._writing = False  # the open transaction holds the write lock

    def write(self) -> Self:
        """For ``with uow.write():`` — a use case that will write. On SQLite its transaction
        takes the write lock when it begins, so writers wait for each other in turn (up to
        the busy timeout) instead of failing when another committed since they read."""
        self._next = "writes"
        return self

    def snapshot(self) -> Self:
        """For ``with uow.snapshot():`` — a use case that only reads, and must see one
        moment of the data across its statements (a check that compares two tables while
        others write): one transaction, REPEATABLE READ on PostgreSQL."""
        self._next = "snapshot"
        return self

    def __enter__(self) -> Self:
        mode, self._next = self._next, "reads"
        if self._depth == 0:
            self._open(mode)
        elif mode == "writes" and not self._writing:
            self.session.rollback()  # it only read: nothing is lost
            self._begin_writing()
        self._depth += 1
        return self

    def _open(self, mode: str) -> None:
        self.session = self.session_factory()
        self._writing = False
        if mode == "writes":
            self._begin_writing()
        else:
            sqlite = self.session.get_bind().dialect.name == "sqlite"
            if mode == "snapshot":  # one moment for every statement: SQLite's BEGIN gives one
                options = {} if sqlite else ONE_MOMENT
            else:  # statement by statement, outside a transaction: no BEGIN, no ROLLBACK
                options = {READS: True} if sqlite else AUTOCOMMIT_READS
            self.session.connection(execution_options=options)
        self.frameworks = SqlFrameworkRepository(self.session)
        self.people = SqlPeopleRepository(self.session)
        self.assessments = SqlAssessmentRepository(self.session)
        self.evidence = SqlEvidenceRepository(self.session)
        self.accounts = SqlAccountRepository(self.session)
        self.sign_ins = SqlSignInRepository(self.session)
        self.invitations = SqlInvitationRepository(self.session)
        self.insight = SqlInsightRepository(self.session)
        self.summaries = SqlSummaryRepository(self.session)
        self.audit = SqlAuditRepository(self.session)
        self.scim = SqlScimRepository(self.session)
        self.notifications = SqlNotificationRepository(self.session)

    def _begin_writing(self) -> None:
        """A transaction that will write. On SQLite it takes the write lock as it begins: a
        transaction that read cannot take it later (it is refused at once when another
        writer committed since). PostgreSQL locks rows as it writes."""
        self.session.connection(execution_options={WRITES: True})
        self._writing = True

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._depth -= 1
        if self._depth == 0:
            self.session.close()  # rolls back what was not committed
            self._writing = False
        elif exc is not None:  # the outer block goes on only to end: leave it nothing half-done
            self.session.rollback()
            self._writing = False
        if _concurrent(exc):
            raise Conflict(CONCURRENT_CHANGE) from exc

    def commit(self) -> None:
        if not self._writing:  # a bug: its statements may have been committed one by one
            raise RuntimeError("a use case commits only inside `with uow.write():`")
        try:
            self.session.commit()
        except (IntegrityError, OperationalError) as error:
            self.session.rollback()
            if _concurrent(error):
                raise Conflict(CONCURRENT_CHANGE) from error
            raise
        finally:
            self._writing = False  # the next statement begins a new transaction


# SQLSTATEs another writer explains: a key it took, a row it removed (PostgreSQL), and a
# transaction the database ended so that another could go on
_CONCURRENT_STATES = {"23505", "23503", "40001", "40P01"}
_CONCURRENT_SQLITE = ("UNIQUE constraint failed", "FOREIGN KEY constraint failed")


def _concurrent(error: BaseException | None) -> bool:
    """A key taken or a row removed by another writer, a transaction ended for another's
    sake, or SQLite refusing a write because another connection wrote since this
    transaction read (or held the lock past the busy timeout). Other broken rules of the
    schema (NOT NULL, CHECK) are bugs, not conflicts."""
    if not isinstance(error, IntegrityError | OperationalError):
        return False
    if getattr(error.orig, "sqlstate", None) in _CONCURRENT_STATES:
        return True
    message = str(error.orig)
    if isinstance(error, IntegrityError):
        return message.startswith(_CONCURRENT_SQLITE)
    return "database is locked" in message
