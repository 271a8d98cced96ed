"""GET /api/v1/team: the team page's people as JSON, a page at a time with the admin people
API's paging (limit, offset, next_offset), the same filters and the counts of everyone."""

from __future__ import annotations

import datetime as dt

import pytest

from skillgrid.domain.assessments import OPERATOR, DueDates, Entry
from skillgrid.domain.leveling import Rating
from skillgrid.services import accounts, assessments, cycles, people_import
from tests.web.conftest import PASSWORD, as_
from tests.web.test_team_page import _department

TEAM = "/api/v1/team"


def _finalize(uow_factory, email: str, cycle: str) -> None:  # type: ignore[no-untyped-def]
    entries = {"PO.1.1": Entry(Rating.MEETS)}
    assessments.rate(uow_factory(), OPERATOR, email, cycle, "manager", entries)
    assessments.submit(uow_factory(), OPERATOR, email, cycle, "manager")
    assessments.finalize(uow_factory(), OPERATOR, email, cycle)


def test_paging_through_the_team_lists_everyone_exactly_once_by_email(
    app_client, uow_factory
) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    _department(uow_factory, 5)  # with Ana, 6 below Bo
    accounts.add_user(uow_factory(), "bo@x.org", PASSWORD, actor=OPERATOR)
    bo = as_(app_client, "bo@x.org")
    seen: list[str] = []
    offset: int | None = 0
    pages = 0
    while offset is not None:
        answer = bo.get(TEAM, params={"limit": 2, "offset": offset})
        assert answer.status_code == 200
        page = answer.json()
        assert (page["limit"], page["offset"], page["total"]) == (2, offset, 6)
        assert page["cycle"] == "2026-H2" and page["everyone"] == 6
        seen += [person["email"] for person in page["people"]]
        offset, pages = page["next_offset"], pages + 1
    assert pages == 3
    assert seen == ["ana@x.org", *(f"p{n:03}@x.org" for n in range(5))]  # each once, by email
    whole = bo.get(TEAM).json()  # by default: 100 from the first
    assert (whole["limit"], whole["offset"], whole["next_offset"]) == (100, 0, None)
    assert [person["email"] for person in whole["people"]] == seen
    past = bo.get(TEAM, params={"offset": 6}).json()  # past the end: nobody, not the last page
    assert past["people"] == [] and past["next_offset"] is None and past["total"] == 6


def test_the_team_api_filters_by_the_team_page_s_rule(app_client, uow_factory) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    _department(uow_factory, 30)
    zoe = b"name,email,team,manager_email,role\nZo\xc3\xab \xc3\x85ng,zoe@x.org,SRE,bo@x.org,\n"
    people_import.import_people(uow_factory(), zoe, "zoe.csv", actor=OPERATOR)
    for email in ("p000@x.org", "p020@x.org"):
        _finalize(uow_factory, email, "2026-H2")
    accounts.add_user(uow_factory(), "bo@x.org", PASSWORD, actor=OPERATOR)
    bo = as_(app_client, "bo@x.org")

    def answered(**params: str) -> list[str]:
        answer = bo.get(TEAM, params=params).json()
        assert answer["total"] == len(answer["people"]) and answer["everyone"] == 32
        return [person["email"] for person in answer["people"]]

    def listed(**params: str) -> list[str]:
        return [row.person.email for row in bo.get("/team", params=params).context["rows"]]

    assert answered(q="person 02") == [f"p02{n}@x.org" for n in range(10)]
    assert answered(q="Zoe\u0308") == answered(q="ZOË") == ["zoe@x.org"]  # either Unicode form
    unfinished = answered(show="unfinished")
    assert len(unfinished) == 30 and not {"p000@x.org", "p020@x.org"} & set(unfinished)
    for params in (
        {"team": "Edge"},
        {"show": "unfinished"},
        {"show": "overdue"},
        {"q": "P007@X.ORG"},
        {"team": "Edge", "show": "unfinished", "q": "person 02"},
        {"team": "Nowhere"},
    ):
        assert answered(**params) == listed(**params), params


def test_the_counts_are_of_everyone_whatever_the_filters_and_the_page(
    app_client, uow_factory
) -> None:
    past = DueDates(self_=dt.date(2020, 1, 10), manager=dt.date(2999, 1, 10))
    cycles.open_cycle(uow_factory(), "2020-H1", "sre", actor=OPERATOR, due=past)
    _department(uow_factory, 5)  # with Ana, 6 below Bo: p000 and p001 in SRE, the rest Edge
    _finalize(uow_factory, "p000@x.org", "2020-H1")
    met = {"PO.1.1": Entry(Rating.MEETS)}
    assessments.rate(uow_factory(), OPERATOR, "p001@x.org", "2020-H1", "self", met)
    assessments.submit(uow_factory(), OPERATOR, "p001@x.org", "2020-H1", "self")  # on time
    accounts.add_user(uow_factory(), "bo@x.org", PASSWORD, actor=OPERATOR)
    bo = as_(app_client, "bo@x.org")
    answer = bo.get(TEAM, params={"team": "Edge", "limit": 1}).json()
    assert len(answer["people"]) == 1 and answer["total"] == 3 and answer["next_offset"] == 1
    assert answer["everyone"] == 6 and answer["overdue"] == 5
    assert answer["based_on"] == {
        "finalized": 1,
        "reviewable": 6,
        "unmanaged": [],
        "unmanaged_total": 0,
        "words": "1 of 6 people finalized in 2020-H1; 5 not yet reviewed",
    }
    page = bo.get("/team", params={"team": "Edge"}).context
    assert (page["everyone"], page["overdue"]) == (answer["everyone"], answer["overdue"])
    assert page["head_count"].words("2020-H1") == answer["based_on"]["words"]


def test_an_admin_s_team_names_the_people_with_no_manager(app_client, uow_factory) -> None:
    admin = as_(app_client, "root@x.org")
    answer = admin.get(TEAM).json()  # no cycle yet
    assert answer["cycle"] is None and answer["overdue"] == 0
    assert [person["email"] for person in answer["people"]] == ["ana@x.org", "bo@x.org"]
    assert answer["based_on"] == {
        "finalized": 0,
        "reviewable": 1,
        "unmanaged": [{"email": "bo@x.org", "name": "Bo"}],
        "unmanaged_total": 1,
        "words": None,
    }


def test_every_page_names_at_most_a_hundred_people_without_a_manager_and_counts_them_all(
    app_client, uow_factory
) -> None:
    from tests.web.test_team_page import _without_managers

    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    _without_managers(uow_factory, 120)  # with Bo, 121 have no manager
    admin = as_(app_client, "root@x.org")
    based_on = admin.get(TEAM, params={"limit": 1}).json()["based_on"]
    assert len(based_on["unmanaged"]) == 100 and based_on["unmanaged_total"] == 121
    assert based_on["unmanaged"][0] == {"email": "bo@x.org", "name": "Bo"}
    assert "121 have no manager" in based_on["words"]

    emails, offset = [], 0
    while offset is not None:  # all of them, a page at a time
        answer = admin.get(TEAM, params={"show": "unmanaged", "offset": offset}).json()
        emails += [person["email"] for person in answer["people"]]
        offset = answer["next_offset"]
    assert len(emails) == 121 == len(set(emails)) and "ana@x.org" not in emails


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("show", "everything"),
        ("offset", "-1"),
        ("limit", "0"),
        ("limit", "1001"),
        ("q", "x" * 201),
        ("team", "a" * 201),
    ],
)
def test_a_bad_parameter_is_refused_with_422_naming_it(app_client, name: str, value: str) -> None:
    answer = as_(app_client, "root@x.org").get(TEAM, params={name: value})
    assert answer.status_code == 422
    assert [error["loc"] for error in answer.json()["detail"]] == [["query", name]]


def test_the_limits_themselves_are_accepted(app_client) -> None:
    admin = as_(app_client, "root@x.org")
    for params in ({"limit": 1}, {"limit": 1000}, {"offset": 2**31 - 1}, {"q": "x" * 200}):
        assert admin.get(TEAM, params=params).status_code == 200, params
