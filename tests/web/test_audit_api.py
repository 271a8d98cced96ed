"""GET /api/v1/audit: who reads what, filters and pages; a change through the API is
recorded with the signed-in caller as the actor."""

from __future__ import annotations

from tests.web.test_api import BASE, as_, org  # noqa: F401  (the fixture)

AUDIT = "/api/v1/audit"


def test_a_change_through_the_api_names_the_caller(org) -> None:  # noqa: F811
    client = as_(org, "ana@x.org")
    body = {"revision": 1, "ratings": {"PO.1.1": {"rating": "exceeds"}}}
    assert client.put(f"{BASE}/assessments/2026-H2/self", json=body).status_code == 200
    entries = client.get(AUDIT, params={"entity": "assessment"}).json()["entries"]
    newest = entries[0]
    assert (newest["actor"], newest["action"], newest["entity_id"]) == (
        "ana@x.org",
        "rate",
        "ana@x.org/2026-H2/self",
    )
    assert newest["before"]["PO.1.1"]["rating"] == "meets"
    assert newest["after"]["PO.1.1"]["rating"] == "exceeds"
    assert newest["at"].endswith(("+00:00", "Z"))


def test_who_reads_the_trail(org) -> None:  # noqa: F811
    assert as_(org, None).get(AUDIT).status_code == 401
    everything = as_(org, "root@x.org").get(AUDIT).json()["entries"]
    assert {e["entity"] for e in everything} >= {"assessment", "person", "account", "cycle"}
    bo = as_(org, "bo@x.org").get(AUDIT, params={"person": "ana@x.org"})
    assert bo.status_code == 200
    assert {e["action"] for e in bo.json()["entries"]} >= {"rate", "submit"}
    cy = as_(org, "cy@x.org")
    assert cy.get(AUDIT, params={"person": "ana@x.org"}).status_code == 404
    assert all(e["person"] == "cy@x.org" for e in cy.get(AUDIT).json()["entries"])
    ana = as_(org, "ana@x.org").get(AUDIT).json()["entries"]
    assert all(e["person"] == "ana@x.org" for e in ana)
    assert not [e for e in ana if e["action"] == "rate" and e["actor"] != "ana@x.org"]


def test_filters_pages_and_bad_filters(org) -> None:  # noqa: F811
    client = as_(org, "root@x.org")
    first = client.get(AUDIT, params={"limit": 2}).json()
    assert len(first["entries"]) == 2 and first["next_offset"] == 2
    second = client.get(AUDIT, params={"limit": 2, "offset": 2}).json()
    assert {e["id"] for e in first["entries"]}.isdisjoint(e["id"] for e in second["entries"])
    later = client.get(AUDIT, params={"since": "2999-01-01T00:00:00Z"}).json()
    assert later["entries"] == [] and later["next_offset"] is None
    assert client.get(AUDIT, params={"entity": "secrets"}).status_code == 422
    assert client.get(AUDIT, params={"limit": 0}).status_code == 422


def test_the_trail_has_no_write_paths(org) -> None:  # noqa: F811
    client = as_(org, "root@x.org")
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)(AUDIT).status_code == 405


def test_every_kind_of_entry_the_services_record_is_served(org, uow_factory) -> None:  # noqa: F811
    """The API's entity list is the services' list: an entry about a SCIM token (or any
    kind added later) is answered, not a 500 from the answer's model."""
    from skillgrid.domain.assessments import OPERATOR
    from skillgrid.services.scim_tokens import create_scim_token

    create_scim_token(uow_factory(), "okta", actor=OPERATOR)
    answer = as_(org, "root@x.org").get(AUDIT, params={"entity": "scim_token"})
    assert answer.status_code == 200, answer.text
    assert [e["entity_id"] for e in answer.json()["entries"]] == ["okta"]
