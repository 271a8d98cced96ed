"""A team's (or the org's) report — coverage against targets, level distribution, calibration
and movement — as plain data (JSON), Markdown or a self-contained HTML page (CSV and XLSX:
:mod:`skillgrid.reports.team_tables`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from skillgrid.domain.assessments import Cycle
from skillgrid.domain.insight import Coverage, HeadCount
from skillgrid.domain.people import Person
from skillgrid.exporters.markdown import table_row
from skillgrid.services.insight import TeamCounts, TeamReport


def based_on_data(
    head: HeadCount, unmanaged: Sequence[Person], cycle: Cycle | None, named: int | None = None
) -> dict[str, Any]:
    """What the numbers rest on, as the team report and the team in the API answer it: the
    people with no manager, the first ``named`` of them when given (all, by default)."""
    return {
        "finalized": head.finalized,
        "reviewable": head.reviewable,
        "unmanaged": [{"email": p.email, "name": p.name} for p in unmanaged[:named]],
        "unmanaged_total": len(unmanaged),
        "words": head.words(cycle.name) if cycle else None,
    }


def report_data(report: TeamReport) -> dict[str, Any]:
    framework = report.framework
    return {
        "team": report.team,
        "teams": list(report.teams),
        "cycle": report.cycle.name if report.cycle else None,
        "based_on": based_on_data(report.head_count, report.unmanaged, report.cycle),
        "framework": (
            {
                "name": framework.name,
                "version": framework.version,
                "tracks": {t.key: t.name for t in framework.tracks},
                "levels": len(framework.levels),
            }
            if framework
            else None
        ),
        "coverage": {
            "met": sum(1 for c in report.coverage if c.met),
            "missed": sum(1 for c in report.coverage if not c.met),
            "targets": [_coverage(c, report.criteria) for c in report.coverage],
        },
        "distribution": {
            "levels": list(report.levels),
            "teams": [_counts(c) for c in report.distribution],
            "history": [
                {"cycle": name, "people": c.people, "overall": list(c.overall)}
                for name, c in report.history
            ],
        },
        "calibration": {
            "org": {
                "reports": report.org_deltas.n,
                "mean_delta": round(report.org_deltas.mean, 4),
                "sd_delta": round(report.org_deltas.sd, 4),
                "people": report.org_levels.n,
                "mean_level": round(report.org_levels.mean, 4),
                "sd_level": round(report.org_levels.sd, 4),
            },
            "managers": [
                {
                    "email": c.ratings.email,
                    "name": c.ratings.name,
                    "reports": c.ratings.reports,
                    "compared": c.ratings.compared,
                    "mean_delta": round(c.ratings.delta.mean, 4),
                    "sd_delta": round(c.ratings.delta.sd, 4),
                    "reports_compared": c.ratings.report_means.n,
                    "mean_report_delta": round(c.ratings.report_means.mean, 4),
                    "mean_level": round(c.ratings.level.mean, 4),
                    "flags": list(c.flags),
                }
                for c in report.calibration
            ],
        },
        "movement": {
            "from": report.previous.name if report.previous else None,
            "to": report.cycle.name if report.cycle else None,
            "up": sum(1 for m in report.movement if m.track is None and m.up),
            "down": sum(1 for m in report.movement if m.track is None and not m.up),
            "by_track": _by_track(report),
            "moves": [
                {
                    "email": m.email,
                    "name": m.name,
                    "track": m.track,
                    "before": m.before,
                    "after": m.after,
                }
                for m in report.movement
            ],
        },
    }


def _coverage(c: Coverage, texts: dict[str, str]) -> dict[str, Any]:
    return {
        "team": c.target.team,
        "track": c.target.track,
        "level": c.target.level,
        "people": c.target.people,
        "holders": c.holders,
        "met": c.met,
        "shortfall": c.shortfall,
        "unreviewed": c.unreviewed,
        "single_point_of_failure": c.single_point_of_failure,
        "no_slack": c.no_slack,
        "holder_names": list(c.holder_names),
        "closest": [
            {
                "email": p.email,
                "name": p.name,
                "level": p.level,
                "unmet": p.unmet,
                "lacking": [{"id": cid, "text": texts.get(cid, "")} for cid in p.lacking],
            }
            for p in c.closest
        ],
    }


def _counts(counts: TeamCounts) -> dict[str, Any]:
    return {
        "team": counts.name,
        "people": counts.people,
        "overall": list(counts.overall),
        "tracks": {key: list(row) for key, row in counts.tracks.items()},
    }


def _by_track(report: TeamReport) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {}
    for m in report.movement:
        row = found.setdefault(m.track or "overall", {"up": 0, "down": 0})
        row["up" if m.up else "down"] += 1
    return found


def _title(report: TeamReport) -> str:
    who = report.team or "Whole organisation"
    return f"{who} — {report.cycle.name}" if report.cycle else who


def report_markdown(report: TeamReport) -> str:
    lines = [f"# {_title(report)}", ""]
    framework = report.framework
    if framework is None or report.cycle is None:
        return "\n".join([*lines, "No cycle yet: nothing to report.", ""])
    names = {t.key: t.name for t in framework.tracks}
    lines += [
        f"Ladder: {framework.name} v{framework.version}. Teams: {', '.join(report.teams) or '—'}.",
        "",
    ]
    lines += [_based_on(report, report.cycle.name), "", "## Coverage", ""]
    if not report.coverage:
        lines += ["No targets set (skillgrid target set TEAM TRACK LEVEL PEOPLE).", ""]
    for c in report.coverage:
        state = c.verdict
        extra = " — single point of failure" if c.single_point_of_failure else ""
        holders = f" ({', '.join(c.holder_names)})" if c.holder_names else ""
        track = names.get(c.target.track, c.target.track)
        lines.append(
            f"- **{c.target.team}**: {c.target.people} at {track} ≥ {c.target.level} — "
            f"{c.holders} hold it{holders}: {state}{extra}"
        )
        for p in c.closest:
            lacking = "; ".join(
                f"{cid} {report.criteria.get(cid, '')}".strip() for cid in p.lacking
            )
            lines.append(f"  - closest: {p.name} (level {p.level}, {p.unmet} unmet): {lacking}")
    lines += ["", "## Distribution", "", _md_table(report.distribution, names), ""]
    if len(report.history) > 1:
        lines += ["### Over cycles", ""]
        head = ["Cycle", "People", *[f"L{i}" for i in report.levels]]
        lines += [table_row(head), table_row(["---"] * len(head))]
        lines += [
            table_row([name, str(c.people), *map(str, c.overall)]) for name, c in report.history
        ]
        lines.append("")
    lines += ["## Calibration", ""]
    org = report.org_deltas
    lines.append(
        f"Org: mean (manager − self) {org.mean:+.2f} steps per criterion (sd {org.sd:.2f}, "
        f"{org.n} reports); mean official level {report.org_levels.mean:.2f}."
    )
    lines.append("")
    if report.calibration:
        head = ["Manager", "Reports", "Compared", "Manager − self", "Mean level", "Flags"]
        lines += [table_row(head), table_row(["---"] * len(head))]
        for cal in report.calibration:
            r = cal.ratings
            lines.append(
                table_row(
                    [
                        r.name,
                        str(r.reports),
                        str(r.compared),
                        f"{r.report_means.mean:+.2f}" if r.report_means.n else "—",
                        f"{r.level.mean:.2f}",
                        "; ".join(cal.flags) or "—",
                    ]
                )
            )
    lines += ["", "## Movement", ""]
    if report.previous is None:
        lines.append("No earlier cycle on this ladder to compare with.")
    elif not report.movement:
        lines.append(f"Nobody moved since {report.previous.name}.")
    else:
        lines.append(f"Since {report.previous.name}:")
        lines.append("")
        for m in report.movement:
            where = names.get(m.track, m.track) if m.track else "overall"
            arrow = "up" if m.up else "down"
            lines.append(f"- {m.name}: {where} {m.before} → {m.after} ({arrow})")
    return "\n".join(lines) + "\n"


def _md_table(rows: tuple[TeamCounts, ...], names: dict[str, str]) -> str:
    head = ["Team", "People", "Overall (mean)", *[f"{k} (mean)" for k in names]]
    out = [table_row(head), table_row(["---"] * len(head))]
    for c in rows:
        means = [c.mean(), *[c.mean(k) for k in names]]
        cells = ["—" if m is None else f"{m:.2f}" for m in means]
        out.append(table_row([c.name or "Whole organisation", str(c.people), *cells]))
    return "\n".join(out)


def _based_on(report: TeamReport, cycle: str) -> str:
    """What the numbers rest on, as a paragraph, in the pages' words (domain HeadCount)."""
    head = report.head_count
    text = f"Based on {head.words(cycle)}."
    if report.unmanaged:
        named = ", ".join(f"{p.name} ({p.email})" for p in report.unmanaged)
        text += f" {head.why_left_out()}: {named}."
    return text


def report_html(report: TeamReport) -> str:
    from skillgrid.templating import environment

    template = environment("skillgrid.reports").get_template("team.html")
    return template.render(report=report, data=report_data(report), title=_title(report))
