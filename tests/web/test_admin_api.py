"""The admin side of the API: people listed with filters and paging, added, changed and
deactivated (sessions and tokens end at once); teams added; cycles opened with due dates,
closed and reopened — admins only, and bad input changes nothing."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from skillgrid.domain.assessments import OPERATOR
from skillgrid.services import accounts, people_import
from tests.conftest import table_snapshot
from tests.web.conftest import PASSWORD, as_

API = "/api/v1"


def more_people(uow_factory) -> None:  # type: ignore[no-untyped-def]
    people_import.import_people(
        uow_factory(),
        b"name,email,team,manager_email,role\n"
        b"Cy Diaz,cy@x.org,SRE,bo@x.org,engineer\nDee Ray,dee@x.org,SRE,cy@x.org,engineer\n",
        "more.csv",
        actor=OPERATOR,
    )


def test_people_are_listed_with_filters_a_page_at_a_time(app_client, uow_factory) -> None:
    more_people(uow_factory)
    admin = as_(app_client, "root@x.org")
    everyone = admin.get(f"{API}/people").json()
    assert [p["email"] for p in everyone["items"]] == [
        "ana@x.org",
        "bo@x.org",
        "cy@x.org",
        "dee@x.org",
    ]
    assert everyone["total"] == 4 and everyone["next_offset"] is None
    page = admin.get(f"{API}/people", params={"limit": 2, "offset": 1}).json()
    assert [p["email"] for p in page["items"]] == ["bo@x.org", "cy@x.org"]
    assert page["next_offset"] == 3 and page["total"] == 4
    under_bo = admin.get(f"{API}/people", params={"manager": "BO@x.org"}).json()
    assert [p["email"] for p in under_bo["items"]] == ["ana@x.org", "cy@x.org"]
    managers = admin.get(f"{API}/people", params={"role": "manager"}).json()
    assert [p["email"] for p in managers["items"]] == ["bo@x.org"]
    named = admin.get(f"{API}/people", params={"q": "RAY"}).json()
    assert named["items"] == [
        {
            "email": "dee@x.org",
            "name": "Dee Ray",
            "team": "SRE",
            "manager": "cy@x.org",
            "role": "engineer",
            "active": True,
        }
    ]


def test_an_admin_adds_and_changes_a_person_and_a_team(app_client) -> None:
    admin = as_(app_client, "root@x.org")
    team = admin.post(f"{API}/teams", json={"name": "Edge", "parent": "SRE"})
    assert team.status_code == 201 and team.json() == {"name": "Edge", "parent": "SRE"}
    body = {"email": "Eve@x.org", "name": "Eve Ng", "team": "Edge", "manager": "bo@x.org"}
    added = admin.post(f"{API}/people", json=body)
    assert added.status_code == 201 and added.json()["email"] == "eve@x.org"
    assert admin.post(f"{API}/people", json=body).status_code == 409
    changed = admin.patch(f"{API}/people/eve@x.org", json={"role": "manager", "manager": ""})
    assert changed.status_code == 200
    assert (changed.json()["role"], changed.json()["manager"]) == ("manager", None)


@pytest.mark.parametrize("email", ["nobody@x.org", "0@0.\u00a0"])
def test_changing_someone_not_on_file_is_404_whatever_the_email_looks_like(
    app_client, email
) -> None:
    """The path names a person to find, not an email to store: an address the path's
    pattern lets through but that reads as no email once its surrounding spaces go (a
    no-break space ends the second one) is not on file either — 404, not a 422 about
    the email."""
    admin = as_(app_client, "root@x.org")
    answer = admin.patch(f"{API}/people/{quote(email)}", json={"name": "X"})
    assert answer.status_code == 404, answer.text
    assert "no person" in answer.json()["detail"]


def test_deactivating_a_person_ends_their_sessions_and_tokens_at_once(
    app_client, uow_factory
) -> None:
    from fastapi.testclient import TestClient

    _, token = accounts.create_token(uow_factory(), "ana@x.org", "script")
    ana = TestClient(app_client.app, follow_redirects=False)
    as_(ana, "ana@x.org")
    assert ana.get("/me").status_code == 303  # signed in: to her growth page
    admin = as_(app_client, "root@x.org")
    gone = admin.patch(f"{API}/people/ana@x.org", json={"active": False})
    assert gone.status_code == 200 and gone.json()["active"] is False
    assert ana.get("/me").headers["location"].startswith("/login")
    auth = {"Authorization": f"Bearer {token}"}
    assert admin.get(f"{API}/me", headers=auth).status_code == 401
    inactive = admin.get(f"{API}/people", params={"active": "false"}).json()
    assert [p["email"] for p in inactive["items"]] == ["ana@x.org"]


def test_an_admin_opens_closes_and_reopens_a_cycle(app_client) -> None:
    admin = as_(app_client, "root@x.org")
    body = {"name": "2027-H1", "due": {"self": "2027-03-01", "close": "2027-03-31"}}
    opened = admin.post(f"{API}/cycles", json=body)
    assert opened.status_code == 201
    assert opened.json()["open"] is True and opened.json()["due"]["close"] == "2027-03-31"
    assert admin.post(f"{API}/cycles/2027-H1/close").json()["open"] is False
    assert admin.post(f"{API}/cycles/2027-H1/reopen").json()["open"] is True
    assert admin.post(f"{API}/cycles/nope/close").status_code == 404


BAD = [
    ("post", "/people", {"email": "x@x.org", "name": "X", "team": "Nowhere"}),
    ("post", "/people", {"email": "x@x.org", "name": "X", "manager": "nobody@x.org"}),
    ("post", "/people", {"email": "not an email", "name": "X"}),
    ("patch", "/people/bo@x.org", {"manager": "ana@x.org"}),  # Ana reports to Bo: a loop
    ("patch", "/people/nobody@x.org", {"name": "Y"}),
    ("post", "/teams", {"name": "SRE"}),
    ("post", "/teams", {"name": "Edge", "parent": "Nowhere"}),
    ("post", "/cycles", {"name": "2027-H1", "framework": "nope"}),
    ("post", "/cycles", {"name": "2027-H1", "due": {"close": "2027-01-01", "self": "2027-02-01"}}),
]


def test_bad_input_gets_a_clear_error_and_changes_nothing(app_client, database_url) -> None:
    admin = as_(app_client, "root@x.org")
    before = table_snapshot(database_url)
    for method, path, body in BAD:
        answer = getattr(admin, method)(f"{API}{path}", json=body)
        assert answer.status_code in (404, 409, 422), (path, body, answer.status_code)
        assert answer.json()["detail"], (path, body)
    assert table_snapshot(database_url) == before


def test_only_admins_reach_the_admin_api(app_client, uow_factory) -> None:
    accounts.add_user(uow_factory(), "bo@x.org", PASSWORD, actor=OPERATOR)
    for email in ("ana@x.org", "bo@x.org"):
        client = as_(app_client, email)
        assert client.get(f"{API}/people").status_code == 403
        assert client.post(f"{API}/teams", json={"name": "Mine"}).status_code == 403
        assert client.post(f"{API}/cycles", json={"name": "2027-H1"}).status_code == 403


def test_deactivating_a_manager_over_the_api_answers_whose_reports_went_where(
    app_client,
) -> None:
    admin = as_(app_client, "root@x.org")
    added = admin.post(
        f"{API}/people", json={"email": "cy@x.org", "name": "Cy", "manager": "ana@x.org"}
    )
    assert added.status_code == 201, added.text
    gone = admin.patch(f"{API}/people/ana@x.org", json={"active": False})
    assert gone.status_code == 200, gone.text
    assert gone.json()["active"] is False
    assert [(p["email"], p["manager"]) for p in gone.json()["handed_over"]] == [
        ("cy@x.org", "bo@x.org")
    ]
    renamed = admin.patch(f"{API}/people/cy@x.org", json={"name": "Cy D."})
    assert renamed.json()["handed_over"] == []
