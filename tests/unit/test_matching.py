from skillgrid.domain.diff import diff_frameworks
from skillgrid.domain.framework import Level, Track, build_framework
from skillgrid.domain.matching import Change, match_criteria, similarity


def ladder(cells: dict[tuple[str, int], list[str]], tracks: tuple[str, ...] = ("NET", "SEC")):
    return build_framework(
        "x",
        "T",
        [Level(1), Level(2), Level(3)],
        [Track(key, key.title()) for key in tracks],
        cells,
    )


OLD = ladder(
    {
        ("NET", 1): ["Understands DNS and DHCP.", "Understands the OSI model."],
        ("NET", 2): ["Configures load balancers."],
        ("SEC", 1): ["Uses SSH keys.", "Knows TLS certificates."],
    }
)


def kinds(old, new) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for change in match_criteria(old, new):
        criterion = change.new or change.old
        assert criterion is not None
        found.setdefault(change.kind.value, []).append(criterion.text)
    return found


def test_same_text_is_the_same_criterion_even_when_its_position_changes() -> None:
    new = ladder(
        {
            ("NET", 1): ["Understands the OSI model.", "Understands DNS and DHCP."],
            ("NET", 2): ["Configures load balancers."],
            ("SEC", 1): ["Uses SSH keys.", "Knows TLS certificates."],
        }
    )
    assert set(kinds(OLD, new)) == {"unchanged"}


def test_reworded_moved_added_and_removed_are_told_apart() -> None:
    new = ladder(
        {
            ("NET", 1): ["Understands DNS, DHCP and NTP."],
            ("NET", 3): ["Configures load balancers."],
            ("SEC", 1): ["Uses SSH keys.", "Writes threat models."],
        }
    )
    found = kinds(OLD, new)
    assert found["reworded"] == ["Understands DNS, DHCP and NTP."]
    assert found["moved"] == ["Configures load balancers."]
    assert found["added"] == ["Writes threat models."]
    assert sorted(found["removed"]) == ["Knows TLS certificates.", "Understands the OSI model."]


def test_text_moved_to_another_track_is_moved() -> None:
    new = ladder(
        {
            ("NET", 1): ["Understands DNS and DHCP.", "Understands the OSI model."],
            ("NET", 2): ["Configures load balancers.", "Knows TLS certificates."],
            ("SEC", 1): ["Uses SSH keys."],
        }
    )
    assert kinds(OLD, new)["moved"] == ["Knows TLS certificates."]


def test_unrelated_text_in_the_same_cell_is_not_a_rewording() -> None:
    assert similarity("Understands DNS and DHCP.", "Mentors new hires on call.") < 0.6


def test_identities_decide_when_both_versions_have_them() -> None:
    from dataclasses import replace

    old = replace(OLD, criteria=tuple(replace(c, uid=f"u{i}") for i, c in enumerate(OLD.criteria)))
    texts = ["Completely new words here.", "Understands the OSI model."]
    new = replace(
        old,
        criteria=tuple(replace(c, text=texts[0]) if c.uid == "u0" else c for c in old.criteria),
    )
    change = next(c for c in match_criteria(old, new) if c.new and c.new.uid == "u0")
    assert change.kind is Change.REWORDED


def test_diff_reports_tracks_and_levels_added_removed_and_renamed() -> None:
    new = build_framework(
        "x",
        "T2",
        [Level(1, "Junior"), Level(2)],
        [Track("NET", "Networking"), Track("OPS", "Operations")],
        {("NET", 1): ["Understands DNS and DHCP."]},
    )
    diff = diff_frameworks(OLD, new)
    assert diff.title == ("T", "T2")
    assert [lv.number for lv in diff.levels_removed] == [3]
    assert [(a.title, b.title) for a, b in diff.levels_renamed] == [(None, "Junior")]
    assert [t.key for t in diff.tracks_added] == ["OPS"]
    assert [t.key for t in diff.tracks_removed] == ["SEC"]
    assert [(a.name, b.name) for a, b in diff.tracks_renamed] == [("Net", "Networking")]
    assert diff.to_dict()["counts"]["removed"] == 4


def test_a_track_renamed_with_a_new_key_is_followed_by_its_criteria() -> None:
    new = build_framework(
        "x",
        "T",
        [Level(1), Level(2), Level(3)],
        [Track("NW", "Network Engineering"), Track("SEC", "Sec")],
        {
            ("NW", 1): ["Understands DNS and DHCP.", "Understands the OSI model."],
            ("NW", 2): ["Configures load balancers."],
            ("SEC", 1): ["Uses SSH keys.", "Knows TLS certificates."],
        },
    )
    diff = diff_frameworks(OLD, new)
    assert [(a.key, b.key) for a, b in diff.tracks_renamed] == [("NET", "NW")]
    assert diff.criteria == ()


def test_a_track_that_loses_its_description_is_a_difference() -> None:
    from dataclasses import replace

    described = replace(OLD, tracks=(replace(OLD.tracks[0], description="Wires."), *OLD.tracks[1:]))
    diff = diff_frameworks(described, OLD)
    assert not diff.is_empty and diff.criteria == ()
    assert [(a.description, b.description) for a, b in diff.tracks_described] == [("Wires.", None)]
    assert diff.to_dict()["tracks"]["described"] == [  # type: ignore[index]
        {"key": OLD.tracks[0].key, "old": "Wires.", "new": None}
    ]
