"""The read-only unit of work (plain DB-API, no SQLAlchemy) gives exactly the reports, and
the errors, of the SQLAlchemy one — on SQLite, and on PostgreSQL when it is given — and
never writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from skillgrid.db.readonly.connection import NotServed, SchemaNotCurrent
from skillgrid.db.readonly.repositories import ReadOnlyError
from skillgrid.db.readonly.unit_of_work import ReadOnlyUnitOfWork, open_read_only
from skillgrid.db.revision import HEAD
from skillgrid.domain.assessments import OPERATOR, Entry
from skillgrid.domain.errors import SkillGridError
from skillgrid.domain.evidence import Evidence
from skillgrid.domain.leveling import Rating
from skillgrid.domain.people import Person
from skillgrid.domain.policies import Tolerance
from skillgrid.reports.person import report_data
from skillgrid.services import assessments, cycles, evidence, frameworks, people
from skillgrid.services.people import actor_for
from skillgrid.services.results import person_report
from skillgrid.services.unit_of_work import UnitOfWork
from tests.conftest import table_snapshot
from tests.unit.test_assessment_services import BO
from tests.unit.test_leveling import MAC, through

PEOPLE = (
    b"name,email,team,manager_email,role\n"
    b"Bo,bo@x.org,SRE,,manager\nAna,ana@x.org,SRE,bo@x.org,engineer\n"
    b"Cy,cy@x.org,SRE,bo@x.org,engineer\nAd,ad@x.org,,,admin\n"
    b"Di,di@x.org,Edge,bo@x.org,engineer\nEx,ex@x.org,Edge,bo@x.org,engineer\n"
)
ANA = "ana@x.org"


def _entries(ratings: dict[str, Rating], comments: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    comments = comments or {}
    return {
        cid: Entry(r, "no VPN here" if r is Rating.NOT_APPLICABLE else None, comments.get(cid))
        for cid, r in ratings.items()
    }


def _finalized(make: Callable[[], UnitOfWork], cycle: str, ratings: dict[str, Rating]) -> None:
    assessments.rate(make(), BO, ANA, cycle, "manager", _entries(ratings, {MAC: "soon"}))
    assessments.submit(make(), BO, ANA, cycle, "manager")
    assessments.finalize(make(), BO, ANA, cycle)


def build_organisation(make: Callable[[], UnitOfWork]) -> None:
    """Three cycles on two ladder versions (one moved, with ratings to re-review), self,
    manager and peer ratings (a peer's draft that must not show), n/a with reasons,
    comments, evidence with and without dates, a ladder policy, someone with no result, a
    departed colleague."""
    frameworks.install_builtin(make())
    people.import_people(make(), PEOPLE, "people.csv")
    people.update_person(make(), "ex@x.org", active=False)
    cycles.open_cycle(make(), "2025-H2", "sre")
    mine = {**through(2), "NET.2.3": Rating.NOT_APPLICABLE, "PO.1.1": Rating.EXCEEDS}
    assessments.rate(make(), OPERATOR, ANA, "2025-H2", "self", _entries(mine, {"PO.1.1": "!"}))
    assessments.submit(make(), OPERATOR, ANA, "2025-H2", "self")
    assessments.invite_peer(make(), BO, ANA, "2025-H2", "cy@x.org")
    peer = {**through(1), "NET.1.1": Rating.DEVELOPING, "SEC.1.1": Rating.NOT_APPLICABLE}
    assessments.rate(make(), OPERATOR, ANA, "2025-H2", "cy@x.org", _entries(peer))
    assessments.submit(make(), OPERATOR, ANA, "2025-H2", "cy@x.org")
    assessments.invite_peer(make(), BO, ANA, "2025-H2", "di@x.org")  # a draft: hidden
    assessments.rate(make(), OPERATOR, ANA, "2025-H2", "di@x.org", _entries(through(3)))
    _finalized(
        make, "2025-H2", {**through(2, except_ids=("SRE.2.6",)), "NET.2.3": Rating.NOT_APPLICABLE}
    )
    frameworks.set_policy(make(), "sre", Tolerance(1))
    cycles.open_cycle(make(), "2026-H1", "sre")
    _finalized(make, "2026-H1", through(3, except_ids=(MAC,)))
    cycles.open_cycle(make(), "2026-H2", "sre")
    assessments.rate(make(), BO, ANA, "2026-H2", "manager", _entries(through(4)))
    ladder = frameworks.get_framework(make(), "sre")
    first = ladder.criterion("PO.1.1").text
    from skillgrid.exporters import ExportFormat

    changed = frameworks.export(make(), "sre", ExportFormat.YAML).replace(
        first.encode(),
        b"Creates a design document from well-defined requirements and implements it.",
    )
    frameworks.import_framework(make(), changed, "sre-v2.yaml", "sre")
    cycles.move_cycle(make(), "2026-H2")  # PO.1.1 reworded: its rating needs review
    assessments.submit(make(), BO, ANA, "2026-H2", "manager")
    assessments.finalize(make(), BO, ANA, "2026-H2")
    assessments.rate(make(), OPERATOR, "di@x.org", "2026-H2", "self", _entries(through(1)))
    for title, url, when, criteria in (
        ("MAC rollout", "https://wiki/mac", dt.date(2026, 3, 1), [MAC, "NET.1.1"]),
        ("Undated talk", None, None, ["PO.1.1"]),
        ("DNS postmortem", "https://wiki/dns", dt.date(2026, 3, 1), ["NET.1.1"]),
        ("Old design", None, dt.date(2025, 9, 9), []),
    ):
        item = Evidence(ANA, title, url, when, "text" if url else None, "design")
        evidence.add_evidence(make(), OPERATOR, item, criteria, "sre")


@pytest.fixture
def organisation(uow_factory, database_url: str) -> Iterator[tuple[Any, ReadOnlyUnitOfWork]]:  # type: ignore[no-untyped-def]
    build_organisation(uow_factory)
    reader = open_read_only(database_url)
    yield uow_factory, reader
    reader.close()


def outcome(uow: UnitOfWork, acting: str | None, email: str, cycle: str | None, policy: str | None):  # type: ignore[no-untyped-def]
    """What the command would print: the report (data and objects), or the error."""
    try:
        report = person_report(uow, actor_for(uow, acting), email, cycle, policy)
    except SkillGridError as error:
        return type(error).__name__, str(error)
    return report_data(report), report


ACTORS = (None, "bo@x.org", ANA, "cy@x.org", "ad@x.org", "ex@x.org", "nobody@x.org")
EMAILS = (ANA, " Ana@X.org", "bo@x.org", "di@x.org", "ghost@x.org")
CYCLES = (None, "2025-H2", "2026-H1", "2026-H2", "1999-H1")
POLICIES = (None, "strict", "points", "tolerance:2", "bogus")


@pytest.mark.postgres
def test_every_report_and_error_is_the_same_on_both_paths(organisation) -> None:
    make, reader = organisation
    cases = [(a, e, None, None) for a in ACTORS for e in EMAILS]
    cases += [("bo@x.org", ANA, c, p) for c in CYCLES for p in POLICIES]
    seen = set()
    for case in cases:
        lean, full = outcome(reader, *case), outcome(make(), *case)
        assert lean == full, case
        seen.add(lean[0] if isinstance(lean[0], str) else "report")
    assert seen == {"report", "NotFound", "PolicyError"}  # every outcome was exercised


@pytest.mark.postgres
def test_the_report_holds_what_the_organisation_built(organisation) -> None:
    _, reader = organisation
    data, report = outcome(reader, None, ANA, None, None)
    assert [h["cycle"] for h in data["history"]] == ["2025-H2", "2026-H1", "2026-H2"]
    assert data["framework"]["version"] == 2 and data["policy"] == "tolerance:1"
    flagged = [uid for uid, e in report.current.official.entries.items() if e.needs_review]
    assert len(flagged) == 1
    first = outcome(reader, None, ANA, "2025-H2", None)[0]
    net = next(c for c in first["criteria"] if c["id"] == "NET.2.3")
    assert net["official"] == {"rating": "n/a", "reason": "no VPN here", "comment": None}
    assert set(next(c for c in first["criteria"] if c["id"] == "PO.1.1")["others"]) == {
        "self",
        "cy@x.org",
    }
    mac = next(c for c in data["criteria"] if c["id"] == MAC)
    assert [e["title"] for e in mac["evidence"]] == ["MAC rollout"]
    titles = [e.title for e in reader.evidence.for_person(ANA)]
    assert titles == ["DNS postmortem", "MAC rollout", "Old design", "Undated talk"]


@pytest.mark.postgres
def test_the_reader_writes_nothing(organisation, database_url: str) -> None:
    _, reader = organisation
    before = table_snapshot(database_url)
    with pytest.raises(ReadOnlyError):
        reader.commit()
    with pytest.raises(ReadOnlyError):
        reader.people.save([Person("new@x.org", "New")])
    with pytest.raises(ReadOnlyError):
        reader.accounts.get(ANA)
    with reader, pytest.raises(Exception, match=r"(?i)read.?only"):
        reader.connection.rows("DELETE FROM evidence_links")
    assert table_snapshot(database_url) == before


@pytest.mark.postgres
def test_a_database_behind_the_newest_schema_is_left_to_the_migrating_path(
    uow_factory, database_url: str
) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    from skillgrid.db.migrate import _config, known_revisions

    uow_factory()  # migrated
    previous = known_revisions()[-2]
    engine = create_engine(database_url)
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, previous)
    engine.dispose()
    with pytest.raises(
        SchemaNotCurrent, match=rf"revision {previous}.*`skillgrid init`"
    ) as refused:
        open_read_only(database_url)
    assert refused.value.revision == previous != HEAD


def test_a_database_not_created_yet_is_left_alone(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotServed):
        open_read_only(f"sqlite:///{tmp_path / 'none.db'}")
    assert list(tmp_path.iterdir()) == []  # not even an empty file
    (tmp_path / "empty.db").write_bytes(b"")
    with pytest.raises(SchemaNotCurrent, match="not set up yet"):
        open_read_only(f"sqlite:///{tmp_path / 'empty.db'}")
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    with pytest.raises(NotServed):
        open_read_only(f"sqlite:///{tmp_path / 'junk.db'}")
