"""Properties of leveling that must hold for every person, on the SRE ladder."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from skillgrid.domain.leveling import SCALE, Leveler, Rating
from skillgrid.domain.policies import Points, Strict, Tolerance
from tests.unit.test_leveling import sre

IDS = [c.id for c in sre().criteria]
RATINGS = st.sampled_from([*SCALE, Rating.NOT_APPLICABLE])
POLICIES = st.sampled_from([Strict(), Tolerance(1), Tolerance(2), Points()])
people = st.dictionaries(st.sampled_from(IDS), RATINGS, max_size=len(IDS))


@settings(max_examples=200, deadline=None)
@given(
    ratings=people, raised=st.sampled_from(IDS), pair=st.tuples(RATINGS, RATINGS), policy=POLICIES
)
def test_raising_a_rating_never_lowers_a_level(ratings, raised, pair, policy) -> None:
    order = [*SCALE, Rating.NOT_APPLICABLE]  # n/a counts as met, like meets and exceeds
    lower, higher = sorted(pair, key=order.index)
    leveler = Leveler(sre(), policy)
    low = leveler.level({**ratings, raised: lower})
    high = leveler.level({**ratings, raised: higher})
    assert high.overall >= low.overall
    assert all(high.tracks[key] >= low.tracks[key] for key in low.tracks)


@settings(max_examples=200, deadline=None)
@given(ratings=people, policy=POLICIES)
def test_overall_level_is_bounded_by_the_track_levels(ratings, policy) -> None:
    result = Leveler(sre(), policy).level(ratings)
    floor, ceiling = min(result.tracks.values()), max(result.tracks.values())
    if isinstance(policy, Strict):
        assert result.overall == floor
    elif isinstance(policy, Tolerance):
        assert floor <= result.overall <= floor + 1
    else:
        assert floor <= result.overall <= ceiling


@settings(max_examples=200, deadline=None)
@given(ratings=people, policy=POLICIES)
def test_gaps_are_empty_exactly_at_the_top_level(ratings, policy) -> None:
    result = Leveler(sre(), policy).level(ratings)
    assert (not result.gaps) == (result.overall == result.top)


@settings(max_examples=100, deadline=None)
@given(ratings=people)
def test_every_gap_is_an_unmet_criterion_at_most_one_level_up(ratings) -> None:
    result = Leveler(sre()).level(ratings)
    for criterion in result.gap_ids:
        assert ratings.get(criterion) not in (Rating.MEETS, Rating.EXCEEDS, Rating.NOT_APPLICABLE)
        assert sre().criterion(criterion).level <= result.overall + 1


@settings(max_examples=300, deadline=None)
@given(ratings=people, policy=POLICIES)
def test_a_stored_summary_gives_back_the_result_it_was_made_from(ratings, policy) -> None:
    from dataclasses import replace

    from skillgrid.domain.insight import stored_result, summarize

    ladder = sre()
    result = Leveler(ladder, policy).level(ratings)
    by_uid = {ladder.criterion(cid).uid or cid: rating for cid, rating in ratings.items()}
    summary = summarize(ladder, result, by_uid)
    assert stored_result(ladder, summary, policy) == replace(result, not_applicable=())
