"""CSV and TSV exports: quoted where needed, cells keep their line breaks, and no cell starts
a formula (:mod:`skillgrid.formulas`)."""

from __future__ import annotations

import csv
import io

from skillgrid.domain.framework import Framework
from skillgrid.exporters.table import table_rows
from skillgrid.formulas import escape_row


def write_delimited(framework: Framework, delimiter: str) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerows(escape_row(row) for row in table_rows(framework))
    return buffer.getvalue().encode("utf-8")
