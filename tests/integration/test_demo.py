"""The demo organisation: three teams, 25 people, three cycles, accounts, evidence."""

from __future__ import annotations

import pytest

from skillgrid.domain.assessments import OPERATOR
from skillgrid.domain.errors import Conflict
from skillgrid.services import cycles, evidence, people, results
from skillgrid.services.demo import DEMO_PASSWORD, build_demo
from skillgrid.services.sign_in import Attempt, sign_in


def test_demo_builds_an_organisation_with_history_to_show(uow_factory, database_url) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("the same services on PostgreSQL are covered elsewhere; this one is slow")
    built = build_demo(uow_factory)
    everyone = people.list_people(uow_factory(), OPERATOR)
    assert len(everyone) == built.people == 25
    assert {p.team for p in everyone} >= {"SRE Platform", "Edge Networking", "Security Engineering"}
    assert [c.name for c in cycles.list_cycles(uow_factory())] == ["2025-H2", "2026-H1", "2026-H2"]
    engineer = built.accounts[-1][0]
    report = results.person_report(uow_factory(), OPERATOR, engineer)
    assert len(report.history) >= 2
    assert evidence.list_evidence(uow_factory(), OPERATOR, engineer)
    token = sign_in(uow_factory(), Attempt(engineer, DEMO_PASSWORD, "127.0.0.1")).token
    assert token
    with pytest.raises(Conflict, match="empty one"):
        build_demo(uow_factory)


def test_a_synthetic_organisation_has_a_realistic_shape_and_true_summaries(
    uow_factory,
) -> None:
    from skillgrid.services import insight, summaries
    from skillgrid.services.synthetic import build_synthetic

    built = build_synthetic(uow_factory, 120, 2, seed=3)
    assert built.people == 120 and built.cycles == ("2026-H1", "2026-H2")
    everyone = people.list_people(uow_factory(), OPERATOR)
    managers = [p for p in everyone if p.role.value == "manager"]
    spans = [sum(1 for p in everyone if p.manager == m.email) for m in managers]
    assert len(everyone) == 120 and max(spans) <= 10  # no one manages more than ten
    assert sum(1 for p in everyone if p.manager is None) == 1  # one head of engineering
    assert summaries.check_summaries(uow_factory()) == []
    report = insight.team_report(uow_factory(), OPERATOR)
    overall = report.distribution[0].overall
    assert sum(overall[:4]) > sum(overall[4:])  # most people at the lower levels
    assert report.coverage and report.calibration and report.movement
    with pytest.raises(Conflict, match="empty one"):
        build_synthetic(uow_factory, 120, 2)
