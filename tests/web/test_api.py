"""The JSON API: the access matrix (role × resource × action), tokens, and the 401, 404,
409 and 422 paths."""

from __future__ import annotations

import json

import pytest

from skillgrid.domain.assessments import OPERATOR, Entry
from skillgrid.domain.leveling import Rating
from skillgrid.services import accounts, assessments, cycles, frameworks, people_import
from tests.web.conftest import PASSWORD, as_

BASE = "/api/v1/people/ana@x.org"


@pytest.fixture
def org(app_client, uow_factory):  # type: ignore[no-untyped-def]
    """Ana reports to Bo; Cy is Ana's colleague; root is an admin. Ana's manager assessment
    is submitted; her self assessment is a draft."""
    people_import.import_people(
        uow_factory(),
        b"name,email,team,manager_email,role\nCy,cy@x.org,SRE,bo@x.org,\n",
        "p.csv",
        actor=OPERATOR,
    )
    for email in ("bo@x.org", "cy@x.org"):
        accounts.add_user(uow_factory(), email, PASSWORD, actor=OPERATOR)
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    met = {"PO.1.1": Entry(Rating.MEETS)}
    assessments.rate(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "manager", met)
    assessments.submit(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "manager")
    assessments.rate(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "self", met)
    return app_client


# who → (read manager assessment, read self draft, write self, finalize manager)
MATRIX = {
    None: (401, 401, 401, 401),
    "ana@x.org": (200, 200, 200, 403),
    "bo@x.org": (200, 403, 403, 200),
    "cy@x.org": (404, 404, 404, 404),
    "root@x.org": (200, 200, 200, 200),
}


@pytest.mark.parametrize("who", list(MATRIX), ids=lambda w: w or "anonymous")
def test_access_matrix(org, who) -> None:
    client = as_(org, who)
    read_manager, read_self, write_self, finalize = MATRIX[who]
    assert client.get(f"{BASE}/assessments/2026-H2/manager").status_code == read_manager
    assert client.get(f"{BASE}/assessments/2026-H2/self").status_code == read_self
    body = {"revision": 1, "ratings": {"PO.1.1": {"rating": "exceeds"}}}
    assert client.put(f"{BASE}/assessments/2026-H2/self", json=body).status_code == write_self
    final = client.post(f"{BASE}/assessments/2026-H2/manager/finalize", json={"revision": 2})
    assert final.status_code == finalize
    if finalize == 403:  # said for an API client: no command-line option in it
        assert "may not finalize" in final.json()["detail"] and "--as" not in final.text


def test_an_api_answer_takes_one_turn_in_the_thread_pool(org, monkeypatch) -> None:
    """The endpoint runs off the loop once; its answer is checked against the response
    model after it without a second turn in the pool (which under load doubled the API's
    latency), and still checked: what the model leaves out is not answered."""
    import anyio.to_thread

    turns: list[str] = []
    run_sync = anyio.to_thread.run_sync

    async def counted(function, *args, **kwargs):  # type: ignore[no-untyped-def]
        turns.append(getattr(function, "__name__", repr(function)))
        return await run_sync(function, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    client = as_(org, "ana@x.org")
    for path in ("/api/v1/frameworks/sre", f"{BASE}/assessments/2026-H2/self"):
        turns.clear()
        answer = client.get(path)
        assert answer.status_code == 200 and len(turns) == 1, (path, turns)
    body = {"revision": 1, "ratings": {"PO.1.1": {"rating": "exceeds"}}}
    turns.clear()
    written = client.put(f"{BASE}/assessments/2026-H2/self", json=body)
    assert written.status_code == 200 and len(turns) == 1, turns
    assert written.json()["revision"] == 2 and set(written.json()) == set(answer.json())


def test_results_follow_the_management_chain(org) -> None:
    as_(org, "root@x.org").post(
        f"{BASE}/assessments/2026-H2/manager/finalize", json={"revision": 2}
    )
    assert as_(org, "ana@x.org").get(f"{BASE}/results").json()["overall"] == 0
    assert as_(org, "bo@x.org").get(f"{BASE}/results").status_code == 200
    assert as_(org, "cy@x.org").get(f"{BASE}/results").status_code == 404
    team = as_(org, "bo@x.org").get("/api/v1/team").json()
    assert {p["email"] for p in team["people"]} == {"ana@x.org", "cy@x.org"}


def test_reports_and_ladders_answer_what_the_cli_prints(org, uow_factory) -> None:
    """The typed answers carry the same keys and values as the shared report and document
    functions (the CLI's JSON): the models document the data, they do not reshape it."""
    from skillgrid.exporters.native import framework_document
    from skillgrid.reports import person, team
    from skillgrid.services import frameworks, insight, results

    client = as_(org, "root@x.org")
    client.post(f"{BASE}/assessments/2026-H2/manager/finalize", json={"revision": 2})
    expected = {
        f"{BASE}/results": person.report_data(
            results.person_report(uow_factory(), OPERATOR, "ana@x.org")
        ),
        "/api/v1/teams/SRE/report": team.report_data(
            insight.team_report(uow_factory(), OPERATOR, "SRE")
        ),
        "/api/v1/org/report": team.report_data(insight.team_report(uow_factory(), OPERATOR)),
        "/api/v1/frameworks/sre": framework_document(
            frameworks.get_framework(uow_factory(), "sre")
        ),
    }
    for url, data in expected.items():
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert answer.json() == json.loads(json.dumps(data)), url


def test_stale_revisions_and_bad_bodies(org) -> None:
    client = as_(org, "ana@x.org")
    url = f"{BASE}/assessments/2026-H2/self"
    current = client.get(url).json()
    body = {"revision": current["revision"], "ratings": {"PO.1.1": {"rating": "meets"}}}
    assert client.put(url, json=body).status_code == 200
    stale = client.put(url, json=body)
    assert stale.status_code == 409 and "reload" in stale.json()["detail"]
    assert (
        client.put(
            url, json={"revision": 2, "ratings": {"PO.1.1": {"rating": "great"}}}
        ).status_code
        == 422
    )
    unknown = client.put(url, json={"revision": 2, "ratings": {"ZZ.1.1": {"rating": "meets"}}})
    assert unknown.status_code == 422 and "unknown criterion" in unknown.json()["detail"]
    no_reason = client.put(url, json={"revision": 2, "ratings": {"PO.1.1": {"rating": "n/a"}}})
    assert no_reason.status_code == 422
    assert client.put(url, json={"ratings": {}}).status_code == 422
    assert client.get(f"{BASE}/assessments/2099/self").status_code == 404


def test_an_assessment_s_ratings_come_in_the_ladder_s_order_whatever_order_they_were_saved(
    org, uow_factory
) -> None:
    ladder = [c.id for c in frameworks.get_framework(uow_factory(), "sre").criteria]
    chosen = ladder[::7]
    client = as_(org, "ana@x.org")
    url = f"{BASE}/assessments/2026-H2/self"
    revision = client.get(url).json()["revision"]
    ratings = {cid: {"rating": "meets"} for cid in reversed(chosen)}
    assert client.put(url, json={"revision": revision, "ratings": ratings}).status_code == 200
    assert list(client.get(url).json()["ratings"]) == chosen


def test_a_put_answers_with_its_own_write_even_when_another_lands_right_after(
    org, uow_factory, monkeypatch
) -> None:
    # the answer's revision is what the client sends next: were it another writer's, the
    # client would overwrite that writer's ratings without a conflict (a lost update)
    client = as_(org, "ana@x.org")
    url = f"{BASE}/assessments/2026-H2/self"
    revision = client.get(url).json()["revision"]
    real = assessments.rate

    def then_another(*args, **kwargs):  # type: ignore[no-untyped-def]
        saved = real(*args, **kwargs)
        other = {"NET.1.1": Entry(Rating.EXCEEDS)}
        real(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "self", other)
        return saved

    monkeypatch.setattr(assessments, "rate", then_another)
    body = {"revision": revision, "ratings": {"PO.1.1": {"rating": "meets"}}}
    mine = client.put(url, json=body).json()
    assert mine["revision"] == revision + 1
    assert mine["ratings"] == {
        "PO.1.1": {
            "rating": "meets",
            "reason": None,
            "comment": None,
            "needs_review": False,
            "review_reason": None,
        }
    }
    assert client.get(url).json()["revision"] == revision + 2  # the other write, after


def test_finalized_is_read_only_over_the_api(org) -> None:
    client = as_(org, "bo@x.org")
    assert (
        client.post(
            f"{BASE}/assessments/2026-H2/manager/finalize", json={"revision": 2}
        ).status_code
        == 200
    )
    body = {"revision": 3, "ratings": {}}
    again = client.put(f"{BASE}/assessments/2026-H2/manager", json=body)
    assert again.status_code == 409 and "read-only" in again.json()["detail"]


def test_personal_tokens_work_until_revoked(org) -> None:
    client = as_(org, "ana@x.org")
    made = client.post("/api/v1/tokens", json={"name": "ladder sync"})
    assert made.status_code == 201
    token, token_id = made.json()["token"], made.json()["id"]
    client.cookies.clear()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).json() == {
        "email": "ana@x.org",
        "role": "engineer",
    }
    assert client.post("/api/v1/tokens", json={"name": "x"}, headers=headers).status_code == 403
    assert client.delete(f"/api/v1/tokens/{token_id}", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    listed = as_(client, "ana@x.org").get("/api/v1/tokens").json()
    assert listed[0]["revoked"] is True and "token" not in listed[0]
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer nope"}).status_code == 401


EVIDENCE_MATRIX = {  # who → (list Ana's evidence, link it)
    None: (401, 401),
    "ana@x.org": (200, 200),
    "bo@x.org": (200, 403),
    "cy@x.org": (404, 404),
    "root@x.org": (200, 200),
}


@pytest.mark.parametrize("who", list(EVIDENCE_MATRIX), ids=lambda w: w or "anonymous")
def test_evidence_access_matrix(org, uow_factory, who) -> None:
    from skillgrid.domain.evidence import Evidence
    from skillgrid.services import evidence

    item = evidence.add_evidence(uow_factory(), OPERATOR, Evidence("ana@x.org", "DNS"), [], "sre")
    client = as_(org, who)
    read, link = EVIDENCE_MATRIX[who]
    assert client.get(f"{BASE}/evidence").status_code == read
    body = {"framework": "sre", "links": {"PO.1.1": [item.id]}}
    assert client.put(f"{BASE}/evidence/links", json=body).status_code == link


def test_evidence_is_linked_and_unlinked_per_criterion(org, uow_factory) -> None:
    from skillgrid.domain.evidence import Evidence
    from skillgrid.services import evidence

    def add(title: str, owner: str = "ana@x.org") -> int:
        stored = evidence.add_evidence(uow_factory(), OPERATOR, Evidence(owner, title), [], "sre")
        return stored.id or 0

    dns, talk, cys = add("DNS"), add("SLO talk"), add("Cy's", "cy@x.org")
    client = as_(org, "ana@x.org")
    body = {"links": {"PO.1.1": [dns, talk], "NET.1.1": [talk]}}
    answer = client.put(f"{BASE}/evidence/links", json=body).json()
    assert answer["framework"] == {"name": "sre", "version": 1}
    assert {i["title"]: i["criteria"] for i in answer["items"]} == {
        "SLO talk": ["PO.1.1", "NET.1.1"],  # in ladder order
        "DNS": ["PO.1.1"],
    }
    client.put(f"{BASE}/evidence/links", json={"links": {"PO.1.1": [dns]}})
    listed = client.get(f"{BASE}/evidence", params={"framework": "sre"}).json()["items"]
    assert {i["title"]: i["criteria"] for i in listed} == {
        "SLO talk": ["NET.1.1"],
        "DNS": ["PO.1.1"],
    }
    theirs = client.put(f"{BASE}/evidence/links", json={"links": {"PO.1.1": [cys]}})
    assert theirs.status_code == 404 and f"no evidence #{cys}" in theirs.json()["detail"]
    unknown = client.put(f"{BASE}/evidence/links", json={"links": {"PO.9.9": [dns]}})
    assert unknown.status_code == 422 and "unknown criterion" in unknown.json()["detail"]
    assert client.put(f"{BASE}/evidence/links", json={"links": {"PO.1.1": [0]}}).status_code == 422


def test_a_review_not_started_reads_not_started_as_on_its_page_and_a_put_starts_it(
    app_client, uow_factory
) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    root = as_(app_client, "root@x.org")
    url = "/api/v1/people/ana@x.org/assessments/2026-H2/manager"
    page = root.get("/people/ana@x.org/assess/2026-H2/manager")
    assert page.context["state_words"] == "not started"
    unstarted = root.get(url)
    assert unstarted.status_code == 200
    assert (unstarted.json()["state"], unstarted.json()["revision"]) == ("not_started", 0)
    assert unstarted.json()["ratings"] == {}
    body = {"revision": 0, "ratings": {"PO.1.1": {"rating": "meets"}}}
    started = root.put(url, json=body)
    assert started.status_code == 200, started.text
    assert (started.json()["state"], started.json()["revision"]) == ("draft", 1)
    assert root.get(url).json()["state"] == "draft"
    emptied = root.put(url, json={"revision": 1, "ratings": {}})  # begun, then emptied
    assert emptied.json()["state"] == "draft" and root.get(url).json()["state"] == "draft"
