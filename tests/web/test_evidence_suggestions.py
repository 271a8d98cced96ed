"""Evidence from text on the web: the review page (paste or upload, accept / change / skip)
and the API, under the evidence permission rules; bad input changes nothing."""

from __future__ import annotations

import re

import pytest

from skillgrid.domain.assessments import OPERATOR
from skillgrid.services import accounts, evidence
from tests.web.conftest import PASSWORD, sign_in

BRAG = (
    "# Wins\n"
    "- Set up BGP peering and NAT traversal for our edge routers\n"
    "- Renewed the TLS certificates and moved logins to SSH keys\n"
    "- Went on holiday to Spain\n"
)


def csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found
    return found.group(1)


def evidence_of(uow_factory, email: str = "ana@x.org") -> list:  # type: ignore[no-untyped-def]
    return evidence.list_evidence(uow_factory(), OPERATOR, email)


@pytest.fixture
def ana(app_client):  # type: ignore[no-untyped-def]
    sign_in(app_client)
    return app_client


def test_the_page_and_the_api_need_a_signed_in_caller(app_client) -> None:
    page = app_client.get("/evidence/suggest")
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    assert app_client.post("/api/v1/suggestions", json={"text": BRAG}).status_code == 401


def test_paste_or_upload_review_and_accept_creates_linked_evidence(ana, uow_factory) -> None:
    form = ana.get("/evidence/suggest")
    assert form.status_code == 200 and form.template.name == "evidence_suggest.html"
    token = csrf(form.text)
    review = ana.post("/evidence/suggest", data={"csrf_token": token, "text": BRAG})
    assert review.status_code == 200, review.text
    statements = review.context["result"]["statements"]
    assert statements[0]["statement"].startswith("Set up BGP peering")
    assert "NET.3.5" in [s["criterion"] for s in statements[0]["suggestions"]]
    assert statements[2]["no_match"] and "No good match." in review.text
    assert evidence_of(uow_factory) == []  # suggesting stores nothing
    accepted = ana.post(
        "/evidence/accept",
        data={
            "csrf_token": token,
            "framework": "sre",
            "version": "1",
            "statement-0": statements[0]["statement"],
            "choice-0": "NET.3.5",
            "statement-1": statements[1]["statement"],
            "choice-1": "other",
            "other-1": "SEC.1.3",
            "statement-2": statements[2]["statement"],
            "choice-2": "skip",
        },
    )
    assert accepted.status_code == 200 and len(accepted.context["created"]) == 2
    stored = sorted(evidence_of(uow_factory), key=lambda e: e.id)
    assert [e.title for e in stored] == [s["statement"] for s in statements[:2]]
    assert all(len(e.criteria) == 1 for e in stored)
    uploaded = ana.post(  # a Markdown file is read like pasted text
        "/evidence/suggest",
        data={"csrf_token": token},
        files={"file": ("brag.md", BRAG.encode(), "text/markdown")},
    )
    assert uploaded.status_code == 200
    again = uploaded.context["result"]["statements"]
    assert [s["statement"] for s in again] == [s["statement"] for s in statements]
    # what Ana accepted teaches later suggestions (#15): her own choice now comes first
    assert again[1]["suggestions"][0]["criterion"] == "SEC.1.3"


BAD_PAGE_INPUT = [
    ({"text": ""}, None, 422),
    ({"text": "x" * 200_001}, None, 422),
    ({"text": BRAG, "framework": "nope"}, None, 404),
    ({}, {"file": ("big.md", b"- a b c\n" * 300_000, "text/markdown")}, 422),
    ({}, {"file": ("latin1.txt", "caf\xe9 con le\xf1a".encode("latin-1"), "text/plain")}, 422),
    ({"text": BRAG, "csrf_token": "forged"}, None, 403),
]


def test_bad_input_gets_a_clear_error_and_changes_nothing(ana, uow_factory) -> None:
    token = csrf(ana.get("/evidence/suggest").text)
    for data, files, status in BAD_PAGE_INPUT:
        response = ana.post("/evidence/suggest", data={"csrf_token": token, **data}, files=files)
        assert response.status_code == status, (data.keys(), response.text[:200])
    for choice in ("NOPE.1.1", ""):
        bad_accept = ana.post(
            "/evidence/accept",
            data={"csrf_token": token, "statement-0": "Did a thing", "choice-0": choice},
        )
        assert bad_accept.status_code == 422
    assert evidence_of(uow_factory) == []


def test_the_api_suggests_and_accepts_for_the_caller(ana, uow_factory) -> None:
    found = ana.post("/api/v1/suggestions", json={"text": BRAG, "top": 2})
    assert found.status_code == 200, found.text
    body = found.json()
    assert body["framework"] == {"name": "sre", "version": 1}
    first = body["statements"][0]
    assert set(first) == {"statement", "context", "no_match", "suggestions"}
    assert first["context"] == "Wins" and len(first["suggestions"]) <= 2
    assert set(first["suggestions"][0]) == {"criterion", "text", "score"}
    created = ana.post(
        "/api/v1/people/ana@x.org/evidence/accept",
        json={"items": [{"statement": first["statement"], "criteria": ["NET.3.5", "NET.1.3"]}]},
    )
    assert created.status_code == 201, created.text
    assert created.json()[0]["criteria"] == ["NET.1.3", "NET.3.5"]
    assert len(evidence_of(uow_factory)) == 1
    # across tracks, in ladder order (PO comes before CW), as every evidence answer gives them
    across = ana.post(
        "/api/v1/people/ana@x.org/evidence/accept",
        json={"items": [{"statement": "Ran the on-call rota", "criteria": ["CW.1.1", "PO.1.1"]}]},
    )
    assert across.status_code == 201, across.text
    assert across.json()[0]["criteria"] == ["PO.1.1", "CW.1.1"]
    listed = ana.get("/api/v1/people/ana@x.org/evidence").json()["items"]
    assert [i["criteria"] for i in listed if i["id"] == across.json()[0]["id"]] == [
        ["PO.1.1", "CW.1.1"]
    ]


def test_bad_api_requests_are_4xx_and_change_nothing(ana, uow_factory) -> None:
    for body, status in [
        ({"text": ""}, 422),
        ({"text": "x" * 200_001}, 422),
        ({"text": BRAG, "framework": "nope"}, 404),
        ({"text": BRAG, "top": 0}, 422),
    ]:
        assert ana.post("/api/v1/suggestions", json=body).status_code == status
    accept = "/api/v1/people/ana@x.org/evidence/accept"
    for items in (
        [],
        [{"statement": "Did it", "criteria": []}],
        [{"statement": "Did it", "criteria": ["NOPE.1.1"]}],
    ):
        assert ana.post(accept, json={"items": items}).status_code == 422
    assert evidence_of(uow_factory) == []


def test_only_the_owner_or_an_admin_accepts_onto_evidence(app_client, uow_factory) -> None:
    accounts.add_user(uow_factory(), "bo@x.org", PASSWORD, actor=OPERATOR)
    item = {"items": [{"statement": "Set up BGP peering for anycast", "criteria": ["NET.3.5"]}]}
    sign_in(app_client, "bo@x.org")  # Ana's manager: may read her evidence, not write it
    assert app_client.post("/api/v1/people/ana@x.org/evidence/accept", json=item).status_code == 403
    app_client.cookies.clear()
    sign_in(app_client, "ana@x.org")  # an engineer cannot write onto her manager's evidence
    refused = app_client.post("/api/v1/people/bo@x.org/evidence/accept", json=item)
    assert refused.status_code in (403, 404)
    assert evidence_of(uow_factory) == [] and evidence_of(uow_factory, "bo@x.org") == []
    app_client.cookies.clear()
    sign_in(app_client, "root@x.org")  # an admin may
    assert app_client.post("/api/v1/people/ana@x.org/evidence/accept", json=item).status_code == 201


def test_a_refused_accept_gives_back_the_review_with_every_choice_as_made(ana, uow_factory) -> None:
    token = csrf(ana.get("/evidence/suggest").text)
    review = ana.post("/evidence/suggest", data={"csrf_token": token, "text": BRAG})
    statements = review.context["result"]["statements"]
    form = {
        "csrf_token": token,
        "framework": "sre",
        "version": "1",
        "review": re.search(r"name=\"review\" value='([^']*)'", review.text).group(1),  # type: ignore[union-attr]
        "statement-0": statements[0]["statement"],
        "choice-0": "NET.3.5",
        "statement-1": statements[1]["statement"],
        "choice-1": "other",  # "change to" with no criterion chosen: not silently skipped
        "other-1": "",
        "statement-2": statements[2]["statement"],
        "choice-2": "other",
        "other-2": "SEC.1.3",
    }
    refused = ana.post("/evidence/accept", data=form)
    assert refused.status_code == 422 and "statement 2 has no criterion" in refused.context["error"]
    assert refused.context["result"]["statements"] == statements  # the review, not the text box
    assert refused.context["chosen"] == {
        "0": {"choice": "NET.3.5", "other": ""},
        "1": {"choice": "other", "other": ""},
        "2": {"choice": "other", "other": "SEC.1.3"},
    }
    page = refused.text
    assert re.search(r'name="choice-0" value="NET.3.5"\s+checked', page)
    assert re.search(r'name="choice-2" value="other"\s+checked', page)
    assert re.search(r'<option value="SEC.1.3"\s+selected', page)
    assert evidence_of(uow_factory) == []


def test_evidence_from_text_is_for_the_ladder_version_of_the_open_cycle(ana, uow_factory) -> None:
    import yaml

    from skillgrid.exporters import ExportFormat
    from skillgrid.services import cycles, frameworks

    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)  # on v1
    written = yaml.safe_load(frameworks.export(uow_factory(), "sre", ExportFormat.YAML))
    written["criteria"][0]["text"] = "Writes design documents for whole systems."
    newer = yaml.safe_dump(written).encode()
    frameworks.import_framework(uow_factory(), newer, "sre.yaml", "sre", actor=OPERATOR)
    assert frameworks.get_framework(uow_factory(), "sre").version == 2

    form = ana.get("/evidence/suggest")
    assert form.context["framework"] == "sre"
    review = ana.post("/evidence/suggest", data={"csrf_token": csrf(form.text), "text": BRAG})
    assert review.context["result"]["framework"] == {"name": "sre", "version": 1}
    assert 'name="version" value="1"' in review.text  # and the accepted items link to it
