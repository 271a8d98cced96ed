"""What the assessment page saves, criterion by criterion (#17): a criterion the rules refuse
keeps what was stored and says why; the others are saved; a criterion the ladder lacks
refuses the whole form. Against the fakes, in milliseconds."""

from __future__ import annotations

import pytest

from skillgrid.domain.assessments import Entry
from skillgrid.domain.errors import InputError
from skillgrid.domain.leveling import Rating
from skillgrid.services import assessments, review_form
from tests.unit.fakes import FakeUnitOfWork
from tests.unit.test_assessment_services import ANA
from tests.unit.test_assessment_services import uow as uow

NA = Entry(Rating.NOT_APPLICABLE)  # without a reason


def ratings(uow: FakeUnitOfWork) -> dict[str, str]:
    found, framework = assessments.get_assessment(uow, ANA, "ana@x.org", "2026-H2", "self")
    ids = {c.uid: c.id for c in framework.criteria}
    return {ids[uid]: e.rating.value for uid, e in found.entries.items()}


def save(uow: FakeUnitOfWork, entries, evidence=()):  # type: ignore[no-untyped-def]
    return review_form.save_review(
        uow, ANA, "ana@x.org", "2026-H2", "self", entries, list(evidence), revision=None
    )


def test_a_refused_criterion_is_named_and_the_others_are_saved(uow) -> None:
    done = save(uow, {"PO.1.1": Entry(Rating.MEETS), "CW.1.1": NA})
    assert list(done.refused) == ["CW.1.1"] and "needs a reason" in done.refused["CW.1.1"]
    assert ratings(uow) == {"PO.1.1": "meets"}


def test_a_refused_criterion_keeps_its_stored_rating(uow) -> None:
    save(uow, {"CW.1.1": Entry(Rating.MEETS)})
    done = save(uow, {"CW.1.1": NA, "PO.1.1": Entry(Rating.EXCEEDS)})
    assert list(done.refused) == ["CW.1.1"]
    assert ratings(uow) == {"CW.1.1": "meets", "PO.1.1": "exceeds"}


def test_evidence_with_a_bad_link_refuses_its_criterion_and_adds_nothing(uow) -> None:
    done = save(uow, {"PO.1.1": Entry(Rating.MEETS)}, [("PO.1.1", "Doc", "docs/x")])
    assert "not a web address" in done.refused["PO.1.1"] and done.added == ()
    assert ratings(uow) == {}  # the criterion is kept whole as it was


def test_new_evidence_is_answered_with_its_number(uow) -> None:
    done = save(uow, {}, [("PO.1.1", "Doc", "https://x.org/doc")])
    assert [(cid, item.title) for cid, item in done.added] == [("PO.1.1", "Doc")]
    assert done.added[0][1].id is not None


def test_a_criterion_the_ladder_lacks_refuses_the_whole_form(uow) -> None:
    with pytest.raises(InputError, match=r"PO\.9\.9"):
        save(uow, {"PO.1.1": Entry(Rating.MEETS), "PO.9.9": Entry(Rating.MEETS)})
    assert ratings(uow) == {}
