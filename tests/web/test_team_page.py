"""The team page: reports only, states, heatmap, coverage."""

from __future__ import annotations

import pytest

from skillgrid.domain.assessments import OPERATOR, Entry
from skillgrid.domain.leveling import Rating
from skillgrid.services import accounts, assessments, cycles
from tests.unit.test_leveling import through
from tests.web.conftest import PASSWORD, as_, sign_in


def test_a_manager_sees_their_reports_levels_and_coverage(app_client, uow_factory) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    _finalized_at(uow_factory, "ana@x.org", 2)
    accounts.add_user(uow_factory(), "bo@x.org", PASSWORD, actor=OPERATOR)
    sign_in(app_client, "bo@x.org")
    page = app_client.get("/team")
    assert page.status_code == 200 and page.template.name == "team.html"
    rows = page.context["rows"]
    assert [r.person.email for r in rows] == ["ana@x.org"]
    assert rows[0].official.overall == 2 and rows[0].states == {"manager": "finalized"}
    assert page.context["coverage"]["NET"][:3] == [1, 1, 0]
    assert 'href="/people/ana@x.org/growth"' in page.text


def _cy_reports_to_bo(uow_factory) -> None:  # type: ignore[no-untyped-def]
    """The 2026-H2 cycle open, and Cy on SRE reporting to Bo beside Ana."""
    from skillgrid.services import people_import

    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    more = b"name,email,team,manager_email,role\nCy,cy@x.org,SRE,bo@x.org,engineer\n"
    people_import.import_people(uow_factory(), more, "more.csv", actor=OPERATOR)


def _finalized_at(uow_factory, email: str, level: int) -> None:  # type: ignore[no-untyped-def]
    """The person's manager assessment in 2026-H2 meets every criterion through ``level``,
    finalized: an official result at that level on every track."""
    entries = {cid: Entry(Rating.MEETS) for cid in through(level)}
    assessments.rate(uow_factory(), OPERATOR, email, "2026-H2", "manager", entries)
    assessments.submit(uow_factory(), OPERATOR, email, "2026-H2", "manager")
    assessments.finalize(uow_factory(), OPERATOR, email, "2026-H2")


def test_someone_deactivated_leaves_the_coverage_and_the_counts_of_their_team(
    app_client, uow_factory
) -> None:
    from skillgrid.services import people

    _cy_reports_to_bo(uow_factory)
    for email, level in [("ana@x.org", 2), ("cy@x.org", 1)]:
        _finalized_at(uow_factory, email, level)
    accounts.add_user(uow_factory(), "bo@x.org", PASSWORD, actor=OPERATOR)
    sign_in(app_client, "bo@x.org")
    before = app_client.get("/team").context
    assert before["coverage"]["NET"][:3] == [2, 1, 0] and before["finalized"] == 2

    people.change_person(uow_factory(), "cy@x.org", active=False, actor=OPERATOR)
    after = app_client.get("/team").context
    assert [r.person.email for r in after["rows"]] == ["ana@x.org"]
    assert after["coverage"]["NET"][:3] == [1, 1, 0] and after["finalized"] == 1
    assert after["everyone"] == 1 and after["head_count"].reviewable == 1


def test_an_engineer_s_team_page_is_empty(app_client, uow_factory) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    sign_in(app_client, "ana@x.org")
    page = app_client.get("/team")
    assert page.context["rows"] == () and "Nobody reports to you" in page.text


def test_the_team_page_says_states_as_the_assessment_page_does_and_what_levels_rest_on(
    app_client, uow_factory
) -> None:
    _cy_reports_to_bo(uow_factory)
    entries = {"PO.1.1": Entry(Rating.MEETS)}
    assessments.rate(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "manager", entries)
    assessments.submit(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "manager")
    accounts.add_user(uow_factory(), "bo@x.org", PASSWORD, actor=OPERATOR)
    sign_in(app_client, "bo@x.org")
    page = app_client.get("/team")
    assert (page.context["finalized"], page.context["head_count"].reviewable) == (0, 2)
    assert "based on <strong>0 of 2 people finalized</strong> in 2026-H2" in page.text
    assert "2 not yet reviewed" in page.text
    assert ">waiting for you to finalize</a>" in page.text  # Ana's manager assessment
    assert ">not started</a>" in page.text  # Cy's, as its own page says
    review = app_client.get("/people/cy@x.org/assess/2026-H2/manager")
    assert review.context["state_words"] == "not started"
    assert 'class="num none"' not in page.text  # nobody reviewed yet is not a gap


def test_every_link_on_a_manager_of_managers_team_page_opens(app_client, uow_factory) -> None:
    import re

    from skillgrid.services import people_import

    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    more = b"name,email,team,manager_email,role\nCy,cy@x.org,SRE,ana@x.org,engineer\n"
    people_import.import_people(uow_factory(), more, "more.csv", actor=OPERATOR)
    entries = {"PO.1.1": Entry(Rating.MEETS)}
    assessments.rate(uow_factory(), OPERATOR, "cy@x.org", "2026-H2", "manager", entries)
    accounts.add_user(uow_factory(), "bo@x.org", PASSWORD, actor=OPERATOR)
    sign_in(app_client, "bo@x.org")  # Bo manages Ana, who manages Cy
    page = app_client.get("/team").text
    links = set(re.findall(r'href="(/people/[^"]+)"', page))
    assert "/people/cy@x.org/growth" in links
    assert "/people/cy@x.org/assess/2026-H2/manager" not in links  # Ana's draft: not Bo's
    assert "/people/ana@x.org/assess/2026-H2/manager" in links  # Bo writes that one
    for link in links:
        assert app_client.get(link).status_code == 200, link


def test_the_admin_s_team_page_says_who_is_left_out_of_the_count_for_having_no_manager(
    app_client, uow_factory
) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    page = as_(app_client, "root@x.org").get("/team")
    rows = page.context["rows"]
    assert [r.person.email for r in rows] == ["ana@x.org", "bo@x.org"]  # two people listed
    assert [p.email for p in page.context["unmanaged"]] == ["bo@x.org"]
    based_on = page.text.split('class="based-on">')[1].split("</p>")[0]
    assert "<strong>0 of 1 with a manager finalized</strong>" in based_on
    assert "1 has no manager" in based_on
    no_manager = page.text.split('id="no-manager"')[1].split("</p>")[0]
    assert 'href="/people/bo@x.org/growth">Bo</a>' in no_manager
    assert "PATCH /api/v1/people/{email}" in no_manager or "person import" in no_manager


def _without_managers(uow_factory, size: int, team: str = "") -> None:  # type: ignore[no-untyped-def]
    """``size`` more people on ``team`` (none by default), with no manager: as a people
    file or an identity provider that sends no manager brings them in."""
    from skillgrid.services import people_import

    rows = [f"Someone {n:03},s{n:03}@x.org,{team},,engineer" for n in range(size)]
    text = "name,email,team,manager_email,role\n" + "\n".join(rows) + "\n"
    people_import.import_people(uow_factory(), text.encode(), "people.csv", actor=OPERATOR)


def test_many_people_without_a_manager_are_counted_a_few_named_and_the_rest_listed_on_request(
    app_client, uow_factory
) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    _without_managers(uow_factory, 25)  # with Bo, 26 have no manager
    admin = as_(app_client, "root@x.org")
    page = admin.get("/team")
    no_manager = page.text.split('id="no-manager"')[1].split("</p>")[0]
    assert no_manager.count('href="/people/') == 10  # Bo, then the first nine by email
    assert 'href="/people/bo@x.org/growth">Bo</a>' in no_manager
    listing = "/team?cycle=2026-H2&amp;show=unmanaged"  # this cycle's: results count
    assert f'and <a href="{listing}">16 more</a>' in no_manager
    assert "26 have no manager" in page.text
    org = admin.get("/insight").text.split('id="no-manager"')[1].split("</p>")[0]
    assert f'and <a href="{listing}">16 more</a>' in org

    listed = admin.get("/team", params={"show": "unmanaged"})
    assert listed.context["shown"].matched == 26 and listed.context["everyone"] == 27
    assert "ana@x.org" not in [r.person.email for r in listed.context["rows"]]
    assert '<option value="unmanaged" selected>' in listed.text
    accounts.add_user(uow_factory(), "bo@x.org", PASSWORD, actor=OPERATOR)
    bo = as_(app_client, "bo@x.org")
    by_url = bo.get("/team", params={"show": "unmanaged"})  # the form says what is shown
    assert by_url.context["rows"] == () and '<option value="unmanaged" selected>' in by_url.text


def test_a_team_s_insight_page_counts_the_rest_without_a_link_to_the_whole_organisation_s(
    app_client, uow_factory
) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    _without_managers(uow_factory, 12, team="Edge")
    page = as_(app_client, "root@x.org").get("/insight/Edge")
    no_manager = page.text.split('id="no-manager"')[1].split("</p>")[0]
    assert no_manager.count('href="/people/') == 10 and " and 2 more." in no_manager
    assert "/team?" not in no_manager  # the team page lists one team, not the teams below


def test_a_team_where_everyone_has_a_manager_reads_as_before(app_client, uow_factory) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    accounts.add_user(uow_factory(), "bo@x.org", PASSWORD, actor=OPERATOR)
    page = as_(app_client, "bo@x.org").get("/team")
    assert page.context["unmanaged"] == ()
    assert "0 of 1 people finalized" in page.text and "no manager" not in page.text


def _department(uow_factory, size: int) -> None:  # type: ignore[no-untyped-def]
    """Bo manages ``size`` more people: the first half in SRE, the rest in Edge."""
    from skillgrid.services import people_import

    rows = [
        f"Person {n:03},p{n:03}@x.org,{'SRE' if n < size // 2 else 'Edge'},bo@x.org,engineer"
        for n in range(size)
    ]
    data = "\n".join(["name,email,team,manager_email,role", *rows]).encode()
    people_import.import_people(uow_factory(), data, "department.csv", actor=OPERATOR)


@pytest.mark.parametrize("who", ["root@x.org", "bo@x.org"])
def test_the_counts_are_the_same_read_with_everyone_s_levels_or_counted_by_the_database(
    app_client, uow_factory, who: str
) -> None:
    # a department that fits one page is counted from its people's levels, read once; a
    # bigger one by the database, with levels read for the page only
    from skillgrid.domain.assessments import Actor
    from skillgrid.domain.people import Role
    from skillgrid.services import people
    from skillgrid.services.reviews import Window, team_view

    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    _department(uow_factory, 6)
    _without_managers(uow_factory, 2)
    for n, level in enumerate([1, 2, 2, 3, 0]):
        _finalized_at(uow_factory, f"p00{n}@x.org", level)
    people.change_person(uow_factory(), "p002@x.org", active=False, actor=OPERATOR)
    actor = Actor(who, Role.ADMIN if who == "root@x.org" else Role.MANAGER)

    def view(limit: int):  # type: ignore[no-untyped-def]
        return team_view(uow_factory(), actor, window=Window(0, limit))

    whole, paged = view(100), view(1)
    assert paged.coverage == whole.coverage and whole.coverage["NET"][:3] == [3, 2, 1]
    assert (paged.finalized, paged.unmanaged, paged.everyone, paged.overdue) == (
        whole.finalized,
        whole.unmanaged,
        whole.everyone,
        whole.overdue,
    )
    assert paged.rows == whole.rows[:1] and paged.matched == whole.matched


def test_a_department_is_listed_a_page_at_a_time_with_counts_of_everyone(
    app_client, uow_factory
) -> None:
    from skillgrid.services.reviews import TEAM_PAGE

    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    _department(uow_factory, 150)  # with Ana, 151 below Bo
    accounts.add_user(uow_factory(), "bo@x.org", PASSWORD, actor=OPERATOR)
    sign_in(app_client, "bo@x.org")
    first = app_client.get("/team")
    assert len(first.context["rows"]) == TEAM_PAGE
    # the counts are of everyone, not of the page
    assert first.context["head_count"].reviewable == 151
    assert "Listing 1–100 of 151." in first.text
    assert 'rel="next"' in first.text and 'rel="prev"' not in first.text
    second = app_client.get("/team", params={"cycle": "2026-H2", "page": 2})
    assert len(second.context["rows"]) == 51 and "Listing 101–151 of 151." in second.text
    shown = {r.person.email for r in first.context["rows"] + second.context["rows"]}
    assert len(shown) == 151  # every person on exactly one page
    past = app_client.get("/team", params={"page": 99})  # past the end: the last page
    assert past.status_code == 200 and past.context["shown"].page == 2


def test_the_team_page_filters_by_team_by_what_is_left_and_by_name(app_client, uow_factory) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    _department(uow_factory, 30)
    entries = {"PO.1.1": Entry(Rating.MEETS)}
    for email in ("p000@x.org", "p020@x.org"):
        assessments.rate(uow_factory(), OPERATOR, email, "2026-H2", "manager", entries)
        assessments.submit(uow_factory(), OPERATOR, email, "2026-H2", "manager")
        assessments.finalize(uow_factory(), OPERATOR, email, "2026-H2")
    accounts.add_user(uow_factory(), "bo@x.org", PASSWORD, actor=OPERATOR)
    sign_in(app_client, "bo@x.org")

    def listed(**params: str) -> set[str]:
        page = app_client.get("/team", params=params)
        assert page.status_code == 200
        return {row.person.email for row in page.context["rows"]}

    assert len(listed(team="Edge")) == 15 and "p020@x.org" in listed(team="Edge")
    assert listed(q="person 02") == {f"p02{n}@x.org" for n in range(10)}
    assert listed(q="P007@X.ORG") == {"p007@x.org"}
    unfinished = listed(show="unfinished")
    assert len(unfinished) == 29 and not {"p000@x.org", "p020@x.org"} & unfinished  # 31 - 2
    assert listed(team="Edge", show="unfinished", q="person 02") == {
        f"p02{n}@x.org" for n in range(1, 10)
    }
    nobody = app_client.get("/team", params={"q": "nobody by this name"})
    assert nobody.context["rows"] == () and "Nobody of the 31 matches." in nobody.text
    assert app_client.get("/team", params={"show": "everything"}).status_code == 422
    assert app_client.get("/team", params={"page": 0}).status_code == 422


def test_the_team_page_finds_a_name_typed_in_either_unicode_form(app_client, uow_factory) -> None:
    from skillgrid.services import people_import

    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    rows = (
        "Zoë Ång,zoe@x.org,SRE,bo@x.org,engineer\n"
        "Ingrid Zoe\u0308,ingrid@x.org,SRE,bo@x.org,engineer"  # e + combining diaeresis
    )
    data = f"name,email,team,manager_email,role\n{rows}\n".encode()
    people_import.import_people(uow_factory(), data, "two.csv", actor=OPERATOR)
    accounts.add_user(uow_factory(), "bo@x.org", PASSWORD, actor=OPERATOR)
    sign_in(app_client, "bo@x.org")
    for typed in ("Zoe\u0308", "zoë", "ZOË"):
        page = app_client.get("/team", params={"q": typed})
        assert {row.person.email for row in page.context["rows"]} == {"zoe@x.org", "ingrid@x.org"}
