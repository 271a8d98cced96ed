"""The leveling rules of design.md, on the SRE ladder: worked examples and hand-computed
cases for every policy."""

from __future__ import annotations

from functools import cache

import pytest

from skillgrid.domain.framework import Framework
from skillgrid.domain.leveling import Leveler, Rating, is_met, level
from skillgrid.domain.policies import Points, PolicyError, Strict, Tolerance, parse_policy
from skillgrid.importers import read_ladder
from tests.conftest import SEED

MAC = "SEC.3.8"  # "Can utilize Mandatory Access Control (MAC) systems like as SELinux or AppArmor."


@cache
def sre() -> Framework:
    return read_ladder(SEED.read_bytes(), "sre.tsv").framework


def satisfies(framework: Framework, ratings: dict[str, Rating], track: str, at: int) -> bool:
    """The rule as written: every criterion of ``track`` at levels 1..``at`` is met."""
    return all(
        is_met(ratings.get(c.id)) for c in framework.criteria if c.track == track and c.level <= at
    )


def track_level(framework: Framework, ratings: dict[str, Rating], track: str) -> int:
    """The rule as written: the highest level 0..N that ``track`` satisfies."""
    reached = 0
    for level_ in framework.levels:
        if not satisfies(framework, ratings, track, level_.number):
            break
        reached = level_.number
    return reached


def through(top: int, rating: Rating = Rating.MEETS, *, except_ids: tuple[str, ...] = ()):
    return {c.id: rating for c in sre().criteria if c.level <= top and c.id not in except_ids}


def test_worked_example_one_unmet_criterion_at_level_3() -> None:
    assert sre().criterion(MAC).text.startswith("Can utilize Mandatory Access Control (MAC)")
    result = level(sre(), through(3, except_ids=(MAC,)))
    assert result.tracks == {"PO": 3, "CW": 3, "NET": 3, "SEC": 2, "SE": 3, "SRE": 3}
    assert result.overall == 2
    assert result.gap_ids == [MAC]


def test_worked_example_meeting_nothing() -> None:
    result = level(sre(), {})
    assert result.tracks == {"PO": 0, "CW": 0, "NET": 0, "SEC": 0, "SE": 1, "SRE": 0}
    assert result.overall == 0


# Worked out by hand from the seed's cell sizes. Criteria per level, all tracks:
# L1 15, L2 19, L3 28, L4 18, L5 7, L6 3 (PO 1 per level; SE has none at level 1;
# NET, SEC and SRE none at level 6).
# name, ratings, {policy: (overall, number of gaps)}, track levels
HAND_COMPUTED = [
    (
        "nothing",
        {},
        {"strict": (0, 15), "tolerance:1": (0, 15), "points": (0, 15)},
        {"PO": 0, "CW": 0, "NET": 0, "SEC": 0, "SE": 1, "SRE": 0},
    ),
    (
        "everything",
        through(6),
        {"strict": (6, 0), "tolerance:1": (6, 0), "points": (6, 0)},
        {"PO": 6, "CW": 6, "NET": 6, "SEC": 6, "SE": 6, "SRE": 6},
    ),
    (
        "all of 3 but MAC",
        through(3, except_ids=(MAC,)),
        {"strict": (2, 1), "tolerance:1": (3, 19), "points": (2, 1)},
        {"PO": 3, "CW": 3, "NET": 3, "SEC": 2, "SE": 3, "SRE": 3},
    ),
    (
        "hole at level 3",
        {**through(2), **{c.id: Rating.EXCEEDS for c in sre().criteria if c.level == 4}},
        {"strict": (2, 28), "tolerance:1": (2, 28), "points": (2, 28)},
        {"PO": 2, "CW": 2, "NET": 2, "SEC": 2, "SE": 2, "SRE": 2},
    ),
    (
        "n/a with MAC",
        {**through(3), MAC: Rating.NOT_APPLICABLE},
        {"strict": (3, 18), "tolerance:1": (3, 18), "points": (3, 18)},
        {"PO": 3, "CW": 3, "NET": 3, "SEC": 3, "SE": 3, "SRE": 3},
    ),
    (
        "all but level 6",
        through(5),
        {"strict": (5, 3), "tolerance:1": (5, 3), "tolerance:3": (6, 0), "points": (5, 3)},
        {"PO": 5, "CW": 5, "NET": 6, "SEC": 6, "SE": 5, "SRE": 6},
    ),
    (
        "only SE.2.1",
        {"SE.2.1": Rating.MEETS},
        {"strict": (0, 15), "points": (0, 15)},
        {"PO": 0, "CW": 0, "NET": 0, "SEC": 0, "SE": 2, "SRE": 0},
    ),
    (
        "level 1 exactly",
        through(1),
        {"strict": (1, 19), "tolerance:1": (1, 19), "points": (1, 19)},
        {"PO": 1, "CW": 1, "NET": 1, "SEC": 1, "SE": 1, "SRE": 1},
    ),
    (
        "developing everywhere",
        through(6, Rating.DEVELOPING),
        {"strict": (0, 15)},
        {"PO": 0, "CW": 0, "NET": 0, "SEC": 0, "SE": 1, "SRE": 0},
    ),
    (
        "exceeds to 4, SLO developing",
        {**through(4, Rating.EXCEEDS), "SRE.4.2": Rating.DEVELOPING},
        {"strict": (3, 1), "tolerance:1": (4, 8), "points": (3, 1)},
        {"PO": 4, "CW": 4, "NET": 4, "SEC": 4, "SE": 4, "SRE": 3},
    ),
    (
        "reliability twice short",
        through(2, except_ids=("NET.2.3", "SEC.2.4")),
        {"strict": (1, 2), "tolerance:1": (1, 2), "tolerance:2": (2, 30), "points": (1, 2)},
        {"PO": 2, "CW": 2, "NET": 1, "SEC": 1, "SE": 2, "SRE": 2},
    ),
]


@pytest.mark.parametrize(
    ("name", "ratings", "expected", "tracks"), HAND_COMPUTED, ids=[c[0] for c in HAND_COMPUTED]
)
def test_hand_computed_cases_on_the_sre_ladder(name, ratings, expected, tracks) -> None:
    for policy, (overall, gaps) in expected.items():
        result = level(sre(), ratings, parse_policy(policy))
        assert result.tracks == tracks, (name, policy)
        assert (result.overall, len(result.gap_ids)) == (overall, gaps), (name, policy)


def test_gaps_are_grouped_by_track_and_stop_at_the_next_level() -> None:
    result = level(sre(), through(3, except_ids=(MAC,)), Tolerance(1))
    assert result.overall == 3
    assert result.gaps["SEC"][0] == MAC
    assert all(int(i.split(".")[1]) <= 4 for i in result.gap_ids)
    assert set(result.gaps) == {"PO", "CW", "NET", "SEC", "SE", "SRE"}


def test_progress_counts_met_criteria_up_to_the_next_level() -> None:
    result = level(sre(), through(3, except_ids=(MAC,)))
    assert result.progress["SEC"] == pytest.approx(16 / 17)
    assert result.progress["PO"] == 1.0


def test_not_applicable_counts_as_met_and_is_listed() -> None:
    result = level(sre(), {**through(3), MAC: Rating.NOT_APPLICABLE})
    assert result.not_applicable == (MAC,)
    assert result.tracks["SEC"] == 3


def test_points_policy_reports_its_total_and_accepts_custom_tables() -> None:
    snowflake_like = Points(points=(0, 1, 3, 6, 12, 20, 30), thresholds=(6, 18, 36, 72, 120, 180))
    result = level(sre(), through(3, except_ids=(MAC,)), snowflake_like)
    assert result.points == 5 * 6 + 3
    assert result.overall == 2
    with pytest.raises(PolicyError, match="give 7 points"):
        level(sre(), {}, Points(points=(0, 1)))


def test_policy_names_parse_and_unknown_ones_are_refused() -> None:
    assert parse_policy("strict") == Strict()
    assert parse_policy("tolerance:2") == Tolerance(2)
    assert parse_policy(" Points ") == Points()
    with pytest.raises(PolicyError, match="unknown leveling policy 'lenient'"):
        parse_policy("lenient")


def test_reference_functions_agree_with_the_fast_leveler() -> None:
    ratings = through(3, except_ids=(MAC,))
    assert satisfies(sre(), ratings, "SEC", 2)
    assert not satisfies(sre(), ratings, "SEC", 3)
    leveler = Leveler(sre())
    result = leveler.level(ratings)
    for track in sre().tracks:
        assert result.tracks[track.key] == track_level(sre(), ratings, track.key)


def test_what_if_json_shape() -> None:
    data = level(sre(), {}).to_dict()
    assert {"policy", "overall", "tracks", "gaps", "progress"} <= set(data)
    assert data["gaps"][:3] == ["PO.1.1", "CW.1.1", "CW.1.2"]


def test_points_tables_must_not_decrease() -> None:
    with pytest.raises(PolicyError, match="must not decrease"):
        level(sre(), {}, Points(points=(0, 1, 3, 6, 12, 20, 30), thresholds=(100, 1, 1, 1, 1, 1)))
