"""Ladders in the shape of Monzo's progression framework (levels and topics), which many
companies forked: in a page's front matter, or as a YAML or JSON file."""

from __future__ import annotations

import json

import pytest
import yaml

from skillgrid.domain.errors import LadderError
from skillgrid.importers import read_ladder

DOCUMENT = {
    "title": "Backend Engineering Framework",
    "levels": 3,
    "topics": [
        {
            "name": "communication",
            "title": None,
            "content": [
                {"level": 1, "criteria": ["Provides regular status updates"]},
                {
                    "level": 2,
                    "criteria": ["Accepts feedback graciously"],
                    "exampleCriteria": [
                        {
                            "criteria": "Writes PR descriptions that give context",
                            "examples": ["I decided X instead of Y, because  of Z"],
                        }
                    ],
                },
            ],
        },
        {
            "name": "technical-skills",
            "title": "🛠️ Mastery",
            "content": [{"level": 3, "criteria": ["Sets the direction of a system"]}],
        },
        {"name": "technical-skills-2", "content": [{"level": 1, "criteria": ["Writes tests"]}]},
    ],
}


def page(document: dict[str, object]) -> bytes:
    front = yaml.safe_dump(document, allow_unicode=True)
    return f"---\n{front}---\n\n## About this framework\n\nSome prose.\n".encode()


def test_a_page_whose_front_matter_holds_the_ladder_reads_it() -> None:
    result = read_ladder(page(DOCUMENT), "backend.md")
    framework = result.framework
    assert framework.title == "Backend Engineering Framework"
    assert [level.number for level in framework.levels] == [1, 2, 3]
    assert [t.name for t in framework.tracks] == [
        "Communication",
        "🛠️ Mastery",
        "Technical skills 2",
    ]
    by_cell = {(c.track, c.level, c.position): c for c in framework.criteria}
    communication = framework.tracks[0].key
    assert [c.text for c in framework.criteria if c.track == communication] == [
        "Provides regular status updates",
        "Accepts feedback graciously",
        "Writes PR descriptions that give context",
    ]
    assert by_cell[(communication, 2, 2)].examples == ("I decided X instead of Y, because of Z",)
    assert any("front matter" in warning for warning in result.warnings)


@pytest.mark.parametrize("name", ["backend.yml", "backend.json"])
def test_the_same_document_as_a_yaml_or_json_file_reads_alike(name: str) -> None:
    data = json.dumps(DOCUMENT).encode()  # JSON is YAML too
    read = read_ladder(data, name).framework
    assert read.criteria == read_ladder(page(DOCUMENT), "backend.md").framework.criteria


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"levels": "six"}, "at levels"),
        ({"levels": 0}, "at levels"),
        ({"topics": [{"name": "", "content": []}]}, "at topics[0]"),
        (
            {"topics": [{"name": "x", "content": [{"level": 4, "criteria": ["a"]}]}]},
            "at topics[0].content[0]",
        ),
        (
            {"topics": [{"name": "x", "content": [{"level": 1, "criteria": [7]}]}]},
            "at topics[0].content[0].criteria[0]",
        ),
    ],
)
def test_a_document_out_of_shape_is_refused_at_its_path(
    change: dict[str, object], where: str
) -> None:
    for data, name in (
        (page({**DOCUMENT, **change}), "b.md"),
        (json.dumps({**DOCUMENT, **change}).encode(), "b.json"),
    ):
        with pytest.raises(LadderError) as caught:
            read_ladder(data, name)
        assert caught.value.problems[0].message.startswith(where), caught.value.problems[0]


def test_front_matter_that_holds_no_ladder_leaves_the_page_to_be_read() -> None:
    text = "---\ntitle: Ladder\ntopics: none\n---\n\n## L1\n\n- Ships\n\n## L2\n\n- Leads\n"
    framework = read_ladder(text.encode(), "ladder.md").framework
    assert [c.text for c in framework.criteria] == ["Ships", "Leads"]
