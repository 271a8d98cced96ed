"""SCIM 2.0 at /scim/v2 as identity providers use it: provisioning people and teams,
finding them by filter, paging, PATCH in the forms Okta and Entra ID send, deprovisioning;
who reaches the routes; and what deactivating someone does to their sessions and tokens."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from skillgrid.domain.assessments import OPERATOR
from skillgrid.domain.audit import AuditQuery
from skillgrid.services import accounts, audit, people
from skillgrid.services.scim_tokens import create_scim_token, revoke_scim_token
from tests.web.conftest import as_, sign_in

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


@pytest.fixture
def scim(app_client: TestClient, uow_factory) -> TestClient:  # type: ignore[no-untyped-def]
    """A client holding a live SCIM token, as an identity provider would."""
    token = create_scim_token(uow_factory(), "okta", actor=OPERATOR)
    client = TestClient(app_client.app, follow_redirects=False)
    client.headers["authorization"] = f"Bearer {token}"
    return client


def user(email: str, **extra: Any) -> dict[str, Any]:
    return {
        "schemas": [USER_SCHEMA, ENTERPRISE],
        "userName": email,
        "name": {"givenName": email.split("@")[0].title(), "familyName": "Doe"},
        "emails": [{"value": email, "type": "work", "primary": True}],
        "active": True,
        **extra,
    }


def patch(*operations: dict[str, Any]) -> dict[str, Any]:
    return {"schemas": [PATCH], "Operations": list(operations)}


def provisioned(scim: TestClient, email: str) -> str:
    """The SCIM id of the User for ``email`` (found as Okta finds it)."""
    found = scim.get("/scim/v2/Users", params={"filter": f'userName eq "{email}"'}).json()
    assert found["totalResults"] == 1, found
    return str(found["Resources"][0]["id"])


def person(uow_factory, email: str):  # type: ignore[no-untyped-def]
    return {p.email: p for p in people.list_people(uow_factory(), OPERATOR)}[email]


def test_a_user_becomes_a_person_with_the_team_and_manager_the_hr_system_says(
    scim: TestClient, uow_factory
) -> None:
    boss = scim.post("/scim/v2/Users", json=user("bo@x.org"))  # Bo is on file: linked
    assert boss.status_code == 201, boss.text
    new = user(
        "kim@x.org",
        externalId="00u1",
        **{ENTERPRISE: {"department": "Platform", "manager": {"value": boss.json()["id"]}}},
    )
    made = scim.post("/scim/v2/Users", json=new)
    assert made.status_code == 201, made.text
    assert made.headers["content-type"] == "application/scim+json"
    assert made.headers["location"].endswith(f"/scim/v2/Users/{made.json()['id']}")
    assert made.headers["etag"] == made.json()["meta"]["version"]
    kim = person(uow_factory, "kim@x.org")
    assert (kim.name, kim.team, kim.manager, kim.active) == (
        "Kim Doe",
        "Platform",
        "bo@x.org",
        True,
    )
    shown = scim.get(f"/scim/v2/Users/{made.json()['id']}").json()
    assert shown["externalId"] == "00u1"
    assert shown[ENTERPRISE]["manager"]["value"] == boss.json()["id"]
    assert shown[ENTERPRISE]["department"] == "Platform"


def test_a_user_name_taken_is_refused_as_not_unique(scim: TestClient) -> None:
    assert scim.post("/scim/v2/Users", json=user("kim@x.org")).status_code == 201
    again = scim.post("/scim/v2/Users", json=user("KIM@x.org"))
    assert again.status_code == 409
    assert again.json()["schemas"] == [ERROR]
    assert again.json()["scimType"] == "uniqueness"


def test_users_are_found_by_user_name_and_paged(scim: TestClient) -> None:
    for name in ("a", "b", "c"):
        assert scim.post("/scim/v2/Users", json=user(f"{name}@corp.org")).status_code == 201
    none = scim.get("/scim/v2/Users", params={"filter": 'userName eq "nobody@corp.org"'})
    assert none.json()["totalResults"] == 0 and none.json()["Resources"] == []
    page = scim.get("/scim/v2/Users", params={"startIndex": 2, "count": 1}).json()
    assert (page["totalResults"], page["startIndex"], page["itemsPerPage"]) == (3, 2, 1)
    assert page["Resources"][0]["userName"] == "b@corp.org"


def test_a_filter_it_does_not_serve_is_refused_as_an_invalid_filter(scim: TestClient) -> None:
    answer = scim.get("/scim/v2/Users", params={"filter": 'name.familyName co "Doe"'})
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/scim+json"
    assert answer.json()["scimType"] == "invalidFilter"
    assert "userName eq" in answer.json()["detail"]


def test_deactivated_over_scim_the_person_is_signed_out_and_cannot_sign_in_again(
    app_client: TestClient, scim: TestClient, uow_factory
) -> None:
    ana = as_(app_client, "ana@x.org")
    assert ana.get("/me").status_code in (200, 303)
    assert not ana.get("/me").headers.get("location", "").startswith("/login")  # signed in
    api_token = accounts.create_token(uow_factory(), "ana@x.org", "laptop")[1]
    session = {"skillgrid_session": ana.cookies["skillgrid_session"]}
    ana_id = scim.post("/scim/v2/Users", json=user("ana@x.org")).json()["id"]
    # Entra ID deactivates with a string for the boolean
    off = scim.patch(
        f"/scim/v2/Users/{ana_id}",
        json=patch({"op": "Replace", "path": "active", "value": "False"}),
    )
    assert off.status_code == 200, off.text
    assert off.json()["active"] is False
    assert ana.get("/me").headers["location"].startswith("/login")  # the open session ended
    assert sign_in(ana).status_code == 401  # the password is refused
    api = TestClient(app_client.app, headers={"authorization": f"Bearer {api_token}"})
    assert api.get("/api/v1/frameworks").status_code == 401  # the API token stopped
    assert person(uow_factory, "ana@x.org").active is False  # history stays: still on file
    # Okta reactivates with a PATCH without path
    on = scim.patch(
        f"/scim/v2/Users/{ana_id}", json=patch({"op": "replace", "value": {"active": True}})
    )
    assert on.json()["active"] is True
    old = TestClient(app_client.app, follow_redirects=False, cookies=session)
    assert old.get("/me").headers["location"].startswith("/login")  # ended, not suspended
    assert api.get("/api/v1/frameworks").status_code == 401
    assert sign_in(as_(app_client, None)).headers["location"] == "/ladders"


def test_scim_changes_are_in_the_audit_trail_under_the_token_name(
    scim: TestClient, uow_factory
) -> None:
    ana_id = scim.post("/scim/v2/Users", json=user("ana@x.org")).json()["id"]
    scim.patch(
        f"/scim/v2/Users/{ana_id}", json=patch({"op": "replace", "path": "active", "value": False})
    )
    entries = audit.list_audit(uow_factory(), OPERATOR, AuditQuery(person="ana@x.org"))
    assert ("scim:okta", "deactivate") in {(e.actor, e.action) for e in entries}


def test_deleting_a_user_deactivates_the_person_and_forgets_the_user(
    scim: TestClient, uow_factory
) -> None:
    kim_id = scim.post("/scim/v2/Users", json=user("kim@x.org")).json()["id"]
    assert scim.delete(f"/scim/v2/Users/{kim_id}").status_code == 204
    assert scim.get(f"/scim/v2/Users/{kim_id}").status_code == 404
    assert person(uow_factory, "kim@x.org").active is False
    again = scim.post("/scim/v2/Users", json=user("kim@x.org"))  # provisioned anew: active
    assert again.status_code == 201
    assert person(uow_factory, "kim@x.org").active is True


def test_entra_sets_the_manager_by_bare_id_and_the_team_by_department_path(
    scim: TestClient, uow_factory
) -> None:
    bo_id = scim.post("/scim/v2/Users", json=user("bo@x.org")).json()["id"]
    kim_id = scim.post("/scim/v2/Users", json=user("kim@x.org")).json()["id"]
    answer = scim.patch(
        f"/scim/v2/Users/{kim_id}",
        json=patch(
            {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": bo_id},
            {"op": "Replace", "path": f"{ENTERPRISE}:department", "value": "Edge"},
            {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "kim@x.org"},
        ),
    )
    assert answer.status_code == 200, answer.text
    kim = person(uow_factory, "kim@x.org")
    assert (kim.manager, kim.team) == ("bo@x.org", "Edge")
    removed = scim.patch(
        f"/scim/v2/Users/{kim_id}", json=patch({"op": "Remove", "path": f"{ENTERPRISE}:manager"})
    )
    assert removed.status_code == 200
    assert person(uow_factory, "kim@x.org").manager is None


def test_a_manager_that_is_not_provisioned_is_refused_and_nothing_changes(
    scim: TestClient, uow_factory
) -> None:
    kim_id = scim.post("/scim/v2/Users", json=user("kim@x.org")).json()["id"]
    answer = scim.patch(
        f"/scim/v2/Users/{kim_id}",
        json=patch(
            {"op": "replace", "path": "name.givenName", "value": "Kimberly"},
            {"op": "add", "path": f"{ENTERPRISE}:manager", "value": {"value": "nope"}},
        ),
    )
    assert answer.status_code == 400
    assert answer.json()["scimType"] == "invalidValue"
    assert "nope" in answer.json()["detail"]
    assert person(uow_factory, "kim@x.org").name == "Kim Doe"


def test_a_group_is_a_team_and_its_members_the_people_in_it(scim: TestClient, uow_factory) -> None:
    kim_id = scim.post("/scim/v2/Users", json=user("kim@x.org")).json()["id"]
    lee_id = scim.post("/scim/v2/Users", json=user("lee@x.org")).json()["id"]
    group = {"schemas": [GROUP_SCHEMA], "displayName": "Databases", "members": [{"value": kim_id}]}
    made = scim.post("/scim/v2/Groups", json=group)
    assert made.status_code == 201, made.text
    group_id = made.json()["id"]
    assert person(uow_factory, "kim@x.org").team == "Databases"
    scim.patch(
        f"/scim/v2/Groups/{group_id}",
        json=patch({"op": "add", "path": "members", "value": [{"value": lee_id}]}),
    )
    scim.patch(
        f"/scim/v2/Groups/{group_id}",
        json=patch({"op": "remove", "path": f'members[value eq "{kim_id}"]'}),
    )
    assert person(uow_factory, "kim@x.org").team is None
    assert person(uow_factory, "lee@x.org").team == "Databases"
    shown = scim.get(f"/scim/v2/Groups/{group_id}").json()
    assert [m["value"] for m in shown["members"]] == [lee_id]
    found = scim.get("/scim/v2/Groups", params={"filter": 'displayName eq "databases"'}).json()
    assert [g["id"] for g in found["Resources"]] == [group_id]
    # Entra ID removes a member by value rather than by a path filter
    entra = {"op": "Remove", "path": "members", "value": [{"value": lee_id}]}
    assert scim.patch(f"/scim/v2/Groups/{group_id}", json=patch(entra)).status_code == 200
    assert person(uow_factory, "lee@x.org").team is None
    scim.patch(
        f"/scim/v2/Groups/{group_id}",
        json=patch({"op": "add", "path": "members", "value": [{"value": lee_id}]}),
    )
    renamed = scim.patch(
        f"/scim/v2/Groups/{group_id}",
        json=patch({"op": "replace", "path": "displayName", "value": "Storage"}),
    )
    assert renamed.json()["displayName"] == "Storage"
    assert person(uow_factory, "lee@x.org").team == "Storage"


def test_a_change_to_a_stale_version_is_refused(scim: TestClient) -> None:
    made = scim.post("/scim/v2/Users", json=user("kim@x.org")).json()
    url = f"/scim/v2/Users/{made['id']}"
    change = patch({"op": "replace", "path": "displayName", "value": "K"})
    assert scim.patch(url, json=change, headers={"if-match": made["meta"]["version"]}).is_success
    stale = scim.patch(url, json=change, headers={"if-match": made["meta"]["version"]})
    assert stale.status_code == 412
    assert stale.json()["schemas"] == [ERROR]


def test_only_a_live_scim_token_reaches_scim_and_it_reaches_nothing_else(
    app_client: TestClient, scim: TestClient, uow_factory
) -> None:
    personal = accounts.create_token(uow_factory(), "root@x.org", "admin script")[1]
    admin_api = TestClient(app_client.app, headers={"authorization": f"Bearer {personal}"})
    assert admin_api.get("/api/v1/frameworks").status_code == 200
    assert admin_api.get("/scim/v2/Users").status_code == 401
    admin_session = as_(app_client, "root@x.org")
    refused = admin_session.get("/scim/v2/Users")
    assert refused.status_code == 401
    assert refused.json()["schemas"] == [ERROR]
    assert scim.get("/scim/v2/Users").status_code == 200
    assert scim.get("/api/v1/frameworks").status_code == 401  # SCIM token: SCIM only
    assert scim.get("/ladders").status_code in (302, 303)  # … and no page either
    revoke_scim_token(uow_factory(), "okta", actor=OPERATOR)
    assert scim.get("/scim/v2/Users").status_code == 401


def test_discovery_says_what_the_server_serves(scim: TestClient) -> None:
    config = scim.get("/scim/v2/ServiceProviderConfig").json()
    assert config["patch"]["supported"] is True and config["bulk"]["supported"] is False
    assert config["filter"] == {"supported": True, "maxResults": 1000}
    types = scim.get("/scim/v2/ResourceTypes").json()["Resources"]
    assert {t["endpoint"] for t in types} == {"/Users", "/Groups"}
    user_schema = scim.get(f"/scim/v2/Schemas/{USER_SCHEMA}").json()
    names = {a["name"] for a in user_schema["attributes"]}
    assert {"userName", "name", "emails", "active"} <= names
    assert scim.get("/scim/v2/Nothing").status_code == 404
    assert scim.post("/scim/v2/ServiceProviderConfig").status_code == 405


def test_a_body_that_is_not_a_user_is_refused_with_what_is_wrong(scim: TestClient) -> None:
    answer = scim.post("/scim/v2/Users", json={"schemas": [USER_SCHEMA], "userName": 5})
    assert answer.status_code == 400
    assert "userName" in answer.json()["detail"]
    broken = scim.post(
        "/scim/v2/Users", content=b"{nope", headers={"content-type": "application/scim+json"}
    )
    assert broken.status_code == 400
    assert broken.json()["schemas"] == [ERROR]


def test_a_person_deactivated_over_scim_leaves_their_managers_team_and_comes_back(
    app_client: TestClient, scim: TestClient
) -> None:
    root = as_(app_client, "root@x.org")

    def team() -> list[str]:
        return [p["email"] for p in root.get("/api/v1/team").json()["people"]]

    assert "ana@x.org" in team()
    ana_id = scim.post("/scim/v2/Users", json=user("ana@x.org")).json()["id"]
    off = patch({"op": "replace", "path": "active", "value": False})
    assert scim.patch(f"/scim/v2/Users/{ana_id}", json=off).status_code == 200
    assert "ana@x.org" not in team()
    assert "bo@x.org" in team()
    on = patch({"op": "replace", "path": "active", "value": True})
    assert scim.patch(f"/scim/v2/Users/{ana_id}", json=on).status_code == 200
    assert "ana@x.org" in team()


def test_locations_are_built_from_the_base_url_not_the_host_header(
    database_url: str, uow_factory
) -> None:
    from skillgrid.config import Settings
    from skillgrid.web.app import create_app

    token = create_scim_token(uow_factory(), "entra", actor=OPERATOR)
    app = create_app(Settings(database_url=database_url, base_url="https://skills.example.com/"))
    with TestClient(app, headers={"authorization": f"Bearer {token}"}) as client:
        made = client.post("/scim/v2/Users", json=user("kim@x.org"), headers={"host": "evil.test"})
    assert (
        made.headers["location"] == f"https://skills.example.com/scim/v2/Users/{made.json()['id']}"
    )
