"""Export → import gives back the identical ladder, for every format, on awkward text."""

from __future__ import annotations

import csv
import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skillgrid.domain.framework import Framework, Level, Track, build_framework
from skillgrid.domain.keys import assign_keys
from skillgrid.domain.splitting import BREAK_TAG
from skillgrid.exporters import ExportFormat, export_framework
from skillgrid.formulas import TRIGGERS
from skillgrid.importers import read_ladder

READABLE = [f for f in ExportFormat if f is not ExportFormat.HTML]
# commas, quotes, pipes, semicolons, backslashes, brackets, non-ASCII letters and emoji
ALPHABET = st.sampled_from(
    list(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        " ,.;:!?'\"|\\/()[]{}<>&%$#@=+-*_~"
    )
    + list("éüßøçñÅ中文日本語العربيةКирилл😀🛠️—–…’“”")
)


def line(min_size: int = 1, max_size: int = 30) -> st.SearchStrategy[str]:
    return st.text(ALPHABET, min_size=min_size, max_size=max_size).map(str.strip).filter(bool)


def criterion_text() -> st.SearchStrategy[str]:
    """One to three lines (later lines may themselves look like bullets)."""
    return (
        st.lists(line(), min_size=1, max_size=3)
        .map("\n".join)
        .filter(lambda text: not BREAK_TAG.search(text) and "_x" not in text)
    )


def unique_labels(strategy: st.SearchStrategy[str], size: int) -> st.SearchStrategy[list[str]]:
    return st.lists(strategy, min_size=size, max_size=size, unique_by=str.casefold)


@st.composite
def ladders(draw: st.DrawFn) -> Framework:
    level_count = draw(st.integers(1, 4))
    track_count = draw(st.integers(1, 4))
    # level titles carry no digits: "Staff 9, Senior 3" would read as highest-first
    title_text = line().filter(lambda t: not re.search(r"\d", t) and not t.startswith("#"))
    titles = draw(unique_labels(title_text, level_count))
    levels = [
        Level(n, titles[n - 1] if draw(st.booleans()) else None) for n in range(1, level_count + 1)
    ]
    names = draw(unique_labels(line().filter(lambda t: not t.startswith("#")), track_count))
    keys = assign_keys(names)
    if draw(st.booleans()):
        keys = [f"K{i}_{key}"[:16] for i, key in enumerate(keys)]
    tracks = [Track(key, name) for key, name in zip(keys, names, strict=True)]
    cells = {
        (track.key, level.number): draw(st.lists(criterion_text(), max_size=3))
        for track in tracks
        for level in levels
    }
    title = draw(st.one_of(st.none(), title_text))
    return build_framework("generated", title, levels, tracks, cells)


@pytest.mark.parametrize("export_format", READABLE, ids=str)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(framework=ladders())
def test_export_then_import_gives_the_same_ladder(
    export_format: ExportFormat, framework: Framework
) -> None:
    data = export_framework(framework, export_format)
    again = read_ladder(data, f"ladder.{export_format.value}").framework
    assert again.content() == framework.content()


# what a spreadsheet would run as a formula, alone or behind quotes already there
FORMULA_START = st.sampled_from(["=", "+", "-", "@", "'=", "''+", "'@", "'"])


@st.composite
def formula_ladders(draw: st.DrawFn) -> Framework:
    """Ladders whose title, track names, level titles and criteria start like formulas."""
    label = st.builds(
        "".join, st.tuples(FORMULA_START, line().filter(lambda t: not re.search(r"[\d#']", t)))
    )
    level_count = draw(st.integers(1, 3))
    titles = draw(unique_labels(label, level_count))
    levels = [Level(n, titles[n - 1]) for n in range(1, level_count + 1)]
    names = draw(unique_labels(label, draw(st.integers(1, 3))))
    tracks = [Track(key, name) for key, name in zip(assign_keys(names), names, strict=True)]
    text = st.builds("".join, st.tuples(FORMULA_START, criterion_text()))
    cells = {
        (track.key, level.number): draw(st.lists(text, max_size=2))
        for track in tracks
        for level in levels
    }
    return build_framework("formulas", draw(label), levels, tracks, cells)


@pytest.mark.parametrize("export_format", [ExportFormat.CSV, ExportFormat.TSV], ids=str)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(framework=formula_ladders())
def test_delimited_exports_start_no_cell_with_a_formula_and_read_back_as_written(
    export_format: ExportFormat, framework: Framework
) -> None:
    data = export_framework(framework, export_format)
    delimiter = "\t" if export_format is ExportFormat.TSV else ","
    rows = csv.reader(io.StringIO(data.decode(), newline=""), delimiter=delimiter)
    assert not [cell for row in rows for cell in row if cell.startswith(TRIGGERS)]
    again = read_ladder(data, f"ladder.{export_format.value}").framework
    assert again.content() == framework.content()


@pytest.mark.parametrize("export_format", READABLE, ids=str)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(framework=formula_ladders())
def test_text_that_looks_like_a_formula_round_trips_through_every_format(
    export_format: ExportFormat, framework: Framework
) -> None:
    data = export_framework(framework, export_format)
    again = read_ladder(data, f"ladder.{export_format.value}").framework
    assert again.content() == framework.content()


@pytest.mark.parametrize("export_format", READABLE, ids=str)
def test_seed_round_trips_through_every_format(
    seed_bytes: bytes, export_format: ExportFormat
) -> None:
    seed = read_ladder(seed_bytes, "sre.tsv").framework
    again = read_ladder(export_framework(seed, export_format), f"x.{export_format.value}").framework
    assert again.content() == seed.content()


def test_html_export_is_one_page_with_an_anchor_per_criterion(seed_bytes: bytes) -> None:
    seed = read_ladder(seed_bytes, "sre.tsv").framework
    page = export_framework(seed, ExportFormat.HTML).decode()
    assert page.startswith("<!doctype html>")
    assert "<script" not in page and "http" not in page.split("</style>")[1]
    for criterion in seed.criteria:
        assert f'id="{criterion.id}"' in page
    assert "Can utilize Mandatory Access Control (MAC) systems like as SELinux or AppArmor." in page
