"""What a probe of the running app as each role found, kept as tests: each of these was a
500, a leak or a missing header before it was fixed (issue #13)."""

from __future__ import annotations

import itertools

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from skillgrid.config import Settings
from skillgrid.domain.assessments import OPERATOR, Entry
from skillgrid.domain.leveling import Rating
from skillgrid.services import accounts, assessments, cycles, people_import
from skillgrid.web.app import create_app, routes
from tests.web.conftest import PASSWORD, app_client, as_

__all__ = ["app_client"]  # the fixture, shared with the web tests

ANA = "/api/v1/people/ana@x.org"
# what Python's json module reads but nothing can store or write back out
UNUSABLE_JSON = {
    "NaN": b'{"statement": NaN}',
    "Infinity": b'{"ratings": [-Infinity]}',
    "1e309": b'{"revision": 1e309}',
    "lone surrogate": b'{"name": "\\ud800"}',
    "lone low surrogate": b'["a\\udc00b"]',
    "surrogate bytes": b'{"name": "\xed\xa0\x80"}',
    "deep nesting": b"[" * 100_000,
}
PARAMS = {
    "email": "ana@x.org",
    "cycle": "2026-H2",
    "rater": "self",
    "peer": "cy@x.org",
    "name": "sre",
    "framework": "sre",
    "team": "SRE",
    "track": "PO",
    "token_id": "1",
}


@pytest.fixture
def org(app_client, uow_factory):  # type: ignore[no-untyped-def]
    """Ana reports to Bo, who reports to Vi; Cy is Ana's colleague; root is an admin."""
    people_import.import_people(
        uow_factory(),
        b"name,email,team,manager_email,role\nVi,vi@x.org,SRE,,manager\n"
        b"Bo,bo@x.org,SRE,vi@x.org,manager\nCy,cy@x.org,SRE,bo@x.org,\n",
        "p.csv",
        actor=OPERATOR,
    )
    for email in ("bo@x.org", "cy@x.org", "vi@x.org"):
        accounts.add_user(uow_factory(), email, PASSWORD, actor=OPERATOR)
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    return app_client


def json_routes() -> list[tuple[str, str]]:
    """(method, path) of every API route that reads a JSON body."""
    return [
        (method, path.format(**PARAMS))
        for path, route in routes()
        if path.startswith("/api/") and route.body_field is not None
        for method in sorted(route.methods or ())
    ]


def test_every_api_route_with_a_body_is_probed() -> None:
    assert len(json_routes()) >= 8


def test_json_no_one_can_store_is_refused_with_422_naming_what_is_wrong(org) -> None:
    client = as_(org, "root@x.org")
    for (method, path), (kind, body) in itertools.product(json_routes(), UNUSABLE_JSON.items()):
        answer = client.request(
            method, path, content=body, headers={"content-type": "application/json"}
        )
        assert answer.status_code == 422, (kind, method, path, answer.text)
        (error,) = answer.json()["detail"]
        assert error["type"] == "json_invalid"
        assert "input" not in error  # what was sent is not echoed back
        assert error["msg"].startswith("JSON decode error: "), error


def test_validation_errors_do_not_echo_the_input(org) -> None:
    client = as_(org, "ana@x.org")
    secret = "my salary is 1 million"
    answer = client.put(f"{ANA}/assessments/2026-H2/self", json={"revision": secret})
    assert answer.status_code == 422
    assert secret not in answer.text
    assert answer.json()["detail"][0]["loc"] == ["body", "revision"]


def test_a_well_formed_surrogate_pair_is_text_and_is_kept(org) -> None:
    client = as_(org, "ana@x.org")
    rocket = b'{"rating": "meets", "comment": "\\ud83d\\ude80"}'
    body = b'{"revision": 0, "ratings": {"PO.1.1": ' + rocket + b"}}"
    answer = client.put(
        f"{ANA}/assessments/2026-H2/self",
        content=body,
        headers={"content-type": "application/json"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["ratings"]["PO.1.1"]["comment"] == "\U0001f680"


def test_drafts_read_through_the_audit_api_show_who_rated_but_not_what(org, uow_factory) -> None:
    mine = {"PO.1.1": Entry(Rating.NOT_APPLICABLE, "I own no products, Vi knows why")}
    assessments.rate(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "self", mine)
    for manager in ("bo@x.org", "vi@x.org"):
        client = as_(org, manager)
        answer = client.get("/api/v1/audit", params={"person": "ana@x.org"})
        assert answer.status_code == 200
        assert "Vi knows why" not in answer.text and "not_applicable" not in answer.text
        assert any(e["action"] == "rate" for e in answer.json()["entries"])
        assert client.get(f"{ANA}/assessments/2026-H2/self").status_code == 403
        assert "Vi knows why" not in client.get("/admin/audit").text  # admins only: 403


def test_naming_yourself_as_a_peer_tells_nothing_about_whether_a_person_exists(org) -> None:
    client = as_(org, "cy@x.org")
    answers = {}
    for who in ("ana@x.org", "nobody@x.org"):
        api = client.get(f"/api/v1/people/{who}/assessments/2026-H2/cy@x.org")
        page = client.get(f"/people/{who}/assess/2026-H2/cy@x.org")
        invite = client.post(f"/api/v1/people/{who}/assessments/2026-H2/cy@x.org/invite")
        answers[who] = (api.status_code, api.json(), page.status_code, invite.status_code)
        assert "Ana" not in api.text and "Ana" not in page.text
    assert answers["ana@x.org"][0] == 404
    assert (
        answers["ana@x.org"][1]["detail"].replace("ana@x.org", "nobody@x.org")
        == (answers["nobody@x.org"][1]["detail"])
    )
    assert answers["ana@x.org"][2:] == answers["nobody@x.org"][2:]


def test_a_manager_cannot_finalize_a_self_assessment(org, uow_factory) -> None:
    assessments.rate(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "self", {})
    assessments.submit(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "self")
    client = as_(org, "bo@x.org")
    answer = client.post(f"{ANA}/assessments/2026-H2/self/finalize")
    assert answer.status_code in (403, 409, 422)
    assert client.get(f"{ANA}/assessments/2026-H2/self").json()["state"] == "submitted"


def test_a_non_admin_is_refused_every_admin_form_and_nothing_changes(org, uow_factory) -> None:
    client = as_(org, "bo@x.org")
    csrf = client.get("/people/bo@x.org/growth").text.split('name="csrf_token" value="')[1]
    csrf = csrf.split('"')[0]
    forms = {
        "/admin/cycles": {"name": "2027-H1", "ladder": "sre"},
        "/admin/cycles/2026-H2/state": {"open": "false"},
        "/admin/accounts": {"email": "bo2@x.org", "password": "p" * 20, "admin": "on"},
        "/insight/targets": {
            "framework": "sre",
            "team": "SRE",
            "track": "Product ownership",
            "level": "2",
            "people": "1",
        },
    }
    for path, form in forms.items():
        assert client.post(path, data={**form, "csrf_token": csrf}).status_code == 403, path
    assert [c.name for c in cycles.list_cycles(uow_factory())] == ["2026-H2"]
    assert cycles.list_cycles(uow_factory())[0].open


def test_413_answers_carry_the_security_headers(org) -> None:
    answer = org.post("/api/v1/suggestions", content=b"x" * (9 * 1024 * 1024))
    assert answer.status_code == 413
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" in answer.headers


def test_revoking_a_revoked_token_is_a_404_and_audited_once(org, uow_factory) -> None:
    client = as_(org, "ana@x.org")
    made = client.post("/api/v1/tokens", json={"name": "laptop"}).json()
    assert client.delete(f"/api/v1/tokens/{made['id']}").status_code == 204
    again = client.delete(f"/api/v1/tokens/{made['id']}")
    assert again.status_code == 404
    trail = as_(org, "root@x.org").get("/api/v1/audit", params={"entity": "token"}).json()
    assert [e["action"] for e in trail["entries"]].count("revoke") == 1


def test_pages_never_copy_the_host_header_into_links(org) -> None:
    client = as_(org, "ana@x.org")
    for path in ("/people/ana@x.org/growth", "/ladders", "/login"):
        page = client.get(path, headers={"host": "evil.example"})
        assert "evil.example" not in page.text, path


def test_only_the_allowed_hosts_are_served(database_url, uow_factory) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(database_url=database_url, allowed_hosts="skills.example.com, *.corp")
    with TestClient(create_app(settings), base_url="http://skills.example.com") as client:
        assert client.get("/healthz").status_code == 200
        assert client.get("/login", headers={"host": "a.corp"}).status_code == 200
        refused = client.get("/login", headers={"host": "evil.example"})
        assert refused.status_code == 400
        assert "x-content-type-options" in refused.headers  # answered inside our headers


def test_an_https_base_url_makes_cookies_secure_behind_a_silent_proxy(database_url) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(database_url=database_url, base_url="https://skills.example.com/")
    with TestClient(create_app(settings), base_url="http://skills.example.com") as client:
        page = client.get("/login")
        assert "secure" in page.headers["set-cookie"].lower()
        assert page.headers["strict-transport-security"].startswith("max-age=")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SKILLGRID_BASE_URL", "skills.example.com"),
        ("SKILLGRID_BASE_URL", "ftp://skills.example.com"),
        ("SKILLGRID_BASE_URL", "https://skills.example.com/?next=x"),
        ("SKILLGRID_ALLOWED_HOSTS", "http://skills.example.com"),
        ("SKILLGRID_ALLOWED_HOSTS", "skills.example.com:8443"),
    ],
)
def test_host_settings_that_cannot_work_are_refused_at_start(monkeypatch, variable, value) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError) as refused:
        Settings()
    assert variable.removeprefix("SKILLGRID_").lower() in str(refused.value)
