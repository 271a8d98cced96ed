"""The audit trail in the browser: the admin's filterable table and an assessment's
history on its page."""

from __future__ import annotations

from skillgrid.domain.assessments import OPERATOR, Actor, Entry
from skillgrid.domain.leveling import Rating
from skillgrid.domain.people import Role
from skillgrid.services import assessments, cycles
from tests.web.conftest import sign_in


def rated(uow_factory, by: Actor = OPERATOR) -> None:  # type: ignore[no-untyped-def]
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    for rating in (Rating.DEVELOPING, Rating.MEETS):
        assessments.rate(
            uow_factory(), by, "ana@x.org", "2026-H2", "self", {"PO.1.1": Entry(rating)}
        )


def test_admins_read_and_filter_the_trail(app_client, uow_factory) -> None:
    rated(uow_factory)
    sign_in(app_client, "root@x.org")
    page = app_client.get("/admin/audit")
    assert page.status_code == 200 and page.template.name == "audit.html"
    assert {e.entity for e, _ in page.context["rows"]} >= {"assessment", "cycle", "person"}
    about_ana = app_client.get(
        "/admin/audit", params={"person": "ana@x.org", "entity": "assessment", "since": ""}
    )
    rows = about_ana.context["rows"]
    assert [e.action for e, _ in rows] == ["rate", "rate"]
    assert rows[0][1] == [("PO.1.1", "developing", "meets")]
    assert "developing → meets" in about_ana.text
    assert app_client.get("/admin/audit", params={"since": "soon"}).status_code == 422
    assert app_client.get("/admin/audit", params={"entity": "x"}).status_code == 422


def test_only_admins_see_the_audit_page(app_client, uow_factory) -> None:
    sign_in(app_client, "ana@x.org")
    refused = app_client.get("/admin/audit")
    assert refused.status_code == 403 and "only an admin may" in refused.text


def test_an_assessment_page_shows_its_history(app_client, uow_factory) -> None:
    rated(uow_factory, Actor("ana@x.org", Role.ENGINEER))
    assessments.submit(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "self")
    sign_in(app_client, "ana@x.org")
    page = app_client.get("/people/ana@x.org/assess/2026-H2/self")
    history = [(e.actor, e.action) for e, _ in page.context["history"]]
    assert history == [("cli/operator", "submit"), ("ana@x.org", "rate"), ("ana@x.org", "rate")]
    assert 'id="history"' in page.text and "draft → submitted" in page.text
