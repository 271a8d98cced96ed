"""The learning loop (#15): evidence linked to a criterion helps rank that criterion for the
next statements, for ranking only; a setting turns it off; unlinked evidence stops counting."""

from __future__ import annotations

import pytest

from skillgrid.domain.assessments import OPERATOR
from skillgrid.services import evidence, frameworks, people_import, suggestions
from skillgrid.services.suggestions import Accepted
from tests.unit.fakes import FakeUnitOfWork
from tests.unit.test_assessment_services import ANA, CY, PEOPLE

LADDER = (
    b"Level,Networking,Security\n"
    b"1,Understands DNS and DHCP.,Uses SSH keys and TLS certificates.\n"
    b"2,Can configure load balancers and BGP routing.,Keeps secrets out of the code.\n"
)
LATER = "- Rotated the billing database passwords with Vault"


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    frameworks.import_framework(uow, LADDER, "ops.csv", "ops", actor=OPERATOR)
    people_import.import_people(uow, PEOPLE, "people.csv", actor=OPERATOR)
    return uow


def first(found: suggestions.Suggestions) -> str | None:
    item = found.items[0]
    return item.suggestions[0].criterion if item.suggestions else None


def teach(uow: FakeUnitOfWork) -> None:
    """Ana accepts a statement about Vault for the secrets criterion."""
    accepted = [Accepted("Rolled out Vault and rotated every database password", ("SEC.2.1",))]
    suggestions.accept(uow, ANA, "ana@x.org", "ops", accepted)


def test_an_accepted_statement_teaches_its_criterion_to_everyones_later_suggestions(
    uow,
) -> None:
    assert first(suggestions.suggest(uow, "ops", LATER, backend="lexical")) != "SEC.2.1"
    teach(uow)
    found = suggestions.suggest(uow, "ops", LATER, backend="lexical")  # Cy's text, say
    assert first(found) == "SEC.2.1"
    # used for ranking only: nothing of Ana's statement is in what is returned
    assert "Rolled out" not in repr(found.items)
    assert uow.evidence.for_person(CY.email) == []


def test_the_setting_turns_learning_off(uow) -> None:
    teach(uow)
    found = suggestions.suggest(uow, "ops", LATER, backend="lexical", learn=False)
    assert first(found) != "SEC.2.1"


def test_evidence_unlinked_from_the_criterion_no_longer_teaches(uow) -> None:
    teach(uow)
    (item,) = uow.evidence.for_person("ana@x.org")
    assert item.id is not None
    evidence.link_evidence(uow, ANA, "ana@x.org", item.id, [], "ops")
    assert first(suggestions.suggest(uow, "ops", LATER, backend="lexical")) != "SEC.2.1"
