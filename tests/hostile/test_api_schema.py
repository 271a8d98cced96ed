"""schemathesis against the app's own OpenAPI schema: every operation, authenticated with an
admin's API token (an admin may do everything, so the most code runs), a bounded number of
examples each. No 5xx, and every answer matches the documented status codes and schemas."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable

from skillgrid.config import Settings
from skillgrid.domain.assessments import OPERATOR, Entry
from skillgrid.domain.leveling import Rating
from skillgrid.services import accounts, assessments, cycles, frameworks, people_import
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

    frameworks.install_builtin(uow_factory(), actor=OPERATOR)
    people_import.import_people(uow_factory(), PEOPLE, "people.csv", actor=OPERATOR)
    accounts.add_user(uow_factory(), "root@x.org", PASSWORD, admin=True, actor=OPERATOR)
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    met = {"PO.1.1": Entry(Rating.MEETS)}
    assessments.rate(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "self", met)
    _, token = accounts.create_token(uow_factory(), "root@x.org", "schemathesis")
    # the lexical scorer: this checks the API contract, not the embedding model (slow to load)
    # and no outbox sender: webhooks the examples add point at made-up hosts
    settings = Settings(database_url=database_url, suggestion_backend="lexical", outbox_interval=0)
    app = create_app(settings)
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    try:
        yield schema, token
    finally:
        shutdown_lifespans()


# Valid by the schema, refused by a rule the schema cannot express; each is checked to be
# refused for that reason only (every other check still runs on these operations).
SEMANTIC_422 = {
    "POST /api/v1/suggestions": ("holds no statement",),
    "PUT /api/v1/cycles/{cycle}/due": ("is after the close",),
    "POST /api/v1/cycles": ("is after the close",),
    # a team or manager the organisation does not have, or a manager loop
    "POST /api/v1/people": ("no team", "no manager", "not on file", "manage"),
    "PATCH /api/v1/people/{email}": ("no team", "no manager", "not on file", "manage"),
    "POST /api/v1/teams": ("no team", "no parent", "not on file"),
    "PUT /api/v1/targets": ("has no track", "no team"),  # the ladder's tracks, the teams
    # a body that is no ladder file: refused with each problem where it is in the file
    "POST /api/v1/frameworks/{name}/preview": ('"problems":',),
    "POST /api/v1/frameworks/{name}/versions": ('"problems":',),
    # a body that is no people file, or a sync that would deactivate too many
    "POST /api/v1/people/sync": ('"problems":', "would deactivate"),
    # someone not on file (unless an admin), an account with a password, no mail server
    "POST /api/v1/invitations": ("not a person", "has a password", "mail is not configured"),
}


def operations(schema) -> list[object]:  # type: ignore[no-untyped-def]
    return [result.ok() for result in schema.get_all_operations()]


def test_every_operation_answers_as_documented(api) -> None:
    schema, token = api
    ops = operations(schema)
    assert len(ops) >= 12
    headers = {"Authorization": f"Bearer {token}"}
    calls: list[str] = []
    from schemathesis import GenerationMode
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    for operation in ops:  # the check that compares each answer with its schema
        checks = schema.config.checks_config_for(operation=operation)
        assert checks.get_by_name(name="response_schema_conformance").enabled, operation.label
    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    for operation, mode in [(op, mode) for op in ops for mode in modes]:
        rule = SEMANTIC_422.get(operation.label) if mode is GenerationMode.POSITIVE else None
        excluded = [positive_data_acceptance] if rule else []
        try:
            run(operation.as_strategy(mode), headers, excluded, rule, calls)
        except Unsatisfiable:  # nothing about this operation can be wrong (GET /me)
            assert mode is GenerationMode.NEGATIVE
    print(f"schemathesis: {len(calls)} calls over {len(set(calls))} operations")


def run(strategy, headers, excluded, rule, calls) -> None:  # type: ignore[no-untyped-def]
    """Call the app with ``strategy``'s cases and check every answer."""

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def check(case) -> None:  # type: ignore[no-untyped-def]
        calls.append(case.operation.label)
        response = case.call_and_validate(headers=headers, excluded_checks=excluded)
        # a rule no schema can say: refused with 422, and only for that reason
        assert (
            rule is None or response.status_code != 422 or any(r in response.text for r in rule)
        ), response.text

    check()


# Shapes no schema can pin down: an audit entry's changed fields differ with the entity.
FREE_FORM = {"AuditEntryPublic.before", "AuditEntryPublic.after"}


def test_every_answer_has_a_typed_schema() -> None:
    """Each /api/v1 operation documents its 2xx answer down to every field: no free-form
    object (no properties, any additional ones) and no untyped value, so the conformance
    check above checks shapes, not only status codes."""
    schema = create_app(Settings(database_url="sqlite://")).openapi()
    untyped: list[str] = []
    for path, methods in schema["paths"].items():
        assert path.startswith("/api/v1/"), path
        for method, spec in methods.items():
            operation = f"{method.upper()} {path}"
            for status, answer in spec["responses"].items():
                if status == "204":
                    assert "content" not in answer, f"{operation}: a 204 answer has no body"
                elif status.startswith("2"):
                    body = answer["content"]["application/json"]["schema"]
                    found = untyped_parts(body, "answer", schema["components"]["schemas"], set())
                    untyped += [f"{operation}: {where}" for where in found]
    assert not untyped, "\n".join(untyped)


def untyped_parts(
    node: dict[str, Any], where: str, components: dict[str, Any], seen: set[str]
) -> list[str]:
    """Where, in ``node``, a value is left untyped (components named in ``FREE_FORM`` aside)."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        return untyped_parts(components[name], name, components, seen | {name})
    if where in FREE_FORM:
        return []
    found: list[str] = []
    alternatives = [*node.get("anyOf", []), *node.get("oneOf", []), *node.get("allOf", [])]
    for alternative in alternatives:
        found += untyped_parts(alternative, where, components, seen)
    extra = node.get("additionalProperties")
    if node.get("type") == "object" and not node.get("properties") and extra in (None, True, {}):
        found.append(f"{where} is a free-form object")
    elif not (node.get("type") or alternatives or "const" in node or "enum" in node):
        found.append(f"{where} has no type")
    for key, child in node.get("properties", {}).items():
        found += untyped_parts(child, f"{where}.{key}", components, seen)
    if isinstance(extra, dict) and extra:
        found += untyped_parts(extra, f"{where}[key]", components, seen)
    if "items" in node:
        found += untyped_parts(node["items"], f"{where}[]", components, seen)
    return found
