"""The labelled evidence sets of bench/suggestion_ladders.py name criteria their ladders have:
a change to how a ladder imports (its ids) would otherwise turn labels into misses silently."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from skillgrid.importers import read_ladder
from tests.conftest import DATA

SETS = sorted((DATA / "suggest").glob("*_dev.yaml"))


def _ids(labelled: Path) -> set[str]:
    ladder = (labelled.parent / yaml.safe_load(labelled.read_text())["ladder"]).resolve()
    return {c.id for c in read_ladder(ladder.read_bytes(), ladder.name).framework.criteria}


@pytest.mark.parametrize("dev", SETS, ids=lambda p: p.name.removesuffix("_dev.yaml"))
def test_every_label_and_example_names_a_criterion_of_its_ladder(dev: Path) -> None:
    ids = _ids(dev)
    stem = dev.name.removesuffix("_dev.yaml")
    for part in (dev, dev.with_name(f"{stem}_holdout.yaml")):
        statements = yaml.safe_load(part.read_text(encoding="utf-8"))["statements"]
        assert statements, part.name
        unknown = {c for s in statements for c in s["criteria"]} - ids
        assert not unknown, f"{part.name} labels criteria its ladder lacks: {sorted(unknown)}"
    examples = yaml.safe_load(dev.with_name(f"{stem}_examples.yaml").read_text(encoding="utf-8"))
    assert set(examples) == ids, f"{stem}: every criterion has examples, and only those"
    assert all(len(lines) == 2 and all(lines) for lines in examples.values())


def test_the_four_public_ladders_are_evaluated() -> None:
    assert [p.name.removesuffix("_dev.yaml") for p in SETS] == [
        "codecademy",
        "dropbox",
        "monzo",
        "snowflake",
    ]
