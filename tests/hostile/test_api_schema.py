"""schemathesis against the app's own OpenAPI schema: every operation, authenticated with an
admin's API token (an admin may do everything, so the most code runs), a bounded number of
examples each. No 5xx, and every answer matches the documented status codes and schemas."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable

from skillgrid.config import Settings
from skillgrid.domain.assessments import OPERATOR, Entry
from skillgrid.domain.leveling import Rating
from skillgrid.services import accounts, assessments, cycles, frameworks, people
from skillgrid.web.app import create_app
from tests.web.conftest import PASSWORD, PEOPLE

EXAMPLES = int(
    os.environ.get("SKILLGRID_SCHEMATHESIS_EXAMPLES", "30")
)  # per operation; the whole schema runs in well under a minute on 2 cores


@pytest.fixture
def api(database_url: str, uow_factory) -> Iterator[tuple[object, str]]:  # type: ignore[no-untyped-def]
    """The app on a database with a ladder, people, a cycle and an assessment, and a token."""
    import schemathesis
    from schemathesis.python.asgi import shutdown_lifespans

    frameworks.install_builtin(uow_factory())
    people.import_people(uow_factory(), PEOPLE, "people.csv")
    accounts.add_user(uow_factory(), "root@x.org", PASSWORD, admin=True)
    cycles.open_cycle(uow_factory(), "2026-H2", "sre")
    met = {"PO.1.1": Entry(Rating.MEETS)}
    assessments.rate(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "self", met)
    _, token = accounts.create_token(uow_factory(), "root@x.org", "schemathesis")
    app = create_app(Settings(database_url=database_url))
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    try:
        yield schema, token
    finally:
        shutdown_lifespans()


def operations(schema) -> list[object]:  # type: ignore[no-untyped-def]
    return [result.ok() for result in schema.get_all_operations()]


def test_every_operation_answers_as_documented(api) -> None:
    schema, token = api
    ops = operations(schema)
    assert len(ops) >= 12
    headers = {"Authorization": f"Bearer {token}"}
    calls: list[str] = []
    from schemathesis import GenerationMode

    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    for operation, mode in [(op, mode) for op in ops for mode in modes]:

        @given(case=operation.as_strategy(mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def check(case) -> None:  # type: ignore[no-untyped-def]
            calls.append(case.operation.label)
            case.call_and_validate(headers=headers)

        try:
            check()
        except Unsatisfiable:  # nothing about this operation can be wrong (GET /me)
            assert mode is GenerationMode.NEGATIVE
    print(f"schemathesis: {len(calls)} calls over {len(set(calls))} operations")
