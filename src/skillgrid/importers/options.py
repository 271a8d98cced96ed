"""What a person can say about how a file should be read, and what reading it gave."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from skillgrid.domain.framework import Framework
from skillgrid.domain.splitting import SplitMode

MAX_CELL_CHARS = 10_000
MAX_TRACKS = 500
MAX_LEVELS = 500
MAX_FILE_BYTES = 20 * 1024 * 1024
# A worksheet may use A1:ZZ2000: room for the largest ladder either way round (500 tracks or
# levels and their labels), with a title, blank rows, notes and formatting left below it.
MAX_SHEET_ROWS = 2_000
MAX_SHEET_COLUMNS = 702  # column ZZ
# ... and hold this many cells (empty ones that keep a format count): the largest ladder's
# 501 × 501 and room around it. openpyxl spends about 8 µs on each cell it reads.
MAX_SHEET_CELLS = 300_000
# What a workbook (a zip) may unpack to, all parts together: a ladder's is under a megabyte,
# and opening a workbook parses the XML of sheets without a <dimension> whole (about 2 s here).
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
# YAML and JSON documents: a ladder nests 3 deep, an assessment 4; aliases (*name) may repeat
# this many values in all (a few lines of them can stand for billions).
MAX_NESTING = 32
MAX_ALIASED_VALUES = 10_000


class Orientation(StrEnum):
    ROWS = "rows"
    COLUMNS = "columns"


class Format(StrEnum):
    TSV = "tsv"
    CSV = "csv"
    XLSX = "xlsx"
    MARKDOWN = "md"
    YAML = "yaml"
    JSON = "json"


@dataclass(frozen=True)
class ImportOptions:
    """``None`` or ``AUTO`` means "detect it"; ``known_keys`` (track name → key) keeps the
    keys of an earlier version for tracks that keep their name."""

    format: Format | None = None
    levels_as: Orientation | None = None
    sheet: str | None = None
    split: SplitMode = SplitMode.AUTO
    encoding: str | None = None
    known_keys: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportResult:
    """A framework read from a file, and how it was read (for previews and messages)."""

    framework: Framework
    format: Format
    split: SplitMode | None = None
    levels_as: Orientation | None = None
    warnings: tuple[str, ...] = ()
