"""A person's report: levels and the rule, gaps, ratings side by side, change since the last
cycle — as plain data (JSON) or Markdown."""

from __future__ import annotations

from typing import Any

from skillgrid.exporters.markdown import table_row
from skillgrid.services.results import PersonReport


def report_data(report: PersonReport) -> dict[str, Any]:
    current = report.current
    result = current.result
    framework = current.framework
    return {
        "person": {
            "email": report.person.email,
            "name": report.person.name,
            "team": report.person.team,
            "manager": report.person.manager,
        },
        "cycle": current.cycle.name,
        "framework": {"name": framework.name, "version": framework.version},
        "policy": result.policy,
        "overall": result.overall,
        "top": result.top,
        "next_level": result.next_level,
        "tracks": {
            t.key: {
                "name": t.name,
                "level": result.tracks[t.key],
                "progress": round(result.progress[t.key], 4),
                "change": report.change.get(t.key),
            }
            for t in framework.tracks
        },
        "gaps": {key: list(ids) for key, ids in result.gaps.items()},
        "not_applicable": list(result.not_applicable),
        "previous_cycle": report.previous.cycle.name if report.previous else None,
        "criteria": [
            {
                "id": line.criterion.id,
                "text": line.criterion.text,
                "official": _entry(line.official),
                "others": {rater: _entry(entry) for rater, entry in line.others.items()},
                "differences": line.differences,
                "evidence": [
                    {
                        "id": item.id,
                        "title": item.title,
                        "url": item.url,
                        "date": item.date.isoformat() if item.date else None,
                        "source": item.source,
                    }
                    for item in line.evidence
                ],
            }
            for line in report.lines
        ],
        "history": [
            {
                "cycle": item.cycle.name,
                "overall": item.result.overall,
                "tracks": dict(item.result.tracks),
            }
            for item in report.history
        ],
    }


def _entry(entry: Any) -> dict[str, Any] | None:
    if entry is None:
        return None
    return {"rating": entry.rating.value, "reason": entry.reason, "comment": entry.comment}


def report_markdown(report: PersonReport) -> str:
    data = report_data(report)
    person = data["person"]
    lines = [
        f"# {person['name']} — {data['cycle']}",
        "",
        f"Ladder **{data['framework']['name']}** v{data['framework']['version']}, "
        f"rule **{data['policy']}**. Overall level **{data['overall']}** of {data['top']}.",
        "",
        table_row(["Track", "Level", "Change", "Progress to next"]),
        "|---|---|---|---|",
    ]
    for track in data["tracks"].values():
        change = "" if track["change"] is None else f"{track['change']:+d}"
        lines.append(
            table_row([track["name"], str(track["level"]), change, f"{track['progress']:.0%}"])
        )
    texts = {c["id"]: c["text"] for c in data["criteria"]}
    if data["next_level"] is not None:
        lines += ["", f"## To reach level {data['next_level']}", ""]
        for key, ids in data["gaps"].items():
            lines.append(f"**{data['tracks'][key]['name']}**")
            lines += [f"- `{cid}` {texts[cid]}" for cid in ids]
            lines.append("")
    differing = [c for c in data["criteria"] if c["differences"]]
    if differing:
        lines += [
            "## Where the ratings differ",
            "",
            "| Criterion | Manager | Others |",
            "|---|---|---|",
        ]
        for c in differing:
            official = c["official"]["rating"] if c["official"] else "not rated"
            others = ", ".join(f"{r}: {e['rating']}" for r, e in c["others"].items())
            lines.append(table_row([f"`{c['id']}`", official, others]))
    with_evidence = [c for c in data["criteria"] if c["evidence"]]
    if with_evidence:
        lines += ["", "## Evidence", ""]
        for c in with_evidence:
            lines.append(f"- `{c['id']}` {c['text']}")
            for item in c["evidence"]:
                link = f" <{item['url']}>" if item["url"] else ""
                when = f" ({item['date']})" if item["date"] else ""
                lines.append(f"  - {item['title']}{when}, {item['source']}{link}")
    if len(data["history"]) > 1:
        lines += ["", "## History", "", "| Cycle | Overall |", "|---|---|"]
        lines += [table_row([h["cycle"], str(h["overall"])]) for h in data["history"]]
    return "\n".join(lines).rstrip() + "\n"


def report_html(report: PersonReport) -> str:
    """One self-contained, printable page (no script, no external resource)."""
    from skillgrid.templating import environment

    data = report_data(report)
    texts = {c["id"]: c["text"] for c in data["criteria"]}
    return (
        environment("skillgrid.reports").get_template("person.html").render(data=data, texts=texts)
    )


def report_pdf(report: PersonReport) -> bytes:
    """The HTML report printed to PDF by WeasyPrint: a promotion packet."""
    import warnings

    with warnings.catch_warnings():  # a packaging notice about an optional system library
        warnings.filterwarnings("ignore", message="HarfBuzz-Subset", category=DeprecationWarning)
        from weasyprint import HTML

    pdf: bytes = HTML(string=report_html(report)).write_pdf()
    return pdf
