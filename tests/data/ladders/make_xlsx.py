"""Regenerate ``snowflake_medium.xlsx`` (the XLSX ladder fixture).

Usage (from the repository root)::

    python tests/data/ladders/make_xlsx.py

The criteria are the milestone *signals* of four engineering tracks of Medium's
Snowflake engineering growth framework (github.com/Medium/snowflake,
constants.js, Apache-2.0). See tests/data/README.md.

Sheet shape (what the fixture demonstrates):

* A1 holds a title, merged across the header width (the ONLY merged range);
* row 2 is empty; the header is row 3 ("Milestone", then one column per track);
* levels are rows (first column), lowest first;
* every cell holds several criteria separated by line breaks ("\\n"), written in
  a different style per column: "• " bullets, plain lines, "- " bullets, and
  plain lines separated by blank lines.

The workbook metadata timestamps are fixed so that regenerating the file gives
the same content.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

OUT = Path(__file__).with_name("snowflake_medium.xlsx")

TITLE = "Medium Engineering Growth Framework"
CORNER = "Milestone"
LEVELS = ["Milestone 1", "Milestone 2", "Milestone 3", "Milestone 4"]
TRACKS = ["Mobile", "Web client", "Foundations", "Servers"]

# track -> one list of signals per milestone (lowest first), copied verbatim.
# Note the double space in "Works effectively with  Android ..." (as in the source).
SIGNALS: dict[str, list[list[str]]] = {
    "Mobile": [
        [
            "Delivers features requiring simple local modifications",
            "Adds simple actions that call server endpoints",
            "Reuses existing components appropriately",
        ],
        [
            "Defines new useful and appropriate proto-generated objects",
            "Creates simple new activities on Android",
            "Migrates code from old patterns to new patterns",
        ],
        [
            "Implements complex features with a large product surface area",
            "Works effectively with  Android reactive programming framework",
            "Adds support for new iOS features after a major iOS version upgrade",
        ],
        [
            "Pioneers architecture migration strategies that reduce programmer burden",
            "Fixes subtle memory management issues",
            "Implements interactive dismissals that bring delight",
        ],
    ],
    "Web client": [
        [
            "Makes minor modifications to existing screens",
            "Fixes simple design quality issues",
            "Uses CSS appropriately, following style guide",
        ],
        [
            "Makes sensible abstractions based on template and code patterns",
            "Specs and builds interactive components independently",
            "Prototypes simple new features quickly",
        ],
        [
            "Provides useful design feedback and suggests feasible alternatives",
            "Performs systemic tasks to significantly minimise bundle size",
            "Acts a caretaker for all of web client code",
        ],
        [
            "Pioneers architecture migrations that reduce programmer burden",
            "Implements complex UI transitions that bring delight",
            "Makes architectural decisions that eliminate entire classes of bugs",
        ],
    ],
    "Foundations": [
        [
            "Writes thorough postmortems for service outages",
            "Makes simple configuration changes to services",
            "Performs backfills safely and effectively, without causing pages",
        ],
        [
            "Made minor version upgrades to technologies",
            "Builds machine learning jobs within the ML framework",
            "Triages service issues correctly and independently",
        ],
        [
            "Acts as primary maintainer for existing critical systems",
            "Designs moderately complex systems",
            "Makes major version upgrades to libraries",
        ],
        [
            "Designs complex projects that encompass multiple systems and technologies",
            "Demonstrates deep knowledge of foundational systems",
            "Introduces new databases and technologies to meet underserved needs",
        ],
    ],
    "Servers": [
        [
            "Adds NodeJS endpoints using layers architecture",
            "Adds golang endpoints using Gotham architecture",
            "Makes minor server changes to support client needs",
        ],
        [
            "Assesses correctness and utility of existing code and avoids blind copy-pasting",
            "Generalizes code when appropriate",
            "Determines data needs from product requirements",
        ],
        [
            "Acts as primary maintainer for existing critical systems",
            "Integrates third party services effectively",
            "Writes playbooks for new service maintenance",
        ],
        [
            "Delivers complex systems that achieve their goals",
            "Avoids subtle architectural mistakes when considering new systems",
            "Makes appropriate buy vs build choices",
        ],
    ],
}

# How each column writes its list inside a cell.
STYLE = {
    "Mobile": "bullet",  # "• a\n• b\n• c"
    "Web client": "plain",  # "a\nb\nc"
    "Foundations": "dash",  # "- a\n- b\n- c"
    "Servers": "blank",  # "a\n\nb\n\nc"
}


def cell_text(items: list[str], style: str) -> str:
    if style == "bullet":
        return "\n".join("\u2022 " + s for s in items)
    if style == "dash":
        return "\n".join("- " + s for s in items)
    if style == "blank":
        return "\n\n".join(items)
    return "\n".join(items)


def build() -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Engineering"
    width = 1 + len(TRACKS)

    ws.cell(row=1, column=1, value=TITLE).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)

    header_row = 3
    ws.cell(row=header_row, column=1, value=CORNER).font = Font(bold=True)
    for j, track in enumerate(TRACKS, start=2):
        ws.cell(row=header_row, column=j, value=track).font = Font(bold=True)

    wrap = Alignment(wrap_text=True, vertical="top")
    for i, level in enumerate(LEVELS):
        r = header_row + 1 + i
        ws.cell(row=r, column=1, value=level).alignment = wrap
        for j, track in enumerate(TRACKS, start=2):
            c = ws.cell(row=r, column=j, value=cell_text(SIGNALS[track][i], STYLE[track]))
            c.alignment = wrap

    ws.column_dimensions["A"].width = 14
    for letter in "BCDE":
        ws.column_dimensions[letter].width = 48

    fixed = _dt.datetime(2024, 1, 1, 0, 0, 0)
    wb.properties.creator = "SkillGrid test fixtures"
    wb.properties.created = fixed
    wb.properties.modified = fixed
    return wb


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite the .xlsx container with fixed member timestamps (stable bytes)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps "modified" with the current time on save; pin it.
                payload = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>2024-01-01T00:00:00Z\g<2>",
                    payload,
                )
            dst.writestr(fixed, payload)
    return buf.getvalue()


def main() -> None:
    buf = io.BytesIO()
    build().save(buf)
    OUT.write_bytes(_normalise_zip(buf.getvalue()))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
