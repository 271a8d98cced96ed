"""Import + validate a 5,000-criterion ladder (50 tracks × 10 levels × 10 criteria), as a
ratio to merely reading the same file with ``csv`` / ``openpyxl`` in the same run.

Targets: ≤ 3× for CSV, ≤ 1.5× for XLSX.   Run: python bench/import_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys

from _timing import measure, report

from skillgrid.domain.framework import Level, Track, build_framework
from skillgrid.exporters import ExportFormat, export_framework
from skillgrid.importers import read_ladder

WORDS = (
    "designs operates monitors scales automates reviews documents mentors debugs "
    "secures services clusters pipelines incidents networks databases deployments "
    "alerts budgets capacity latency failover runbooks postmortems kubernetes "
    "terraform observability"
).split()


def generated_ladder(tracks: int = 50, levels: int = 10, per_cell: int = 10):  # type: ignore[no-untyped-def]
    rng = random.Random(42)

    def sentence() -> str:
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 20))]
        return " ".join(words).capitalize() + " (e.g. on call, etc.)."

    track_list = [Track(f"T{i}", f"Track {i} {rng.choice(WORDS)}") for i in range(1, tracks + 1)]
    level_list = [Level(n, f"Engineer {n}") for n in range(1, levels + 1)]
    cells = {
        (t.key, lv.number): [sentence() for _ in range(per_cell)]
        for t in track_list
        for lv in level_list
    }
    return build_framework("bench", "Generated ladder", level_list, track_list, cells)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    framework = generated_ladder()
    csv_bytes = export_framework(framework, ExportFormat.CSV)
    xlsx_bytes = export_framework(framework, ExportFormat.XLSX)
    assert len(read_ladder(csv_bytes, "x.csv").framework.criteria) == 5000
    assert len(read_ladder(xlsx_bytes, "x.xlsx").framework.criteria) == 5000
    print(
        f"ladder: 50 tracks × 10 levels × 10 criteria; csv {len(csv_bytes):,} B, "
        f"xlsx {len(xlsx_bytes):,} B"
    )

    def read_csv() -> None:
        list(csv.reader(io.StringIO(csv_bytes.decode("utf-8"), newline="")))

    def read_xlsx() -> None:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes), data_only=True)
        list(book.worksheets[0].iter_rows(values_only=True))

    print("\nCSV")
    csv_times = measure(
        args.runs,
        csv_reader=read_csv,
        skillgrid_import=lambda: read_ladder(csv_bytes, "ladder.csv"),
    )
    ok = report(csv_times, "csv_reader", {"skillgrid_import": 3.0})
    print("\nXLSX")
    xlsx_times = measure(
        max(3, args.runs // 3),
        openpyxl_load=read_xlsx,
        skillgrid_import=lambda: read_ladder(xlsx_bytes, "ladder.xlsx"),
    )
    ok &= report(xlsx_times, "openpyxl_load", {"skillgrid_import": 1.5})
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
