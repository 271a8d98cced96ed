"""Hypothesis fuzzing of every importer: random bytes, and real files mutated (bytes
flipped, cut, repeated, inserted; for XLSX, inside the workbook's XML). Whatever comes in,
an importer answers with a Framework (or people, or ratings) or a clean InputError naming
what is wrong — never another exception."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skillgrid.domain.errors import InputError
from skillgrid.importers import ImportOptions, read_ladder
from tests.conftest import DATA, SEED

EXAMPLES = int(os.environ.get("SKILLGRID_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
LADDERS = sorted(
    p for p in (DATA / "ladders").iterdir() if p.suffix in (".csv", ".tsv", ".md", ".xlsx")
)
PEOPLE = b"name,email,team,manager_email,role\nBo,bo@x.org,SRE,,manager\nAna,ana@x.org,,bo@x.org,\n"
RATINGS_CSV = b"criterion,rating,reason,comment\nNET.1.1,meets,,fine\nNET.1.2,n/a,not here,\n"
RATINGS_YAML = b"""ratings:
  - {criterion: NET.1.1, rating: meets, comment: fine}
  - {criterion: NET.1.2, rating: n/a, reason: not our stack}
evidence:
  - {title: Postmortem, url: "https://x.org/pm", date: 2026-03-01, criteria: [NET.1.1]}
"""
IDS = ["NET.1.1", "NET.1.2", "SEC.3.3"]


def native(kind: str) -> bytes:
    from skillgrid.exporters import ExportFormat, export_framework

    framework = read_ladder(SEED.read_bytes(), "sre.tsv").framework
    return export_framework(framework, ExportFormat(kind))


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """``original`` with a few random edits."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        edit = draw(st.sampled_from(["flip", "cut", "insert", "repeat", "truncate", "token"]))
        if edit == "flip" and at < len(data):
            data[at] ^= 1 << draw(st.integers(0, 6 if data[at] < 0x80 else 7))  # ASCII stays text
        elif edit == "cut":
            del data[at : at + draw(st.integers(1, 64))]
        elif edit == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif edit == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 200))] * draw(st.integers(2, 30))
        elif edit == "truncate":
            del data[at:]
        else:  # something a ladder parser reacts to
            token = draw(
                st.sampled_from(
                    [
                        b"\t",
                        b",",
                        b"|",
                        b"\n",
                        b"\r",
                        b'"',
                        b"<br>",
                        b"- ",
                        b"1. ",
                        b":",
                        b"{",
                        b"[",
                        b"\x00",
                        b"\xff",
                        b"\xef\xbb\xbf",
                        b"---\n",
                        b"&",
                        b"*a",
                        b"!!python",
                    ]
                )
            )
            data[at:at] = token
    return bytes(data)


@st.composite
def mutated_xlsx(draw: st.DrawFn, original: bytes) -> bytes:
    """A workbook whose parts (XML) are mutated and zipped again, so the reader gets past
    the zip and into openpyxl."""
    source = zipfile.ZipFile(io.BytesIO(original))
    names = source.namelist()
    victim = draw(st.sampled_from(names))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in names:
            part = source.read(name)
            if name == victim:
                part = draw(mutated(part))
            target.writestr(name, part)
    return out.getvalue()


def clean(call: Callable[[], object]) -> None:
    """``call`` succeeds or raises an InputError with at least one problem."""
    problems: tuple[object, ...] = ("none",)
    try:
        call()
    except InputError as error:
        problems = error.problems
    assert problems, "an InputError must say what is wrong"


SUFFIXES = [".tsv", ".csv", ".md", ".yaml", ".json", ".xlsx", ".txt"]


@pytest.mark.slow
@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_are_read_or_cleanly_refused_by_every_ladder_reader(
    data: bytes, suffix: str
) -> None:
    clean(lambda: read_ladder(data, "fuzz" + suffix))


@pytest.mark.slow
@pytest.mark.parametrize(
    "path", [SEED, *[p for p in LADDERS if p.suffix != ".xlsx"]], ids=lambda p: p.name
)
def test_mutated_real_ladders_are_read_or_cleanly_refused(path: Path) -> None:
    @FUZZ
    @given(data=mutated(path.read_bytes()), split=st.sampled_from(["auto", "lines", "sentences"]))
    def check(data: bytes, split: str) -> None:
        from skillgrid.domain.splitting import SplitMode

        options = ImportOptions(split=SplitMode(split))
        clean(lambda: read_ladder(data, path.name, options))

    check()


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["yaml", "json"])
def test_mutated_native_documents_are_read_or_cleanly_refused(kind: str) -> None:
    @FUZZ
    @given(data=mutated(native(kind)))
    def check(data: bytes) -> None:
        clean(lambda: read_ladder(data, "sre." + kind))

    check()


@pytest.mark.slow
@pytest.mark.parametrize("path", [p for p in LADDERS if p.suffix == ".xlsx"], ids=lambda p: p.name)
def test_mutated_workbooks_are_read_or_cleanly_refused(path: Path) -> None:
    original = path.read_bytes()

    @FUZZ
    @given(data=st.one_of(mutated(original), mutated_xlsx(original)))
    def check(data: bytes) -> None:
        clean(lambda: read_ladder(data, path.name))

    check()


@pytest.mark.slow
@FUZZ
@given(data=st.one_of(st.binary(max_size=2000), mutated(PEOPLE)))
def test_people_files_are_read_or_cleanly_refused(data: bytes) -> None:
    from skillgrid.importers.people import read_people

    clean(lambda: read_people(data, "people.csv"))


@pytest.mark.slow
@FUZZ
@given(data=st.one_of(st.binary(max_size=2000), mutated(RATINGS_CSV)))
def test_ratings_files_are_read_or_cleanly_refused(data: bytes) -> None:
    from skillgrid.importers.ratings import read_entries

    clean(lambda: read_entries(data, "ratings.csv", IDS))


@pytest.mark.slow
@FUZZ
@given(data=st.one_of(st.binary(max_size=2000), mutated(RATINGS_YAML)))
def test_yaml_assessments_are_read_or_cleanly_refused(data: bytes) -> None:
    from skillgrid.importers.ratings import read_assessment_yaml

    clean(lambda: read_assessment_yaml(data, "assessment.yaml", IDS))
