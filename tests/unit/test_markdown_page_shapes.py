"""A ladder on a Markdown page as people write one: bold labels that name the tracks,
first-person headings that are no levels, and what on the page is no part of the ladder
(fenced code, comments, front matter, HTML: pictures, styles, scripts, tables)."""

from __future__ import annotations

import pytest

from skillgrid.domain.errors import LadderError
from tests.unit.test_markdown_outline import levels_and_criteria, read

BOLD_LABELS = """# Software engineer path

## Engineer I

Works the team's hours.

**Impact:** Takes on work that helps the team meet its goals.

- **Communication**: Asks questions to understand context.
  - Example: wrote down the open questions before the kick-off

**Delivery:**

- Ships small changes.
- Fixes bugs with guidance.
  - Example: the flaky export

## Engineer II

**Impact:** Owns features end to end.

- **communication**: Keeps stakeholders informed.

**Delivery:**
- Ships projects.
"""


def test_bold_labels_opening_the_lines_under_the_levels_are_the_tracks() -> None:
    result = read(BOLD_LABELS)
    framework = result.framework
    assert [t.name for t in framework.tracks] == [
        "Impact",
        "Communication",
        "Delivery",
        "Expectations",
    ]
    cells = {(c.track, c.level): [] for c in framework.criteria}
    for c in framework.criteria:
        cells[(c.track, c.level)].append(c.text)
    by_name = {t.name: t.key for t in framework.tracks}
    assert cells[(by_name["Impact"], 2)] == ["Owns features end to end."]
    assert cells[(by_name["Delivery"], 1)] == ["Ships small changes.", "Fixes bugs with guidance."]
    assert cells[(by_name["Communication"], 2)] == ["Keeps stakeholders informed."]
    examples = {c.text: c.examples for c in framework.criteria if c.examples}
    assert examples == {
        "Asks questions to understand context.": (
            "wrote down the open questions before the kick-off",
        ),
        "Fixes bugs with guidance.": ("the flaky export",),
    }
    # a line with no label is kept, in the one track it would have been in
    assert cells[(by_name["Expectations"], 1)] == ["Works the team's hours."]
    assert any("bold labels" in warning and "'Impact'" in warning for warning in result.warnings)


def test_bold_labels_before_the_track_headings_are_tracks_beside_them() -> None:
    text = (
        "## Engineer I\n\n**Impact:** Helps the team meet its goals.\n\n"
        "### Responsibilities\n\n- Fixes simple bugs.\n\n"
        "## Engineer II\n\n**Impact:** Owns features.\n\n"
        "### Responsibilities\n\n- Designs features.\n"
    )
    result = read(text)
    assert [t.name for t in result.framework.tracks] == ["Impact", "Responsibilities"]
    assert [c.text for c in result.framework.criteria] == [
        "Helps the team meet its goals.",
        "Owns features.",
        "Fixes simple bugs.",
        "Designs features.",
    ]
    assert not any("was not read" in warning for warning in result.warnings)


def test_a_bold_word_here_and_there_is_not_a_track() -> None:
    text = (
        "## L1\n- **Always** writes tests.\n- Ships small changes.\n- Asks for help.\n"
        "## L2\n- **Note:** leads reviews.\n- Ships projects.\n- Mentors.\n"
    )
    result = read(text)
    assert [t.name for t in result.framework.tracks] == ["Expectations"]
    assert "**Note:** leads reviews." in [c.text for c in result.framework.criteria]


def test_a_question_in_the_first_person_is_not_a_level() -> None:
    text = (
        "# Engineering framework\n\n## When do I get promoted?\n\n"
        "When your manager can show a quarter at the next level.\n\n"
        "## IC1\n\n- Delivers small projects\n\n## IC2\n\n- Delivers large projects\n"
        "\n## Engineer I\n\n- Joins on-call\n"
    )
    result = read(text)
    assert [level.title for level in result.framework.levels] == ["IC1", "IC2", "Engineer I"]
    assert any("'When do I get promoted?'" in warning for warning in result.warnings)


def test_styles_and_scripts_in_the_file_are_not_part_of_the_ladder() -> None:
    text = (
        "## IC1\n\n- Ships code\n\n## IC2\n\n- Leads projects\n\n"
        '<style>\n  .levels {\n    --width: 3;\n  }\n</style>\n<script type="module">\n'
        "  - not a criterion\n</script>\n"
    )
    assert levels_and_criteria(text) == (["IC1", "IC2"], ["Ships code", "Leads projects"])


def test_an_html_table_is_named_when_nothing_else_can_be_read() -> None:
    text = (
        "<table>\n<tr><th>Level</th><th>Scope</th></tr>\n"
        "<tr><td>1</td><td>Team</td></tr>\n</table>\n"
    )
    with pytest.raises(LadderError) as caught:
        read(text)
    assert "HTML table" in caught.value.problems[0].message
    with pytest.raises(LadderError) as caught:  # under headings that are not a ladder's
        read("# Competencies\n\n## Delivery\n\n" + text + "\n## Domain expertise\n\n" + text)
    assert "HTML table" in caught.value.problems[0].message


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


def test_comments_fenced_tables_front_matter_and_setext_headings() -> None:
    text = """---
title: internal
---
Backend ladder
==============

<!-- TODO before publishing:
- Owns the deploy pipeline
## L9
-->

```
| Level | Old |
|---|---|
| 1 | old |
```

L1
--
### Delivery
+ Ships small changes.
+ Writes tests.

## L2
### Delivery
- Leads projects.
"""
    assert read(text).framework.title == "Backend ladder"
    assert levels_and_criteria(text) == (
        ["L1", "L2"],
        ["Ships small changes.", "Writes tests.", "Leads projects."],
    )


def test_fences_need_a_bare_closing_line_and_front_matter_needs_keys() -> None:
    text = "---\n# Ladder\n## L1\n### Delivery\n- Ships\n```\ncode\n```python\n- hidden\n```\n"
    text += "---\n## L2\n### Delivery\n- Leads\n"
    framework = read(text).framework
    assert framework.title == "Ladder"
    assert [c.text for c in framework.criteria] == ["Ships", "Leads"]
