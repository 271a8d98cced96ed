"""A Markdown ladder written as an outline (headings and lists) instead of a table."""

from __future__ import annotations

import pytest

from skillgrid.domain.errors import LadderError
from skillgrid.importers import ImportOptions, Orientation, read_ladder


def read(text: str, **options: object):
    return read_ladder(text.encode("utf-8"), "ladder.md", ImportOptions(**options))  # type: ignore[arg-type]


def levels_and_criteria(text: str) -> tuple[list[str | None], list[str]]:
    framework = read(text).framework
    return [level.title for level in framework.levels], [c.text for c in framework.criteria]


LEVELS_OVER_TRACKS = """# Backend ladder

How we grow backend engineers.

## L1 - Junior Engineer

### Delivery
- Ships small, well-scoped changes with review.
- Writes tests for the code they change.

### Collaboration
* Asks for help when blocked for more than a day.

## L2 - Engineer

### Delivery
- Owns features end to end, from design to rollout.
  - Example: led the billing export from design doc to general availability

### Operations
1. Joins the on-call rotation.
2. Writes runbooks for what they own.

### Collaboration
- Reviews teammates' changes within a day.
"""


def test_levels_over_tracks_read_as_a_table_of_them() -> None:
    result = read(LEVELS_OVER_TRACKS)
    framework = result.framework
    assert framework.title == "Backend ladder"
    assert result.levels_as is Orientation.ROWS
    assert [level.title for level in framework.levels] == ["L1 - Junior Engineer", "L2 - Engineer"]
    # tracks in an order every level keeps; a track a level does not mention is empty there
    assert [t.name for t in framework.tracks] == ["Delivery", "Operations", "Collaboration"]
    cells: dict[tuple[str, int], list[str]] = {}
    for c in framework.criteria:
        cells.setdefault((c.track, c.level), []).append(c.text)
    delivery, operations, collaboration = (t.key for t in framework.tracks)
    assert cells[(delivery, 1)] == [
        "Ships small, well-scoped changes with review.",
        "Writes tests for the code they change.",
    ]
    assert cells[(collaboration, 1)] == ["Asks for help when blocked for more than a day."]
    assert (operations, 1) not in cells
    assert cells[(operations, 2)] == [
        "Joins the on-call rotation.",
        "Writes runbooks for what they own.",
    ]
    assert cells[(delivery, 2)] == ["Owns features end to end, from design to rollout."]
    assert framework.criterion(f"{delivery}.2.1").examples == (
        "led the billing export from design doc to general availability",
    )


def test_tracks_over_levels_with_descriptions() -> None:
    text = """## Technical skill
Writing and reading code, and the systems it runs on.

### Junior
- Writes clear code with guidance.

### Senior
- Sets the technical direction of the team.

## Communication
Written and spoken.

### Junior
- Gives status updates.

### Senior
- Explains trade-offs to people outside engineering.
"""
    result = read(text)
    framework = result.framework
    assert result.levels_as is Orientation.COLUMNS
    assert [t.name for t in framework.tracks] == ["Technical skill", "Communication"]
    assert [t.description for t in framework.tracks] == [
        "Writing and reading code, and the systems it runs on.",
        "Written and spoken.",
    ]
    assert [level.title for level in framework.levels] == ["Junior", "Senior"]
    assert len(framework.criteria) == 4
    assert not any("Description" in w for w in result.warnings)


def test_text_under_a_level_before_its_tracks_is_pointed_out_not_lost_silently() -> None:
    text = "## Level 1\nNew to the job.\n### Delivery\n- Ships.\n"
    text += "## Level 2\n### Delivery\n- Leads.\n"
    result = read(text)
    assert [c.text for c in result.framework.criteria] == ["Ships.", "Leads."]
    assert any("(line 2)" in w and "not read" in w for w in result.warnings)


def test_a_third_depth_of_headings_is_refused_where_it_is() -> None:
    text = "## Level 1\n### Delivery\n#### Examples\n- Ships.\n## Level 2\n### Delivery\n- Leads.\n"
    with pytest.raises(LadderError) as caught:
        read(text)
    problem = caught.value.problems[0]
    assert problem.row == 3
    assert "two" in problem.message and "list items" in problem.hint


def test_a_level_written_twice_is_a_located_problem() -> None:
    text = "## Level 1\n### Delivery\n- Ships.\n## Level 1\n### Delivery\n- Leads.\n"
    with pytest.raises(LadderError) as caught:
        read(text)
    assert any(problem.row == 4 for problem in caught.value.problems)


def test_a_file_with_neither_table_nor_outline_says_how_to_write_either() -> None:
    with pytest.raises(LadderError) as caught:
        read("# Ladder\n\nJust prose, no table and no sections.\n")
    problem = caught.value.problems[0]
    assert "no Markdown table" in problem.message and "outline" in problem.message
    assert "| Level |" in problem.hint and "### Track A" in problem.hint


def test_a_file_with_a_table_is_read_by_its_table_as_before() -> None:
    text = "# Ladder\n\n## About\n### Notes\nSee below.\n\n"
    text += "| Level | Ops |\n|---|---|\n| 1 | Runs it. |\n"
    framework = read(text).framework
    assert [c.text for c in framework.criteria] == ["Runs it."]


def test_a_level_one_track_skips_keeps_its_place_among_the_others() -> None:
    text = "## Delivery\n### L1\n- a\n### L3\n- c\n## Ops\n### L1\n- d\n### L2\n- e\n### L3\n- f\n"
    framework = read(text).framework
    assert [level.title for level in framework.levels] == ["L1", "L2", "L3"]
    delivery = framework.tracks[0].key
    assert framework.criterion(f"{delivery}.3.1").text == "c"


def test_levels_in_opposite_orders_under_two_tracks_are_refused_where_they_disagree() -> None:
    text = "## Delivery\n### L1\n- a\n### L2\n- b\n## Ops\n### L2\n- c\n### L1\n- d\n"
    with pytest.raises(LadderError) as caught:
        read(text)
    problem = caught.value.problems[0]
    assert problem.row == 9 and "the other way round" in problem.message


@pytest.mark.parametrize(
    ("text", "row", "words"),
    [
        ("## L1\n### Delivery\n- a\n### Delivery\n- b\n## L2\n### Delivery\n- c\n", 4, "twice"),
        ("## L1\n### Delivery\n- a\n## \n### Delivery\n- b\n", 4, "no text"),
        ("## L1\n### Delivery\n```\n- a\n## L2\n### Delivery\n- b\n", 3, "never closed"),
    ],
)
def test_what_cannot_be_read_as_a_person_wrote_it_is_refused_at_its_line(
    text: str, row: int, words: str
) -> None:
    with pytest.raises(LadderError) as caught:
        read(text)
    problem = caught.value.problems[0]
    assert problem.row == row and words in problem.message


def test_a_title_at_the_levels_depth_and_an_introduction_are_not_levels() -> None:
    text = "## Backend ladder\n\n## About\nHow we level.\n\n## L1\n### Delivery\n- a\n"
    text += "## L2\n### Delivery\n- b\n## Resources\n- [wiki](https://wiki)\n"
    result = read(text)
    assert result.framework.title == "Backend ladder"
    assert [level.title for level in result.framework.levels] == ["L1", "L2"]
    assert [w for w in result.warnings if "was left out" in w] == [
        "the section 'About' (line 3) holds no criteria and comes before the ladder's "
        "sections, so it was left out",
        "the section 'Resources' (line 12) holds no criteria and comes after the ladder's "
        "sections, so it was left out",
    ]


def test_a_document_whose_headings_name_no_levels_is_not_taken_for_a_ladder() -> None:
    text = "# Tool\n\n## Installation\n### Linux\n- apt install tool\n"
    text += "## Usage\n### CLI\n- tool run\n"
    with pytest.raises(LadderError) as caught:
        read(text)
    problem = caught.value.problems[0]
    assert "read as levels" in problem.message and "--levels-as" in problem.hint
    # said outright, it is read
    framework = read(text, levels_as=Orientation.ROWS).framework
    assert [level.title for level in framework.levels] == ["Installation", "Usage"]


def test_a_heading_repeating_the_titles_depth_is_the_one_pointed_at() -> None:
    text = (
        "# Ladder\n\n## L1\n### Delivery\n- a\n## L2\n### Delivery\n- b\n\n# Appendix\nSee wiki.\n"
    )
    with pytest.raises(LadderError) as caught:
        read(text)
    assert caught.value.problems[0].row == 10


def test_level_headings_without_track_headings_are_one_track_and_say_so() -> None:
    text = "# Developer\n\n## D1 - Developer 1\n<picture></picture>\n\n* **Adopts**: learns tools\n"
    text += "* **Follows**: the team's process\n\n## D2 - Developer 2\n- Designs features.\n"
    result = read(text)
    framework = result.framework
    assert [level.title for level in framework.levels] == ["D1 - Developer 1", "D2 - Developer 2"]
    assert [t.name for t in framework.tracks] == ["Expectations"]
    assert [c.text for c in framework.criteria] == [
        "**Adopts**: learns tools",
        "**Follows**: the team's process",
        "Designs features.",
    ]
    assert any("one track, 'Expectations'" in w and "### heading" in w for w in result.warnings)
    # the same shape whose headings are not levels is not a ladder
    with pytest.raises(LadderError):
        read("# Tool\n\n## Installation\n- pip install tool\n## Usage\n- tool run\n")


def test_tracks_in_a_different_order_under_each_level_are_read_whatever_the_orders() -> None:
    text = "## L1\n### Delivery\n- a\n### Operations\n- b\n## L2\n### Operations\n- c\n"
    text += "### Collaboration\n- d\n## L3\n### Collaboration\n- e\n### Delivery\n- f\n"
    framework = read(text).framework
    assert {t.name for t in framework.tracks} == {"Delivery", "Operations", "Collaboration"}
    assert len(framework.criteria) == 6


def test_levels_whose_orders_go_round_in_a_circle_are_refused_cleanly() -> None:
    text = "## Delivery\n### L1\n- a\n### L2\n- b\n## Ops\n### L2\n- c\n### L3\n- d\n"
    text += "## People\n### L3\n- e\n### L1\n- f\n"
    with pytest.raises(LadderError) as caught:
        read(text)
    assert "circle" in caught.value.problems[0].message


def test_wrapped_lines_are_one_criterion_and_a_rule_after_a_list_is_no_heading() -> None:
    text = "## L1\n### Delivery\n- Designs features that\ncover edge cases\n\n---\n\n"
    text += "### Operations\nRuns the service and\nwatches its alerts.\n"
    text += "## L2\n### Delivery\n- Leads\n  projects\n"
    assert levels_and_criteria(text) == (
        ["L1", "L2"],
        [
            "Designs features that cover edge cases",
            "Leads projects",
            "Runs the service and watches its alerts.",
        ],
    )


def test_an_faq_after_the_levels_is_left_out_and_said() -> None:
    text = "# Ladder\n## L1\n### Delivery\n- a\n## L2\n### Delivery\n- b\n"
    text += "## FAQ\n### How do I get promoted?\n- Ask your manager.\n"
    result = read(text)
    assert [level.title for level in result.framework.levels] == ["L1", "L2"]
    assert any("'FAQ'" in w and "does not read as a level" in w for w in result.warnings)


def test_headings_that_read_as_levels_alike_on_both_depths_ask_which_are_levels() -> None:
    with pytest.raises(LadderError) as caught:
        read("# Ladder\n## L1\n- a\n### L2\n- b\n## L3\n- c\n")
    problem = caught.value.problems[0]
    assert "read as levels alike" in problem.message and "--levels-as" in problem.hint


def test_tracks_that_read_a_little_like_levels_are_tracks_with_a_warning() -> None:
    text = "## Engineer I\n### Kubernetes\n- Deploys a service\n### IPv6\n- Knows addresses\n"
    text += "## Engineer II\n### Kubernetes\n- Writes operators\n### L2\n- Misplaced\n"
    result = read(text)
    assert [t.name for t in result.framework.tracks] == ["Kubernetes", "IPv6", "L2"]
    assert any("'IPv6', 'L2' read as levels too" in w for w in result.warnings)


def test_a_heading_twice_in_another_case_is_the_same_heading() -> None:
    with pytest.raises(LadderError) as caught:
        read("## Delivery\n### Junior\n- a\n### junior\n- b\n## Ops\n### Junior\n- c\n")
    assert caught.value.problems[0].row == 4


def test_a_ladder_table_is_kept_over_a_short_outline_beside_it() -> None:
    text = "| Level | Ops |\n|---|---|\n| 1 | Runs the service from its runbook every day. |\n"
    text += "| 2 | Scales the service for the peak of the year. |\n\n"
    text += "## Notes\n### L1\n- new\n### L2\n- old\n"
    result = read(text)
    assert [c.text for c in result.framework.criteria] == [
        "Runs the service from its runbook every day.",
        "Scales the service for the peak of the year.",
    ]
    assert not any("left out" in w for w in result.warnings)


def test_numbered_sections_are_not_levels_for_their_numbers() -> None:
    text = "## 1. Technical skills\n### Junior\n- a\n### Senior\n- b\n"
    text += "## 2. Communication\n### Junior\n- c\n### Senior\n- d\n"
    result = read(text)
    assert result.levels_as is Orientation.COLUMNS
    assert [t.name for t in result.framework.tracks] == ["1. Technical skills", "2. Communication"]
    assert [level.title for level in result.framework.levels] == ["Junior", "Senior"]


def test_text_is_kept_as_written_in_markdown() -> None:
    text = "# Ladder\n## L1\n### Delivery\n- Knows that 1 + 1 = 2, and uses review + docs\n"
    text += "- Keeps MTTR\n  <1 hour for P1 incidents\n- Ships features <!-- TODO: reword\n"
    text += "  this one -->\n- Reviews code\n\nNote: a paragraph after the list.\n"
    text += "## L2\n### Delivery\n- Leads\n"
    framework = read(text).framework
    assert [c.text for c in framework.criteria] == [
        "Knows that 1 + 1 = 2, and uses review + docs",
        "Keeps MTTR <1 hour for P1 incidents",
        "Ships features",
        "Reviews code",
        "Note: a paragraph after the list.",
        "Leads",
    ]


def test_a_level_not_filled_in_yet_keeps_its_place() -> None:
    framework = read(
        "# Ladder\n## L1\n## L2\n### Delivery\n- a\n## L3\n### Delivery\n- b\n"
    ).framework
    assert [level.title for level in framework.levels] == ["L1", "L2", "L3"]
    assert [c.id for c in framework.criteria] == ["DEL.2.1", "DEL.3.1"]


@pytest.mark.parametrize(
    "text",
    [
        "# Ladder\n\n| Links |\n|---|\n| [Wiki](http://wiki) |\n\n",  # not a ladder table
        "# Ladder\n\n| Metric | Target |\n|---|---|\n| MTTR | 4h |\n\n",  # a table in a section
        # a summary of the levels: a table, but with less text than the sections' criteria
        "# Ladder\n\n| Level | Title | Years |\n|---|---|---|\n| L1 | Junior | 0-2 |\n"
        "| L2 | Engineer | 2-5 |\n\n",
    ],
)
def test_a_table_that_is_not_the_ladder_gives_way_to_the_outline(text: str) -> None:
    text += "## L1\n### Operations\n- Carries the pager during business hours\n"
    text += "## L2\n### Operations\n- Leads incident response for the service\n"
    result = read(text)
    assert [c.text for c in result.framework.criteria] == [
        "Carries the pager during business hours",
        "Leads incident response for the service",
    ]
    assert result.warnings[0].startswith("the table at line 3 was left out")


def test_a_summary_heading_under_a_track_is_its_description_beside_the_text_above_it() -> None:
    text = "## Technical depth\nKnowing the stack.\n### Summary\nDepth in the stack.\n"
    text += "### Engineer I\n- Reads dashboards\n### Engineer II\n- Tunes services\n"
    text += "## Collaboration\n### Engineer I\n- Asks for reviews\n"
    framework = read(text).framework
    assert [level.title for level in framework.levels] == ["Engineer I", "Engineer II"]
    assert framework.tracks[0].description == "Knowing the stack. Depth in the stack."


@pytest.mark.parametrize("title", ["~~~ SRE ladder ~~~", "```", "<!-- draft", "---", "# Hash"])
def test_a_markdown_export_reads_back_whatever_its_title(title: str) -> None:
    from dataclasses import replace

    from skillgrid.exporters.markdown import write_markdown

    framework = replace(read_ladder(b"Level,Ops\n1,Runs it.\n", "l.csv").framework, title=title)
    back = read_ladder(write_markdown(framework), "l.md").framework
    assert back.title == title and back.criteria == framework.criteria
