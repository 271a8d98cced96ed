"""Administration: upload a ladder with a preview before storing, cycles, people, accounts;
admins only."""

from __future__ import annotations

import re

from skillgrid.domain.assessments import OPERATOR
from skillgrid.services import accounts, frameworks, people, people_import
from tests.web.conftest import sign_in


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


ADMIN_FORMS = {  # path → form fields and files of a request that would succeed for an admin
    "/admin/ladders/preview": ({"name": "ops"}, {"file": ("ops.csv", b"Level,Ops\n1,Run\n")}),
    "/admin/ladders/store": (
        {"name": "ops", "payload": "TGV2ZWwsT3BzCjEsUnVuCg==", "source": "o"},
        None,
    ),
    "/admin/cycles": ({"name": "2027-H1", "ladder": "sre"}, None),
    "/admin/cycles/2027-H1/state": ({"open": "false"}, None),
    "/admin/cycles/2027-H1/move": ({"version": "2"}, None),
    "/admin/people": ({}, {"file": ("p.csv", b"name,email\nZed,zed@x.org\n")}),
    "/admin/people/bo@x.org": ({"form": "status", "active": "false"}, None),
    "/admin/accounts": ({"email": "eve@x.org", "password": "correct horse battery"}, None),
}


def test_non_admins_are_refused_every_admin_page_and_form(app_client, database_url: str) -> None:
    from tests.conftest import table_snapshot

    sign_in(app_client, "ana@x.org")
    assert app_client.get("/admin").status_code == 403
    token = csrf(app_client.get("/evidence/suggest").text)  # Ana's own, valid session token
    before = table_snapshot(database_url)
    for path, (fields, files) in ADMIN_FORMS.items():
        refused = app_client.post(path, data={**fields, "csrf_token": token}, files=files)
        assert refused.status_code == 403, path
        assert "only an admin may" in refused.text, path
    assert table_snapshot(database_url) == before


def test_ladder_upload_shows_the_split_then_stores(app_client, uow_factory) -> None:
    sign_in(app_client, "root@x.org")
    token = csrf(app_client.get("/admin").text)
    ladder = b"Level,Ops\n1,Runs it. Watches it.\n2,Scales it.\n"
    preview = app_client.post(
        "/admin/ladders/preview",
        data={"csrf_token": token, "name": "ops"},
        files={"file": ("ops.csv", ladder, "text/csv")},
    )
    assert preview.status_code == 200 and preview.template.name == "admin_preview.html"
    assert "OPS.1.2" in preview.text and "Watches it." in preview.text
    assert frameworks.list_frameworks(uow_factory())[0].name == "sre"  # nothing stored yet
    payload = re.search(r'name="payload" value="([^"]+)"', preview.text).group(1)
    stored = app_client.post(
        "/admin/ladders/store",
        data={"csrf_token": token, "name": "ops", "payload": payload, "source": "ops.csv"},
    )
    assert stored.status_code == 303 and stored.headers["location"] == "/ladders/ops"
    assert len(frameworks.get_framework(uow_factory(), "ops").criteria) == 3


def test_a_bad_ladder_upload_explains_and_stores_nothing(app_client, uow_factory) -> None:
    sign_in(app_client, "root@x.org")
    token = csrf(app_client.get("/admin").text)
    bad = app_client.post(
        "/admin/ladders/preview",
        data={"csrf_token": token, "name": "bad"},
        files={"file": ("bad.csv", b"Level,A,a\n1,x,y\n", "text/csv")},
    )
    assert bad.status_code == 422 and "duplicate track" in bad.text
    assert [info.name for info in frameworks.list_frameworks(uow_factory())] == ["sre"]


def test_cycles_people_and_accounts(app_client, uow_factory) -> None:
    sign_in(app_client, "root@x.org")
    token = csrf(app_client.get("/admin").text)
    assert (
        app_client.post(
            "/admin/cycles", data={"csrf_token": token, "name": "2027-H1", "ladder": "sre"}
        ).status_code
        == 303
    )
    assert (
        app_client.post(
            "/admin/cycles/2027-H1/state", data={"csrf_token": token, "open": "false"}
        ).status_code
        == 303
    )
    assert "closed" in app_client.get("/admin").text
    csv = b"name,email,team,manager_email,role\nDee,dee@x.org,Ops,bo@x.org,engineer\n"
    uploaded = app_client.post(
        "/admin/people", data={"csrf_token": token}, files={"file": ("p.csv", csv, "text/csv")}
    )
    assert uploaded.status_code == 303
    assert people.list_people(uow_factory(), OPERATOR, "Ops")[0].email == "dee@x.org"
    short = app_client.post(
        "/admin/accounts", data={"csrf_token": token, "email": "dee@x.org", "password": "short"}
    )
    assert short.status_code == 422 and "at least 12 characters" in short.text
    common = app_client.post(
        "/admin/accounts",
        data={"csrf_token": token, "email": "dee@x.org", "password": "qwertyuiop123"},
    )
    assert common.status_code == 422 and "common passwords" in common.text
    assert "dee@x.org" not in [a.email for a in accounts.list_users(uow_factory(), OPERATOR)]
    assert (
        app_client.post(
            "/admin/accounts",
            data={"csrf_token": token, "email": "dee@x.org", "password": "long enough now"},
        ).status_code
        == 303
    )
    assert app_client.post("/admin/cycles", data={"name": "x", "ladder": "sre"}).status_code in (
        403,
        422,
    )


def test_storing_a_preview_after_another_admin_stored_a_version_is_refused(
    app_client, uow_factory
) -> None:
    # storing it would undo, unseen, what the other version changed
    sign_in(app_client, "root@x.org")
    token = csrf(app_client.get("/admin").text)

    def preview(text: bytes) -> str:
        files = {"file": ("ops.csv", text, "text/csv")}
        page = app_client.post(
            "/admin/ladders/preview", data={"csrf_token": token, "name": "ops"}, files=files
        )
        return page.text

    def store(page: str) -> object:
        fields = {k: re.search(rf'name="{k}" value="([^"]*)"', page).group(1)
                  for k in ("name", "source", "split", "after", "payload")}  # fmt: skip
        return app_client.post("/admin/ladders/store", data={"csrf_token": token, **fields})

    mine = preview(b"Level,Ops\n1,Runs it.\n2,Scales it.\n")
    theirs = preview(b"Level,Ops\n1,Runs it well.\n")
    assert store(theirs).status_code == 303  # version 1
    refused = store(mine)
    assert refused.status_code == 409 and "preview the file again" in refused.text
    assert frameworks.get_framework(uow_factory(), "ops").version == 1
    assert store(preview(b"Level,Ops\n1,Runs it.\n2,Scales it.\n")).status_code == 303
    assert frameworks.get_framework(uow_factory(), "ops").version == 2


def test_the_admin_page_lists_a_hundred_people_and_finds_the_others_by_name_or_email(
    app_client, uow_factory
) -> None:
    rows = [f"Person {n:03},p{n:03}@x.org,SRE,bo@x.org,engineer" for n in range(120)]
    data = "\n".join(["name,email,team,manager_email,role", *rows]).encode()
    people_import.import_people(uow_factory(), data, "many.csv", actor=OPERATOR)
    sign_in(app_client, "root@x.org")
    page = app_client.get("/admin")
    everyone = len(page.context["people"])
    assert everyone > 120 and len(page.context["found"]) == 100
    assert f"The first 100 of {everyone} are listed" in page.text
    found = app_client.get("/admin", params={"find": " P11 "})
    assert [p.email for p in found.context["found"]] == [f"p11{n}@x.org" for n in range(10)]
    assert f"10 of {everyone} hold “P11”." in found.text
    assert 'href="/admin/people/p115@x.org"' in found.text
    none = app_client.get("/admin", params={"find": "nobody here"})
    assert none.context["found"] == [] and f"0 of {everyone} hold" in none.text
    assert app_client.get("/admin", params={"find": "x" * 201}).status_code == 422


def test_the_admin_page_finds_a_name_typed_in_either_unicode_form(app_client, uow_factory) -> None:
    # "Zoë" stored as one letter, searched as e + combining diaeresis (macOS, pasted text)
    # and the other way round: the same name either way
    data = "name,email,team,manager_email,role\nZoë Ång,zoe@x.org,SRE,,engineer\n".encode()
    people_import.import_people(uow_factory(), data, "one.csv", actor=OPERATOR)
    decomposed = "Ingrid Zoe\u0308,ingrid@x.org,SRE,,engineer\n"
    data = f"name,email,team,manager_email,role\n{decomposed}".encode()
    people_import.import_people(uow_factory(), data, "two.csv", actor=OPERATOR)
    sign_in(app_client, "root@x.org")
    for typed in ("Zoe\u0308", "zoë", "ZOË"):
        found = app_client.get("/admin", params={"find": typed})
        assert {p.email for p in found.context["found"]} == {"zoe@x.org", "ingrid@x.org"}
