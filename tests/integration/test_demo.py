"""The demo organisation: three teams, 25 people, three cycles, accounts, evidence."""

from __future__ import annotations

import pytest

from skillgrid.domain.assessments import OPERATOR
from skillgrid.domain.errors import Conflict
from skillgrid.services import accounts, cycles, evidence, people, results
from skillgrid.services.demo import DEMO_PASSWORD, build_demo


def test_demo_builds_an_organisation_with_history_to_show(uow_factory, database_url) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("the same services on PostgreSQL are covered elsewhere; this one is slow")
    built = build_demo(uow_factory)
    everyone = people.list_people(uow_factory())
    assert len(everyone) == built.people == 25
    assert {p.team for p in everyone} >= {"SRE Platform", "Edge Networking", "Security Engineering"}
    assert [c.name for c in cycles.list_cycles(uow_factory())] == ["2025-H2", "2026-H1", "2026-H2"]
    engineer = built.accounts[-1][0]
    report = results.person_report(uow_factory(), OPERATOR, engineer)
    assert len(report.history) >= 2
    assert evidence.list_evidence(uow_factory(), OPERATOR, engineer)
    token, _ = accounts.sign_in(uow_factory(), engineer, DEMO_PASSWORD)
    assert token
    with pytest.raises(Conflict, match="empty one"):
        build_demo(uow_factory)
