"""A team's (or the org's) report as tables: CSV, one tidy table with a row per figure, and
an XLSX workbook with a sheet per section."""

from __future__ import annotations

import csv
import io

from skillgrid.formulas import escape_row, store_as_text
from skillgrid.services.insight import TeamReport

CSV_HEADER = ["section", "team", "track", "level", "name", "email", "value", "detail"]


def report_rows(report: TeamReport) -> list[list[object]]:
    """Every figure of the report as one tidy table (a row per number)."""
    rows: list[list[object]] = []
    for c in report.coverage:
        detail = c.verdict
        if c.single_point_of_failure:
            detail += "; single point of failure"
        rows.append(
            [
                "target",
                c.target.team,
                c.target.track,
                c.target.level,
                "",
                "",
                c.holders,
                f"needs {c.target.people}; {detail}",
            ]
        )
        for p in c.closest:
            rows.append(
                [
                    "closest",
                    c.target.team,
                    c.target.track,
                    c.target.level,
                    p.name,
                    p.email,
                    p.unmet,
                    " ".join(p.lacking),
                ]
            )
    for counts in report.distribution:
        for track, row in [(None, counts.overall), *counts.tracks.items()]:
            for level, n in enumerate(row):
                rows.append(
                    ["distribution", counts.name or "", track or "overall", level, "", "", n, ""]
                )
    for cal in report.calibration:
        r = cal.ratings
        rows.append(
            [
                "calibration",
                "",
                "",
                "",
                r.name,
                r.email,
                round(r.report_means.mean, 4),
                "; ".join(cal.flags),
            ]
        )
    for m in report.movement:
        rows.append(
            [
                "movement",
                "",
                m.track or "overall",
                m.after,
                m.name,
                m.email,
                m.after - m.before,
                f"{m.before} → {m.after}",
            ]
        )
    return rows


def report_csv(report: TeamReport) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(escape_row(row) for row in report_rows(report))
    return out.getvalue()


def report_xlsx(report: TeamReport) -> bytes:
    """A workbook: Coverage, Closest, Distribution, Calibration and Movement sheets."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheets: dict[str, tuple[list[str], list[list[object]]]] = {
        "Coverage": (
            [
                "Team",
                "Track",
                "Level",
                "Needs",
                "Holders",
                "Met",
                "Shortfall",
                "Single point of failure",
                "Holders named",
            ],
            [],
        ),
        "Closest": (
            ["Team", "Track", "Level", "Name", "Email", "Level now", "Unmet", "Lacking"],
            [],
        ),
        "Distribution": (["Team", "Track", *[f"L{i}" for i in report.levels]], []),
        "Calibration": (
            [
                "Manager",
                "Email",
                "Reports",
                "Compared",
                "Manager − self (per report)",
                "sd",
                "Mean level",
                "Flags",
            ],
            [],
        ),
        "Movement": (["Name", "Email", "Track", "Before", "After"], []),
        "Based on": (["What the numbers rest on", "Email"], []),
    }
    count, rest_on = report.head_count, sheets["Based on"][1]
    if report.cycle is not None:
        rest_on.append([f"Based on {count.words(report.cycle.name)}."])
    if report.unmanaged:
        rest_on.append([f"{count.why_left_out()}:"])
        rest_on += [[p.name, p.email] for p in report.unmanaged]
    for c in report.coverage:
        t = c.target
        sheets["Coverage"][1].append(
            [
                t.team,
                t.track,
                t.level,
                t.people,
                c.holders,
                c.met,
                c.shortfall,
                c.single_point_of_failure,
                ", ".join(c.holder_names),
            ]
        )
        for p in c.closest:
            sheets["Closest"][1].append(
                [t.team, t.track, t.level, p.name, p.email, p.level, p.unmet, " ".join(p.lacking)]
            )
    for counts in report.distribution:
        for track, row in [("overall", counts.overall), *counts.tracks.items()]:
            sheets["Distribution"][1].append([counts.name or "(org)", track, *row])
    for cal in report.calibration:
        r = cal.ratings
        sheets["Calibration"][1].append(
            [
                r.name,
                r.email,
                r.reports,
                r.compared,
                round(r.report_means.mean, 4),
                round(r.report_means.sd, 4),
                round(r.level.mean, 4),
                "; ".join(cal.flags),
            ]
        )
    for m in report.movement:
        sheets["Movement"][1].append([m.name, m.email, m.track or "overall", m.before, m.after])
    first = True
    for title, (head, rows) in sheets.items():
        sheet = book.active if first else book.create_sheet()
        assert sheet is not None
        first = False
        sheet.title = title
        sheet.append(head)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for values in rows:
            sheet.append(values)
        store_as_text(sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
