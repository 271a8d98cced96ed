"""How a table becomes a ladder: header, title, orientation, labels, keys."""

from __future__ import annotations

import pytest

from skillgrid.domain.errors import LadderError
from skillgrid.importers import ImportOptions, Orientation, read_ladder


def read(text: str, name: str = "ladder.csv", **options: object):
    return read_ladder(text.encode("utf-8"), name, ImportOptions(**options))  # type: ignore[arg-type]


def test_title_line_blank_lines_bom_crlf_and_trailing_delimiters_are_handled() -> None:
    text = (
        "\ufeff\r\n\r\nMy Ladder\r\n\r\n"
        "Level,Ops,Dev,\r\n1,Runs it.,Builds it.,\r\n2,,Ships it.,\r\n"
    )
    framework = read(text).framework
    assert framework.title == "My Ladder"
    assert [t.name for t in framework.tracks] == ["Ops", "Dev"]
    assert [c.id for c in framework.criteria] == ["OPS.1.1", "DEV.1.1", "DEV.2.1"]


def test_quoted_cells_with_line_breaks_are_lists() -> None:
    text = 'Level,Ops\n1,"- Runs it. Well.\n- Watches it."\n2,Fixes it. Fast.\n'
    framework = read(text).framework
    assert [c.text for c in framework.criteria] == [
        "Runs it. Well.",
        "Watches it.",
        "Fixes it. Fast.",
    ]


def test_levels_as_columns_are_detected_from_level_like_labels() -> None:
    text = "Competency,Engineer I,Engineer II,Senior Engineer\nDelivery,a,b,c\nCraft,d,e,f\n"
    result = read(text)
    assert result.levels_as is Orientation.COLUMNS
    assert [lv.title for lv in result.framework.levels] == [
        "Engineer I",
        "Engineer II",
        "Senior Engineer",
    ]
    assert [t.name for t in result.framework.tracks] == ["Delivery", "Craft"]
    assert [c.text for c in result.framework.cell("CRA", 2)] == ["e"]


def test_levels_as_columns_without_a_corner_hint() -> None:
    text = ",L1,L2\nDelivery,a,b\nCraft,c,d\n"
    assert read(text).levels_as is Orientation.COLUMNS


def test_orientation_can_be_forced() -> None:
    text = "Level,1,2\nOps,a,b\n"
    result = read(text, levels_as=Orientation.ROWS)
    assert [t.name for t in result.framework.tracks] == ["1", "2"]
    assert [lv.title for lv in result.framework.levels] == ["Ops"]


def test_word_level_labels_are_numbered_by_order_and_kept_as_titles() -> None:
    text = "Level,Ops\nD1 - Developer 1,a\nSenior Engineer 2 (IC),b\n"
    levels = read(text).framework.levels
    assert [(lv.number, lv.title) for lv in levels] == [
        (1, "D1 - Developer 1"),
        (2, "Senior Engineer 2 (IC)"),
    ]


def test_numbered_levels_written_highest_first_are_put_in_order() -> None:
    text = "Level,Ops\n3,c\n2,b\n1,a\n"
    framework = read(text).framework
    assert [c.id + "=" + c.text for c in framework.criteria] == [
        "OPS.1.1=a",
        "OPS.2.1=b",
        "OPS.3.1=c",
    ]


def test_labelled_levels_written_highest_first_are_put_in_order() -> None:
    text = "Level,Ops\nL5 Principal,c\nL4 Staff,b\nL3 Senior,a\n"
    assert [lv.title for lv in read(text).framework.levels] == [
        "L3 Senior",
        "L4 Staff",
        "L5 Principal",
    ]


def test_explicit_track_keys_in_brackets() -> None:
    text = "Level,Networking [key: NETW],Security [DRAFT]\n1,a,b\n"
    tracks = read(text).framework.tracks
    assert [(t.key, t.name) for t in tracks] == [("NETW", "Networking"), ("SD", "Security [DRAFT]")]


def test_known_keys_survive_a_reimport_with_a_new_track_that_collides() -> None:
    text = "Level,Network Ops,Networking\n1,a,b\n"
    tracks = read(text, known_keys={"Networking": "NET"}).framework.tracks
    assert [t.key for t in tracks] == ["NO", "NET"]


def test_semicolon_csv_from_european_spreadsheets() -> None:
    text = "Level;Ops;Dev\n1;Runs it, well.;Builds it.\n"
    assert [c.text for c in read(text).framework.criteria] == ["Runs it, well.", "Builds it."]


def test_markdown_table_with_br_and_escaped_pipes() -> None:
    text = (
        "# Platform ladder\n\n| Level | Ops | Dev |\n|---|:--|--:|\n"
        "| 1 | - Pipes a \\| b<br>- Runs it | Builds |\n| 2 | | Ships |\n"
    )
    framework = read(text, "ladder.md").framework
    assert framework.title == "Platform ladder"
    assert [c.text for c in framework.cell("OPS", 1)] == ["Pipes a | b", "Runs it"]


def test_split_override_reads_sentences_in_a_list_mode_file() -> None:
    text = 'Level,Ops\n1,"- A. B.\n- C."\n'
    assert len(read(text).framework.criteria) == 2
    assert len(read(text, split="sentences").framework.criteria) == 3


def test_every_problem_is_reported_at_once() -> None:
    text = "Level,Ops,ops,\n1,a,b,c\n,d,e\n"
    with pytest.raises(LadderError) as caught:
        read(text)
    messages = [str(p) for p in caught.value.problems]
    assert any("ragged row" in m and "row 2, column 4" in m for m in messages)
    assert any("no label" in m and "row 3, column 1" in m for m in messages)


def test_a_ragged_row_names_the_columns_as_the_file_numbers_them() -> None:
    """An empty spacer column is set aside before the checks; the message still counts it,
    as the location does."""
    with pytest.raises(LadderError) as caught:
        read("Level,,Dex,Str\nE0,,Writes clean code,Ships,extra\nE1,,Writes tests,Fixes\n")
    problem = caught.value.problems[0]
    assert problem.column == 5
    assert "column 5, past the header's last column (4)" in problem.message


def test_sheet_option_on_a_text_file_is_refused_not_ignored() -> None:
    with pytest.raises(LadderError, match="--sheet 'Ladder' was given, but this is a csv file"):
        read("Level,Ops\n1,a\n", sheet="Ladder")


@pytest.mark.parametrize(
    "labels",
    [
        ["Engineer IV", "Engineer III", "Engineer II", "Engineer I"],
        ["Principal", "Staff", "Senior", "Mid", "Junior"],
        ["Staff (L6)", "IC5 / Senior", "L4"],
    ],
)
def test_levels_written_most_senior_first_are_reversed(labels: list[str]) -> None:
    text = "Level,Ops\n" + "".join(f"{label},x{i}\n" for i, label in enumerate(labels))
    framework = read(text).framework
    assert [lv.title for lv in framework.levels] == labels[::-1]
    assert framework.cell("OPS", 1)[0].text == f"x{len(labels) - 1}"


def test_an_arrow_in_the_corner_says_which_labels_run_down() -> None:
    text = "Skills → / Levels ↓,Coding,Communication\nJunior,a,b\nSenior,c,d\n"
    result = read(text)
    assert result.levels_as is Orientation.ROWS
    assert [t.name for t in result.framework.tracks] == ["Coding", "Communication"]


def test_float_level_numbers_from_spreadsheets_are_plain_numbers() -> None:
    levels = read("Level,Ops\n1.0,a\n2.0,b\n").framework.levels
    assert [(lv.number, lv.title) for lv in levels] == [(1, None), (2, None)]


def test_a_table_that_starts_in_column_b_is_read_and_errors_name_real_columns() -> None:
    framework = read(",,\n,Level,Ops\n,1,Runs it.\n").framework
    assert [c.text for c in framework.criteria] == ["Runs it."]
    with pytest.raises(LadderError, match="row 3, column 2: the row has content but no label"):
        read(",Level,Ops\n,1,a\n,,b\n")


def test_a_lone_line_break_in_a_prose_ladder_is_read_in_list_mode_with_a_warning() -> None:
    text = (
        'Level,Ops,Dev\n1,"Runs it.\nWatches it.",Builds it. Tests it.\n'
        "2,Scales it. Tunes it.,Ships it. Fixes it.\n"
    )
    result = read(text)
    assert len(result.framework.criteria) == 5
    assert any("--split sentences" in warning for warning in result.warnings)
    assert read(text, split="sentences").warnings == ()


def test_a_notes_column_reads_as_a_track_and_says_so() -> None:
    result = read("Level,Ops,Notes\n1,Runs it.,ask Bob\n")
    assert [t.name for t in result.framework.tracks] == ["Ops", "Notes"]
    assert any("'Notes'" in warning for warning in result.warnings)


def test_yaml_words_like_on_and_numbers_like_1_10_stay_text() -> None:
    text = (
        "title: 1.10\nlevels:\n  - number: 1\ntracks:\n  - key: ON\n    name: yes\n"
        "criteria:\n  - track: ON\n    level: 1\n    text: off\n"
    )
    framework = read(text, "ladder.yaml").framework
    assert framework.title == "1.10"
    assert [(t.key, t.name) for t in framework.tracks] == [("ON", "yes")]
    assert framework.criteria[0].text == "off"


def test_a_footnote_under_the_table_is_left_out_and_pointed_out() -> None:
    result = read("Level,Ops,Dev\n1,a,b\n2,c,d\nLast reviewed by the guild in 2024,,\n")
    assert len(result.framework.levels) == 2
    assert any("row 4" in w and "a note" in w for w in result.warnings)


def test_bold_markdown_labels_are_read_without_their_asterisks() -> None:
    text = "| Axis | **1** | 2 |\n|---|---|---|\n| **Technology** | **Adopts**: learns | b |\n"
    framework = read(text, "ladder.md").framework
    assert [t.name for t in framework.tracks] == ["Technology"]
    assert [lv.number for lv in framework.levels] == [1, 2]
    assert framework.criteria[0].text == "**Adopts**: learns"


def test_level_like_header_outweighs_a_level_corner_over_track_rows() -> None:
    text = "Level,IC1,IC2,IC3\nCoding,a,b,c\nSystem Design,d,e,f\n"
    result = read(text)
    assert result.levels_as is Orientation.COLUMNS
    assert [t.name for t in result.framework.tracks] == ["Coding", "System Design"]
    assert any("'Level'" in w and "--levels-as rows" in w for w in result.warnings)


def test_a_label_only_row_between_tracks_is_a_heading_not_a_track() -> None:
    text = (
        "Competency,Junior,Senior\nTechnical,,\nCoding,a,b\nDesign,c,d\n"
        "Behavioural,,\nOwnership,e,f\n"
    )
    result = read(text)
    assert [t.name for t in result.framework.tracks] == ["Coding", "Design", "Ownership"]
    assert any("row 2" in w and "'Technical'" in w and "heading" in w for w in result.warnings)


def test_a_footnote_does_not_stop_levels_written_highest_first_being_reversed() -> None:
    text = "Level,Ops\nL2 / Senior,b\nL1 / Junior,a\n* Levels are cumulative.,\n"
    framework = read(text).framework
    assert [lv.title for lv in framework.levels] == ["L1 / Junior", "L2 / Senior"]


def test_a_description_column_gives_the_tracks_descriptions() -> None:
    text = 'Theme,Summary,Junior,Senior\nDelivery,"Gets things\ndone.",Ships it.,Leads it.\n'
    result = read(text)
    assert [lv.title for lv in result.framework.levels] == ["Junior", "Senior"]
    assert [(t.name, t.description) for t in result.framework.tracks] == [
        ("Delivery", "Gets things\ndone.")
    ]
    assert [c.text for c in result.framework.criteria] == ["Ships it.", "Leads it."]
    assert result.warnings == ()


def test_a_table_of_links_or_yes_and_no_reads_but_asks_whether_it_is_the_ladder() -> None:
    index = (
        "| Level | Senior | Position |\n|---|---|---|\n| 1 | No | [Junior](junior.md) |\n"
        "| 2 | No | [Developer](developer.md) |\n| 3 | Yes | [Senior](senior.md) |\n"
    )
    warned = read(index, "ladder.md").warnings
    assert len(warned) == 1 and "6 of 6 criteria are a bare link or a yes or no" in warned[0]
    skills = "Level,Cloud,Data\n1,Kubernetes,SQL\n2,Terraform,Kafka\n"  # a word each: fine
    assert read(skills).warnings == ()
