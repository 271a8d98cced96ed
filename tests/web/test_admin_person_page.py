"""An admin changes a person from the browser: team, manager, deactivate and reactivate,
through the same service as `skillgrid person update` and PATCH /api/v1/people/{email}."""

from __future__ import annotations

import pytest

from skillgrid.domain.assessments import OPERATOR
from skillgrid.domain.people import Person, Role
from skillgrid.services import people, people_import
from tests.conftest import table_snapshot
from tests.web.conftest import as_, sign_in
from tests.web.test_admin_pages import csrf


@pytest.fixture
def org(app_client, uow_factory):  # type: ignore[no-untyped-def]
    """Vi manages Bo, who manages Ana; a second team, Edge; the admin signed in."""
    people.add_team(uow_factory(), "Edge", actor=OPERATOR)
    vi = Person("vi@x.org", "Vi", "SRE", None, Role.MANAGER)
    people.add_person(uow_factory(), vi, actor=OPERATOR)
    people.change_person(uow_factory(), "bo@x.org", manager="vi@x.org", actor=OPERATOR)
    sign_in(app_client, "root@x.org")
    return app_client


def stored(uow_factory, email: str) -> Person:  # type: ignore[no-untyped-def]
    return next(p for p in people.list_people(uow_factory(), OPERATOR) if p.email == email)


def test_the_admin_page_links_each_person_to_their_admin_page(org) -> None:
    page = org.get("/admin").text
    assert 'href="/admin/people/ana@x.org"' in page


def test_an_admin_moves_a_person_to_another_team_and_manager(org, uow_factory) -> None:
    page = org.get("/admin/people/ana@x.org")
    assert page.status_code == 200 and page.template.name == "admin_person.html"
    assert page.context["person"].manager == "bo@x.org"
    form = {
        "csrf_token": csrf(page.text),
        "form": "change",
        "team": "Edge",
        "manager": "vi@x.org",
        "shown_team": "SRE",
        "shown_manager": "bo@x.org",
    }
    changed = org.post("/admin/people/ana@x.org", data=form)
    assert changed.status_code == 200, changed.text
    assert "Saved Ana" in changed.text
    ana = stored(uow_factory, "ana@x.org")
    assert (ana.team, ana.manager, ana.active) == ("Edge", "vi@x.org", True)


def test_the_manager_box_suggests_who_manages_someone_not_the_whole_company(org) -> None:
    page = org.get("/admin/people/ana@x.org")
    # Vi manages Bo and Bo manages Ana; root (an admin) and Ana herself manage nobody
    assert [p.email for p in page.context["managers"]] == ["bo@x.org", "vi@x.org"]


def test_an_empty_manager_or_team_means_none(org, uow_factory) -> None:
    token = csrf(org.get("/admin/people/ana@x.org").text)
    form = {"csrf_token": token, "team": "", "manager": "", "form": "change"}
    form |= {"shown_team": "SRE", "shown_manager": "bo@x.org"}
    assert org.post("/admin/people/ana@x.org", data=form).status_code == 200
    ana = stored(uow_factory, "ana@x.org")
    assert (ana.team, ana.manager) == (None, None)


def test_deactivating_asks_first_and_says_who_the_reports_went_to(org, uow_factory) -> None:
    page = org.get("/admin/people/bo@x.org").text
    assert '<details class="confirm" id="confirm-deactivate"' in page
    assert "next active manager above" in page
    assert "ana@x.org" in page  # the direct report who will move
    form = {"csrf_token": csrf(page), "form": "status", "active": "false", "shown_active": "true"}
    done = org.post("/admin/people/bo@x.org", data=form)
    assert done.status_code == 200
    assert done.context["handed_over"] == [stored(uow_factory, "ana@x.org")]
    assert "Ana (ana@x.org) now reports to vi@x.org" in done.text
    assert not stored(uow_factory, "bo@x.org").active
    assert stored(uow_factory, "ana@x.org").manager == "vi@x.org"


def test_the_deactivation_question_names_ten_reports_and_counts_the_rest(org, uow_factory) -> None:
    rows = [f"Report {n:02},r{n:02}@x.org,SRE,bo@x.org,engineer" for n in range(14)]
    data = "\n".join(["name,email,team,manager_email,role", *rows]).encode()
    people_import.import_people(uow_factory(), data, "reports.csv", actor=OPERATOR)
    page = org.get("/admin/people/bo@x.org").text
    question = page[page.index('id="confirm-deactivate"') :]
    question = question[: question.index("</details>")]
    assert "Their 15 active direct reports (ana@x.org, r00@x.org" in question
    assert "r08@x.org and 5 more) go to the next active manager above Bo" in question
    assert "r09@x.org" not in question


def test_deactivating_the_top_of_the_chart_says_their_reports_are_left_without_a_manager(
    org, uow_factory
) -> None:
    # Vi has no manager: nobody above can take Bo, so neither the question nor the notice
    # may say Bo goes to "the next active manager above"
    page = org.get("/admin/people/vi@x.org").text
    assert "next active manager above" not in page
    assert "Vi has no manager, so bo@x.org will have none" in page
    form = {"csrf_token": csrf(page), "form": "status", "active": "false", "shown_active": "true"}
    done = org.post("/admin/people/vi@x.org", data=form)
    assert done.status_code == 200 and stored(uow_factory, "bo@x.org").manager is None
    notice = done.text[
        done.text.index('id="done"') : done.text.index("</div>", done.text.index('id="done"'))
    ]
    assert "went to the next active manager" not in notice
    assert "Bo (bo@x.org) now reports to nobody" in notice
    assert 'href="/admin/people/bo@x.org"' in notice  # where to give Bo a manager


def test_reactivating_brings_a_person_back_without_their_old_reports(org, uow_factory) -> None:
    people.change_person(uow_factory(), "bo@x.org", active=False, actor=OPERATOR)
    page = org.get("/admin/people/bo@x.org").text
    assert '<details class="confirm" id="confirm-reactivate"' in page
    form = {"csrf_token": csrf(page), "form": "status", "active": "true", "shown_active": "false"}
    assert org.post("/admin/people/bo@x.org", data=form).status_code == 200
    assert stored(uow_factory, "bo@x.org").active
    assert stored(uow_factory, "ana@x.org").manager == "vi@x.org"


CHANGE = {"form": "change", "team": "SRE", "manager": "bo@x.org"}
CHANGE |= {"shown_team": "SRE", "shown_manager": "bo@x.org"}  # Ana as her page shows her
BAD = {
    "an unknown manager": (
        "ana@x.org",
        {**CHANGE, "manager": "nobody@x.org"},
        "manager nobody@x.org is not on file",
    ),
    "a management cycle": (
        "vi@x.org",
        {"form": "change", "team": "SRE", "manager": "ana@x.org", "shown_team": "SRE"},
        "management cycle",
    ),
    "an unknown team": (
        "ana@x.org",
        {**CHANGE, "team": "Nope"},
        "no team &#39;Nope&#39;",
    ),
    "a manager changed since the form was shown": (
        "ana@x.org",
        {**CHANGE, "manager": "vi@x.org", "shown_manager": "cy@x.org"},
        "someone changed it since",
    ),
    "deactivating someone already inactive": (
        "ana@x.org",
        {"form": "status", "active": "false", "shown_active": "false"},
        "someone changed it since",
    ),
    "a manager that is not an email": (
        "ana@x.org",
        {**CHANGE, "manager": "not an email"},
        "email",
    ),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_a_bad_change_is_explained_and_changes_nothing(org, database_url: str, case) -> None:
    email, fields, reason = BAD[case]
    token = csrf(org.get(f"/admin/people/{email}").text)
    before = table_snapshot(database_url)
    refused = org.post(f"/admin/people/{email}", data={"csrf_token": token, **fields})
    assert refused.status_code == 422
    assert 'role="alert"' in refused.text and reason in refused.text
    assert refused.template.name == "admin_person.html"
    assert table_snapshot(database_url) == before


def test_a_change_without_the_forms_token_is_refused(org, database_url: str) -> None:
    before = table_snapshot(database_url)
    refused = org.post(
        "/admin/people/bo@x.org",
        data={"csrf_token": "forged", "form": "status", "active": "false", "shown_active": "true"},
    )
    assert refused.status_code == 403
    assert table_snapshot(database_url) == before


def test_an_unknown_person_has_no_admin_page(org) -> None:
    assert org.get("/admin/people/nobody@x.org").status_code == 404


def test_non_admins_get_no_person_admin_page(app_client) -> None:
    sign_in(app_client, "ana@x.org")
    assert app_client.get("/admin/people/ana@x.org").status_code == 403


def test_an_admin_reaches_the_page_from_the_persons_growth_page(org) -> None:
    assert 'href="/admin/people/ana@x.org"' in org.get("/people/ana@x.org/growth").text
    own = as_(org, "ana@x.org").get("/people/ana@x.org/growth")
    assert own.status_code == 200 and "/admin/people/" not in own.text
