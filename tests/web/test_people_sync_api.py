"""HR sync over the API: ``POST /api/v1/people/sync`` with the export as the body does what
``skillgrid person sync`` does — the dry run changes nothing, deactivating ends sessions and
tokens at once, the caller is never deactivated, bad rows and too many deactivations change
nothing; admins only."""

from __future__ import annotations

from fastapi.testclient import TestClient

from skillgrid.services import accounts
from tests.conftest import table_snapshot
from tests.web.conftest import as_

SYNC = "/api/v1/people/sync"
HEADER = b"name,email,team,manager_email,role\n"
# on file (tests/web/conftest.py): Bo manages Ana, both in SRE
WITHOUT_ANA = HEADER + b"Bo,bo@x.org,SRE,,manager\nDee Ray,dee@x.org,Edge,bo@x.org,\n"
CSV = {"content-type": "text/csv"}


def test_a_dry_run_answers_the_plan_and_changes_nothing(app_client, database_url) -> None:
    admin = as_(app_client, "root@x.org")
    before = table_snapshot(database_url)
    answer = admin.post(
        SYNC,
        params={"deactivate_missing": "true", "dry_run": "true", "filename": "hr.csv"},
        content=WITHOUT_ANA,
        headers=CSV,
    )
    assert answer.status_code == 200, answer.text
    plan = answer.json()
    assert plan["applied"] is False and plan["refused"] is None
    assert [p["email"] for p in plan["added"]] == ["dee@x.org"]
    assert [p["email"] for p in plan["deactivated"]] == ["ana@x.org"]
    assert (plan["unchanged"], plan["teams_created"], plan["active_before"]) == (1, ["Edge"], 2)
    assert table_snapshot(database_url) == before


def test_a_real_run_deactivates_at_once_and_reactivates_from_the_file(
    app_client, uow_factory
) -> None:
    _, token = accounts.create_token(uow_factory(), "ana@x.org", "script")
    ana = TestClient(app_client.app, follow_redirects=False)
    as_(ana, "ana@x.org")
    admin = as_(app_client, "root@x.org")
    done = admin.post(SYNC, params={"deactivate_missing": "true"}, content=WITHOUT_ANA)
    assert done.status_code == 200 and done.json()["applied"] is True
    assert ana.get("/me").headers["location"].startswith("/login")
    assert admin.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    with_ana = WITHOUT_ANA + b"Ana,ana@x.org,SRE,bo@x.org,engineer\n"
    back = admin.post(SYNC, params={"deactivate_missing": "true"}, content=with_ana).json()
    assert back["changed"] == [
        {
            "email": "ana@x.org",
            "reactivated": True,
            "changes": [{"field": "active", "old": False, "new": True}],
        }
    ]


def test_the_caller_is_kept_active(app_client, uow_factory) -> None:
    from skillgrid.domain.assessments import OPERATOR
    from skillgrid.domain.people import Person, Role
    from skillgrid.services import people

    people.add_person(uow_factory(), Person("root@x.org", "Root", role=Role.ADMIN), actor=OPERATOR)
    admin = as_(app_client, "root@x.org")
    everyone_else = WITHOUT_ANA + b"Ana,ana@x.org,SRE,bo@x.org,engineer\n"
    done = admin.post(SYNC, params={"deactivate_missing": "true"}, content=everyone_else)
    assert done.json()["kept"] == [
        {
            "email": "root@x.org",
            "reason": "not in the file, but you are running the sync: nobody deactivates themself",
        }
    ]
    assert done.json()["deactivated"] == []


def test_bad_rows_and_mass_deactivation_change_nothing(app_client, database_url) -> None:
    admin = as_(app_client, "root@x.org")
    before = table_snapshot(database_url)
    bad = admin.post(
        SYNC, params={"filename": "hr.csv"}, content=WITHOUT_ANA + b"Eve,eve@x.org,SRE,,boss\n"
    )
    assert bad.status_code == 422
    assert bad.json()["problems"][0] | {"hint": ""} == {
        "source": "hr.csv",
        "row": 4,
        "column": 5,
        "message": "role 'boss' is unknown",
        "hint": "",
    }
    assert table_snapshot(database_url) == before
    nobody = HEADER + b"Dee Ray,dee@x.org,Edge,,\n"
    many = b"".join(b"P%d,p%d@x.org,,,\n" % (n, n) for n in range(8))
    assert admin.post(SYNC, content=nobody + many).status_code == 200  # 10 active now
    before = table_snapshot(database_url)
    mass = admin.post(SYNC, params={"deactivate_missing": "true"}, content=nobody)
    assert mass.status_code == 422 and "would deactivate 10 of 11" in mass.json()["detail"]
    assert table_snapshot(database_url) == before
    allowed = admin.post(
        SYNC, params={"deactivate_missing": "true", "max_deactivate": 10}, content=nobody
    )
    assert allowed.status_code == 200 and len(allowed.json()["deactivated"]) == 10


def test_only_admins_sync_people(app_client, database_url) -> None:
    ana = as_(app_client, "ana@x.org")
    before = table_snapshot(database_url)
    refused = ana.post(SYNC, content=WITHOUT_ANA, headers=CSV)
    assert refused.status_code == 403
    assert table_snapshot(database_url) == before


def test_the_content_type_says_the_format_a_workbook_or_tab_separated(app_client) -> None:
    from tests.unit.test_people_workbooks import workbook

    admin = as_(app_client, "root@x.org")
    rows = [line.split(",") for line in WITHOUT_ANA.decode().splitlines()]
    sent = {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": workbook(rows),
        "text/tab-separated-values": WITHOUT_ANA.replace(b",", b"\t"),
    }
    for kind, body in sent.items():
        answer = admin.post(
            SYNC, params={"dry_run": "true"}, content=body, headers={"content-type": kind}
        )
        assert answer.status_code == 200, (kind, answer.text)
        assert [p["email"] for p in answer.json()["added"]] == ["dee@x.org"]
    answer = admin.post(
        SYNC,
        params={"dry_run": "true", "filename": "hr.csv"},
        content=WITHOUT_ANA.replace(b",", b"\t"),
        headers={"content-type": "text/tab-separated-values"},
    )
    assert answer.status_code == 200, answer.text  # the Content-Type over the name
