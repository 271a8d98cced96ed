"""Server-side SVG charts (no script, no chart library in the browser)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Series:
    name: str
    values: Mapping[str, int]  # axis key → level
    css: str  # class name that sets stroke and fill in app.css


def radar(
    axes: Sequence[tuple[str, str]], series: Sequence[Series], top: int, size: int = 360
) -> str:
    """A radar chart of levels 0..top: one spoke per (key, label), one polygon per series.
    The same numbers are in the table beside it, so the picture is never the only source."""
    if not axes or top <= 0:
        return ""
    centre, radius = size / 2, size / 2 - 60

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / len(axes)
        distance = radius * value / top
        return centre + distance * math.cos(angle), centre + distance * math.sin(angle)

    parts = [
        f'<svg class="radar" viewBox="0 0 {size} {size}" role="img" aria-label="Levels by track">'
    ]
    for ring in range(1, top + 1):
        ring_points = " ".join(
            f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(len(axes)))
        )
        parts.append(f'<polygon class="ring" points="{ring_points}"/>')
    for i, (key, label) in enumerate(axes):
        x, y = point(i, top)
        lx, ly = point(i, top + 0.9)
        parts.append(f'<line class="spoke" x1="{centre}" y1="{centre}" x2="{x:.1f}" y2="{y:.1f}"/>')
        anchor = "middle" if abs(lx - centre) < 10 else ("start" if lx > centre else "end")
        parts.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}">'
            f"<title>{escape(label)}</title>{escape(key)}</text>"
        )
    for item in series:
        pts = " ".join(
            f"{x:.1f},{y:.1f}"
            for x, y in (point(i, item.values.get(key, 0)) for i, (key, _) in enumerate(axes))
        )
        parts.append(
            f'<polygon class="series {escape(item.css)}" points="{pts}">'
            f"<title>{escape(item.name)}</title></polygon>"
        )
    parts.append("</svg>")
    return "".join(parts)


def stacked_bars(rows: Sequence[tuple[str, Sequence[int]]], width: int = 640) -> str:
    """One horizontal bar per (label, people per level 0..N), split by level and coloured as
    the heatmap is (``lv0``..``lvN``). The same numbers are in the table below the chart."""
    if not rows:
        return ""
    bar, gap, label_width = 22, 8, 180
    levels = max(len(counts) for _, counts in rows)
    height = len(rows) * (bar + gap) + gap + 24  # and a legend

    span = width - label_width - 10
    parts = [
        f'<svg class="bars" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="People per level" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (label, counts) in enumerate(rows):
        y = gap + i * (bar + gap)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar * 0.7:.1f}" text-anchor="end">'
            f"{escape(label[:28])}</text>"
        )
        total = sum(counts) or 1
        x = float(label_width)
        for level, n in enumerate(counts):
            if not n:
                continue
            w = span * n / total
            parts.append(
                f'<rect class="lv{min(level, 6)}" x="{x:.1f}" y="{y}" width="{w:.1f}" '
                f'height="{bar}"><title>{escape(label)}: {n} at level {level}</title></rect>'
            )
            x += w
    y = len(rows) * (bar + gap) + gap + 4
    for level in range(levels):  # the legend: one swatch per level
        x = label_width + level * 44
        parts.append(
            f'<rect class="lv{min(level, 6)}" x="{x}" y="{y}" width="14" height="14"></rect>'
            f'<text x="{x + 18}" y="{y + 11}">L{level}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
