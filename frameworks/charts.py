"""A competency's assessed levels and targets over time, drawn on the server as SVG (plain
Python, no JavaScript, no database), as kpis.charts draws the KPI charts and with its helpers:
every text escaped, colours as presentation attributes (the pages' CSP forbids inline styles),
``role="img"`` with a <title> and <desc>. Pages put the same figures in a table beside it.

Assessed levels are blue circles joined by a solid line; targets are red diamonds joined by a
dashed line: shape and line, not colour alone, tell them apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.safestring import SafeString, mark_safe

# One way of writing SVG for the project: kpis.charts' element helpers and palette.
from kpis.charts import FONT, GRID, INK, SECONDARY_INK, TARGET, _el, _f, _svg_open

SCORE = "#005eb8"  # NHS blue
LEFT, RIGHT, TOP = 44, 16, 12
AXIS_GAP, LEGEND_GAP = 22, 24

Point = tuple[dt.date, int]


def _diamond(x: float, y: float, d: float = 6.5) -> str:
    points = f"{_f(x)},{_f(y - d)} {_f(x + d)},{_f(y)} {_f(x)},{_f(y + d)} {_f(x - d)},{_f(y)}"
    return _el("polygon", points=points, fill=TARGET, stroke="#8a1538", stroke_width="1")


def _circle(x: float, y: float) -> str:
    return _el("circle", cx=_f(x), cy=_f(y), r="5", fill=SCORE, stroke="#003087", stroke_width="1")


def _ticks(start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
    """Quarter starts over a short span, year starts over a long one."""
    months = 3 if (end - start).days <= 800 else 12
    day = dt.date(start.year, 1, 1)
    ticks = []
    while day <= end:
        if day >= start:
            ticks.append((day, f"{day:%b %Y}" if months == 3 else f"{day.year}"))
        month = day.month + months
        day = dt.date(day.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    return ticks


def describe(name: str, scores: Sequence[Point], targets: Sequence[Point]) -> str:
    parts = []
    if scores:
        on, level = scores[-1]
        parts.append(
            f"{len(scores)} assessment{'s' if len(scores) != 1 else ''}, the latest level "
            f"{level} on {on:%-d %B %Y}"
        )
    else:
        parts.append("Not assessed yet")
    if targets:
        parts.append(
            "targets: " + ", ".join(f"level {level} by {on:%-d %B %Y}" for on, level in targets)
        )
    return f"{name}: " + "; ".join(parts) + "."


def competency_chart(
    *,
    name: str,
    scores: Sequence[Point],
    targets: Sequence[Point],
    level_count: int,
    start: dt.date,
    end: dt.date,
    id_prefix: str,
    width: int = 560,
    plot_height: int = 150,
) -> SafeString:
    """The chart of one competency, its x axis from ``start`` to ``end`` (the framework's
    whole series, so a page's charts line up)."""
    height = TOP + plot_height + AXIS_GAP + LEGEND_GAP
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    out = [
        _svg_open(
            width,
            height,
            "app-chart app-competency-chart",
            aria_labelledby=title_id,
            aria_describedby=desc_id,
            font_family=FONT,
            font_size="12",
        ),
        _el("title", f"Assessed levels and targets: {name}", id=title_id),
        _el("desc", describe(name, scores, targets), id=desc_id),
        _el("rect", x="0", y="0", width=width, height=height, fill="#ffffff"),
    ]
    left, right, top, bottom = LEFT, width - RIGHT, TOP, TOP + plot_height
    span = max((end - start).days, 1)
    pad = 12

    def x(on: dt.date) -> float:
        if end == start:
            return (left + right) / 2
        return left + pad + (on - start).days / span * (right - left - 2 * pad)

    def y(level: float) -> float:
        # Level 1 at the bottom, the top level at the top, half a level's room either side.
        return bottom - (level - 0.5) / level_count * plot_height

    for level in range(1, level_count + 1):
        ly = _f(y(level))
        out.append(_el("line", x1=left, x2=right, y1=ly, y2=ly, stroke=GRID))
        out.append(
            _el(
                "text",
                str(level),
                x=left - 8,
                y=_f(y(level) + 4),
                text_anchor="end",
                fill=SECONDARY_INK,
            )
        )
    out.append(_el("text", "Level", x="4", y=_f(top + 8), fill=SECONDARY_INK, font_size="11"))
    out.append(_el("line", x1=left, x2=left, y1=top, y2=bottom, stroke=SECONDARY_INK))
    out.append(_el("line", x1=left, x2=right, y1=bottom, y2=bottom, stroke=INK))
    ticks = _ticks(start, end)
    every = max(1, -(-len(ticks) // max(1, (right - left) // 70)))
    for day, label in ticks[::every]:
        out.append(
            _el(
                "text",
                label,
                x=_f(x(day)),
                y=_f(bottom + 16),
                text_anchor="middle",
                fill=SECONDARY_INK,
            )
        )
    if len(targets) > 1:
        path = " ".join(f"{_f(x(on))},{_f(y(level))}" for on, level in targets)
        out.append(
            _el(
                "polyline",
                points=path,
                fill="none",
                stroke=TARGET,
                stroke_width="2",
                stroke_dasharray="6 4",
            )
        )
    if len(scores) > 1:
        path = " ".join(f"{_f(x(on))},{_f(y(level))}" for on, level in scores)
        out.append(_el("polyline", points=path, fill="none", stroke=SCORE, stroke_width="2"))
    out += [_diamond(x(on), y(level)) for on, level in targets]
    out += [_circle(x(on), y(level)) for on, level in scores]
    legend_y = bottom + AXIS_GAP + 14
    out.append(_circle(left + 6, legend_y - 4))
    out.append(_el("text", "Assessed level", x=left + 18, y=_f(legend_y), fill=INK))
    out.append(_diamond(left + 136, legend_y - 4))
    out.append(_el("text", "Target", x=left + 148, y=_f(legend_y), fill=INK))
    if not scores and not targets:
        out.append(
            _el(
                "text",
                "No assessments or targets yet",
                x=_f((left + right) / 2),
                y=_f(top + plot_height / 2),
                text_anchor="middle",
                fill=INK,
            )
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above went through escape()
