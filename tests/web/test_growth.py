"""The growth page: official and self levels, the rule, the gaps, privacy."""

from __future__ import annotations

from skillgrid.domain.assessments import OPERATOR, Entry
from skillgrid.domain.leveling import Rating
from skillgrid.services import accounts, assessments, cycles
from tests.unit.test_leveling import MAC, through
from tests.web.conftest import PASSWORD, sign_in


def finalize(uow_factory, ratings) -> None:  # type: ignore[no-untyped-def]
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    entries = {
        cid: Entry(r, "no MAC here" if r is Rating.NOT_APPLICABLE else None)
        for cid, r in ratings.items()
    }
    assessments.rate(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "manager", entries)
    assessments.submit(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "manager")
    assessments.finalize(uow_factory(), OPERATOR, "ana@x.org", "2026-H2")


def test_growth_shows_the_official_level_the_rule_and_the_gaps(app_client, uow_factory) -> None:
    finalize(uow_factory, through(3, except_ids=(MAC,)))
    sign_in(app_client)
    page = app_client.get("/me", follow_redirects=True)
    assert page.template.name == "growth.html"
    assert page.context["official"].result.overall == 2
    assert (
        "Overall level <strong>2</strong>" in page.text and "<strong>strict</strong>" in page.text
    )
    assert "<svg" in page.text and "SELinux or AppArmor" in page.text


def test_growth_before_any_official_result(app_client) -> None:
    sign_in(app_client)
    page = app_client.get("/people/ana@x.org/growth")
    assert page.status_code == 200 and "No official result yet" in page.text


def test_people_see_their_own_growth_and_managers_their_reports_only(
    app_client, uow_factory
) -> None:
    accounts.add_user(uow_factory(), "bo@x.org", PASSWORD, actor=OPERATOR)
    sign_in(app_client, "bo@x.org")
    assert app_client.get("/people/ana@x.org/growth").status_code == 200
    app_client.cookies.clear()
    sign_in(app_client, "ana@x.org")
    assert app_client.get("/people/bo@x.org/growth").status_code == 404


def test_pages_carry_an_etag_of_their_body_and_answer_304_until_it_changes(
    app_client, uow_factory
) -> None:
    sign_in(app_client)
    first = app_client.get("/people/ana@x.org/growth")
    tag = first.headers["etag"]
    assert first.headers["cache-control"] == "private, no-cache"
    same = app_client.get("/people/ana@x.org/growth", headers={"If-None-Match": tag})
    assert same.status_code == 304 and same.content == b"" and same.headers["etag"] == tag
    finalize(uow_factory, through(2))  # the data behind the page changes
    changed = app_client.get("/people/ana@x.org/growth", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag
    api = app_client.get("/api/v1/people/ana@x.org/results")
    assert api.status_code == 200 and api.headers["etag"]
    missing = app_client.get("/people/nobody@x.org/growth")
    assert missing.status_code == 404 and "etag" not in missing.headers


def test_the_manager_is_asked_to_review_until_the_review_is_finalized(
    app_client, uow_factory
) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    accounts.add_user(uow_factory(), "bo@x.org", PASSWORD, actor=OPERATOR)
    sign_in(app_client, "bo@x.org")
    assert ">review Ana</a>." in app_client.get("/people/ana@x.org/growth").text
    entries = {"PO.1.1": Entry(Rating.MEETS)}
    assessments.rate(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "manager", entries)
    assessments.submit(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "manager")
    assessments.finalize(uow_factory(), OPERATOR, "ana@x.org", "2026-H2")
    page = app_client.get("/people/ana@x.org/growth").text
    assert ">review of Ana</a> is finalized." in page and ">review Ana</a>" not in page
