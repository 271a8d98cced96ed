"""A Markdown ladder written as an outline (headings and lists) instead of a table."""

from __future__ import annotations

import pytest

from skillgrid.domain.errors import LadderError
from skillgrid.importers import ImportOptions, Orientation, read_ladder


def read(text: str, **options: object):
    return read_ladder(text.encode("utf-8"), "ladder.md", ImportOptions(**options))  # type: ignore[arg-type]


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
    # tracks in the order they first appear; a track a level does not mention is empty there
    assert [t.name for t in framework.tracks] == ["Delivery", "Collaboration", "Operations"]
    cells: dict[tuple[str, int], list[str]] = {}
    for c in framework.criteria:
        cells.setdefault((c.track, c.level), []).append(c.text)
    delivery, collaboration, operations = (t.key for t in framework.tracks)
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
    assert any("line 1" in w and "not read" in w for w in result.warnings)


def test_headings_in_fenced_code_and_html_pictures_are_not_part_of_the_ladder() -> None:
    text = """# Ladder

```sh
# a shell comment, not a heading
```

## Level 1
<picture><img src="chart.png"></picture>

### Delivery
- Ships.

## Level 2
### Delivery
- Leads.
"""
    framework = read(text).framework
    assert framework.title == "Ladder"
    assert [c.text for c in framework.criteria] == ["Ships.", "Leads."]


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


@pytest.mark.parametrize(
    "text",
    [
        "# Ladder\n\nJust prose, no table and no sections.\n",
        "# Developer\n\n## D1\n- Adopts tools.\n\n## D2\n- Designs features.\n",
    ],
)
def test_a_file_with_neither_table_nor_outline_says_how_to_write_either(text: str) -> None:
    with pytest.raises(LadderError) as caught:
        read(text)
    problem = caught.value.problems[0]
    assert "no Markdown table" in problem.message and "outline" in problem.message
    assert "| Level |" in problem.hint and "### Track A" in problem.hint


def test_a_file_with_a_table_is_read_by_its_table_as_before() -> None:
    text = "# Ladder\n\n## About\n### Notes\nSee below.\n\n"
    text += "| Level | Ops |\n|---|---|\n| 1 | Runs it. |\n"
    framework = read(text).framework
    assert [c.text for c in framework.criteria] == ["Runs it."]
