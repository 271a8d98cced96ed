"""scim2-tester, the SCIM conformance checker of the python-scim project, runs every one
of its checks against the real app (in process, through the ASGI app on a real database):
discovery, create, read, list, attribute selection, replace, delete, and PATCH add,
replace and remove of every attribute the schemas publish."""

from __future__ import annotations

from fastapi.testclient import TestClient
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

from skillgrid.config import Settings
from skillgrid.domain.assessments import OPERATOR
from skillgrid.services.scim_tokens import create_scim_token
from skillgrid.web.app import create_app


def test_scim2_tester_passes_every_check(database_url: str, uow_factory) -> None:  # type: ignore[no-untyped-def]
    token = create_scim_token(uow_factory(), "tester", actor=OPERATOR)
    app = create_app(Settings(database_url=database_url))
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(app, base_url="http://testserver/scim/v2", headers=headers) as http:
        client = SyncSCIMClient(http)
        results = check_server(client)
    failed = [
        f"{r.title} [{r.resource_type or '-'}]: {r.reason}"
        for r in results
        if r.status not in (Status.SUCCESS, Status.SKIPPED)
    ]
    passed = [r for r in results if r.status == Status.SUCCESS]
    assert not failed, f"{len(failed)} of {len(results)} checks failed:\n" + "\n".join(failed)
    assert len(passed) > 40, [f"{r.title}: {r.status}" for r in results]
