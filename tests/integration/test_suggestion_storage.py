"""Criterion examples and the learning loop on real SQLite and PostgreSQL (#15)."""

from __future__ import annotations

from skillgrid.domain.assessments import OPERATOR
from skillgrid.services import evidence, frameworks, people_import, suggestions
from skillgrid.services.suggestions import Accepted
from tests.unit.test_assessment_services import ANA, PEOPLE
from tests.unit.test_ladder_examples import LADDER


def test_examples_are_stored_with_their_version_and_read_back(uow_factory) -> None:
    stored = frameworks.import_framework(
        uow_factory(), LADDER.encode(), "ops.yaml", "ops", actor=OPERATOR
    ).framework
    loaded = frameworks.get_framework(uow_factory(), "ops")
    assert loaded == stored
    assert loaded.criteria[0].examples[0] == "Moved our zones from BIND to Route 53"
    changed = LADDER.replace("Moved our zones from BIND to Route 53", "Ran CoreDNS")
    frameworks.import_framework(uow_factory(), changed.encode(), "o.yaml", "ops", actor=OPERATOR)
    assert frameworks.get_framework(uow_factory(), "ops", 1) == loaded  # v1 as it was
    assert (
        frameworks.get_framework(uow_factory(), "ops", 2).criteria[0].examples[0] == "Ran CoreDNS"
    )


def test_linked_evidence_teaches_until_it_is_unlinked(uow_factory) -> None:
    frameworks.import_framework(uow_factory(), LADDER.encode(), "o.yaml", "ops", actor=OPERATOR)
    people_import.import_people(uow_factory(), PEOPLE, "people.csv", actor=OPERATOR)
    later = "- Rotated the billing database passwords with Vault"

    def first() -> str | None:
        item = suggestions.suggest(uow_factory(), "ops", later, backend="lexical").items[0]
        return item.suggestions[0].criterion if item.suggestions else None

    assert first() != "SEC.1.1"
    statement = "Rolled out Vault and rotated every database password"
    (item,) = suggestions.accept(
        uow_factory(), ANA, "ana@x.org", "ops", [Accepted(statement, ("SEC.1.1",))]
    )
    assert first() == "SEC.1.1"
    assert item.id is not None
    evidence.link_evidence(uow_factory(), ANA, "ana@x.org", item.id, [], "ops")
    assert first() != "SEC.1.1"
