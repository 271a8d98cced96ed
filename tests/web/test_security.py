"""Fixes from a security review: deactivation, password resets and tokens, admin rights,
enumeration, peer invitations, oversized and malformed requests."""

from __future__ import annotations

from skillgrid.domain.assessments import OPERATOR
from skillgrid.domain.people import Role
from skillgrid.services import accounts, assessments, cycles, people, people_import
from tests.web.conftest import PASSWORD, sign_in


def token_for(client, email: str) -> str:  # type: ignore[no-untyped-def]
    client.cookies.clear()
    sign_in(client, email)
    token = client.post("/api/v1/tokens", json={"name": "script"}).json()["token"]
    client.cookies.clear()
    return str(token)


def test_a_deactivated_person_loses_sessions_tokens_and_sign_in(app_client, uow_factory) -> None:
    token = token_for(app_client, "ana@x.org")
    sign_in(app_client, "ana@x.org")
    people.change_person(uow_factory(), "ana@x.org", active=False, actor=OPERATOR)
    assert app_client.get("/ladders/sre").status_code == 303  # signed out
    assert (
        app_client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )
    assert sign_in(app_client, "ana@x.org").status_code == 401


def test_a_new_password_stops_every_api_token(app_client, uow_factory) -> None:
    token = token_for(app_client, "ana@x.org")
    accounts.add_user(uow_factory(), "ana@x.org", "a brand new passphrase", actor=OPERATOR)
    assert (
        app_client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )


def test_admin_rights_come_only_from_the_account(app_client, uow_factory) -> None:
    people.change_person(uow_factory(), "ana@x.org", role=Role.ADMIN, actor=OPERATOR)
    sign_in(app_client, "ana@x.org")
    assert app_client.get("/admin").status_code == 403
    assert app_client.get("/api/v1/me").json()["role"] == "manager"


def test_hidden_and_missing_people_answer_alike(app_client, uow_factory) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    accounts.add_user(uow_factory(), "bo@x.org", PASSWORD, actor=OPERATOR)
    sign_in(app_client, "ana@x.org")
    hidden = app_client.get("/api/v1/people/bo@x.org/assessments/2026-H2/manager")
    missing = app_client.get("/api/v1/people/zed@x.org/assessments/2026-H2/manager")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["detail"].replace("bo@x.org", "X") == missing.json()["detail"].replace(
        "zed@x.org", "X"
    )


def test_only_invited_peers_review(app_client, uow_factory) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    people_import.import_people(
        uow_factory(),
        b"name,email,team,manager_email,role\nCy,cy@x.org,SRE,bo@x.org,\n",
        "p.csv",
        actor=OPERATOR,
    )
    accounts.add_user(uow_factory(), "cy@x.org", PASSWORD, actor=OPERATOR)
    sign_in(app_client, "cy@x.org")
    url = "/api/v1/people/ana@x.org/assessments/2026-H2/cy@x.org"
    body = {"revision": 0, "ratings": {"PO.1.1": {"rating": "not_yet", "comment": "nope"}}}
    assert app_client.put(url, json=body).status_code == 404
    assessments.invite_peer(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "cy@x.org")
    body["revision"] = 1
    assert app_client.put(url, json=body).status_code == 200


def test_oversized_and_malformed_requests_are_clean_4xx(app_client) -> None:
    sign_in(app_client, "ana@x.org")
    too_big = app_client.post(
        "/login",
        content=b"x" * (9 * 1024 * 1024),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert too_big.status_code == 413
    not_json = app_client.put(
        "/api/v1/people/ana@x.org/assessments/2026-H2/self",
        content=b"\xff\xfe not json",
        headers={"content-type": "application/json"},
    )
    assert not_json.status_code == 422  # "not UTF-8 text", not a 500
    assert not_json.json()["detail"][0]["type"] == "json_invalid"
    assert app_client.get("/ladders/sre", params={"version": 10**20}).status_code == 422
    assert app_client.delete(f"/api/v1/tokens/{10**20}").status_code == 422
