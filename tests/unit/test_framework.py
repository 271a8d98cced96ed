from skillgrid.domain.framework import Criterion, Level, Track, build_framework


def sample():
    return build_framework(
        "sre",
        "SRE",
        [Level(1), Level(2, "Senior")],
        [Track("NET", "Networking"), Track("SE", "Systems Engineering")],
        {("NET", 1): ["a", "b"], ("SE", 2): ["c"]},
    )


def test_criteria_are_numbered_inside_their_cell() -> None:
    assert [c.id for c in sample().criteria] == ["NET.1.1", "NET.1.2", "SE.2.1"]


def test_empty_cells_are_listed_in_track_then_level_order() -> None:
    assert [(t.key, lv.number) for t, lv in sample().empty_cells()] == [("NET", 2), ("SE", 1)]


def test_content_ignores_name_version_and_identities() -> None:
    from dataclasses import replace

    one = sample()
    other = replace(
        one,
        name="other",
        version=7,
        criteria=tuple(
            Criterion(c.track, c.level, c.position, c.text, uid="x" + c.id) for c in one.criteria
        ),
    )
    assert one.same_content(other)
    assert one.content_hash() == other.content_hash()


def test_level_label_is_title_or_number() -> None:
    assert [lv.label for lv in sample().levels] == ["1", "Senior"]
