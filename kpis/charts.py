"""Making Data Count charts and icons drawn on the server as SVG. Plain Python: no JavaScript,
no charting library, no database.

Every function is pure: it takes a ChartData (or an icon's name) and returns SVG markup as a
Django SafeString, ready for a page or for the board-pack PDF (WeasyPrint draws SVG). All text
is escaped here. No ``style=`` attribute and no ``<style>`` element anywhere (the pages' CSP
forbids inline styles): colours are presentation attributes (``fill=``, ``stroke=``).

* ``xmr_chart(chart, id_prefix=…)``: the XmR chart. Values joined by a grey line; each rebase
  group's mean and process limits drawn over that group only (so the limits break where they
  were recalculated), provisional limits (a group of fewer than 13 points) dashed and labelled;
  the target as a red dashed line; points coloured as Making Data Count colours them
  (improvement blue, concern orange, neither purple, common cause grey) and shaped too
  (circle, diamond, square), so colour is never the only cue. ``<title>`` and ``<desc>`` name
  and describe it, ``role="img"``. Pages add the text summary and the data table
  (``table_rows``) beside it.
* ``sparkline(chart)``: a small trend line for tables, the last point coloured by its kind.
* ``variation_icon(variation)``, ``assurance_icon(assurance)``: our own simple icons — a
  coloured ring with a letter (H or L for special cause high or low, P/F/? for assurance) or a
  flat zigzag for common cause — each with a ``<title>`` that says what it means.
* ``summarise(chart)``: the one-sentence summary ("Latest 82% in Q2 2006/07; special cause
  improvement (high); target 90% inconsistently met.").

Colours are NHSRplotthedots 0.2.2's defaults (``ptd_spc_colours``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from html import escape

from django.utils.safestring import SafeString, mark_safe

from kpis.spc import SPCGroup, SPCPoint, SPCResult

# --- colours and words -----------------------------------------------------------------------

COMMON = "#7b7d7d"
IMPROVEMENT = "#289de0"
CONCERN = "#fab428"
NEUTRAL = "#361475"
INK = "#212b32"  # NHS.UK text colour
SECONDARY_INK = "#4c6272"
GRID = "#d8dde0"
LIMIT = "#425563"
TARGET = "#d5281b"  # NHS red
# Darker companions, used for strokes and letters so the marks keep enough contrast on white.
IMPROVEMENT_DARK = "#005eb8"
CONCERN_DARK = "#8a4e00"

POINT_KIND = {
    "common_cause": "common",
    "special_cause_improvement": "improvement",
    "special_cause_concern": "concern",
    "special_cause_neutral_high": "neutral",
    "special_cause_neutral_low": "neutral",
}
KIND_WORDS = {
    "common": "Common cause",
    "improvement": "Special cause improvement",
    "concern": "Special cause concern",
    "neutral": "Special cause, neither better nor worse",
}
LEGEND_WORDS = {
    "common": "Common cause",
    "improvement": "Improvement",
    "concern": "Concern",
    "neutral": "Neither better nor worse",
}
SPECIAL_CAUSE_WORDS = {
    "above_upper_limit": "above the upper limit",
    "below_lower_limit": "below the lower limit",
    "trend_increasing": "one of 7 or more rising points",
    "trend_decreasing": "one of 7 or more falling points",
    "two_in_three_above": "2 of 3 points near the upper limit",
    "two_in_three_below": "2 of 3 points near the lower limit",
    "run_above": "one of 7 or more points above the mean",
    "run_below": "one of 7 or more points below the mean",
}
VARIATION_WORDS = {
    "common_cause": "common cause variation",
    "improvement_high": "special cause improvement (high)",
    "improvement_low": "special cause improvement (low)",
    "concern_high": "special cause concern (high)",
    "concern_low": "special cause concern (low)",
    "neutral_high": "special cause variation, high (neither better nor worse)",
    "neutral_low": "special cause variation, low (neither better nor worse)",
}
ASSURANCE_WORDS = {
    "pass": "consistently met",
    "fail": "consistently missed",
    "inconsistent": "inconsistently met",
}
FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"


@dataclass(frozen=True)
class ChartData:
    """Everything a chart shows: one KPI's series (in time order) and its SPC analysis."""

    title: str
    labels: tuple[str, ...]
    short_labels: tuple[str, ...]
    values: tuple[Decimal, ...]
    spc: SPCResult
    unit: str = ""
    target: Decimal | None = None  # the latest period's: the label, summary and assurance
    # Each point's own target (the one in force for its period), when it changed over the
    # series: the target line steps. Empty: ``target`` throughout.
    targets: tuple[Decimal | None, ...] = ()

    def target_runs(self) -> list[tuple[int, int, Decimal]]:
        """(first index, last index, target) for each run of points sharing a target."""
        n = len(self.values)
        every = self.targets if len(self.targets) == n else (self.target,) * n
        runs: list[tuple[int, int, Decimal | None]] = []
        for i, value in enumerate(every):
            if runs and runs[-1][2] == value:
                runs[-1] = (runs[-1][0], i, value)
            else:
                runs.append((i, i, value))
        return [run for run in runs if run[2] is not None]

    @property
    def all_targets(self) -> list[Decimal]:
        return [t for t in {*self.targets, self.target} if t is not None]

    @property
    def latest_value(self) -> Decimal | None:
        return self.values[-1] if self.values else None

    @property
    def latest_label(self) -> str:
        return self.labels[-1] if self.labels else ""

    @property
    def summary(self) -> str:
        return summarise(self)


@dataclass(frozen=True)
class TableRow:
    """One row of the chart's data table (the accessible alternative to the picture)."""

    label: str
    value: str
    mean: str
    lower_limit: str
    upper_limit: str
    signal: str
    special_cause: bool
    new_limits: bool
    provisional: bool


# --- numbers ---------------------------------------------------------------------------------


def format_number(value: Decimal | float | int | None) -> str:
    """Thousands separated, trailing zeros dropped; floats (means, limits) to 3 significant
    places after the point at most: 82.5, 1,234, 0.125."""
    if value is None:
        return "—"
    if isinstance(value, float):
        if not math.isfinite(value):
            return "—"
        places = 0 if abs(value) >= 1000 else 1 if abs(value) >= 100 else 2
        text = f"{value:,.{places}f}"
    else:
        text = f"{Decimal(value):,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_value(value: Decimal | float | int | None, unit: str = "") -> str:
    """A value with its unit: '82%', '£1,250', '£25.1 per m2', '12 days', '3.6'."""
    if value is None:
        return "—"
    number = format_number(value)
    unit = (unit or "").strip()
    if not unit:
        return number
    if unit == "%":
        return f"{number}%"
    if unit.startswith("£"):
        sign, number = ("-", number[1:]) if number.startswith("-") else ("", number)
        return f"{sign}£{number}{unit[1:]}"
    return f"{number} {unit}"


def summarise(chart: ChartData) -> str:
    """'Latest 82% in Q2 2006/07; special cause improvement (high); target 90% inconsistently
    met; limits provisional (fewer than 13 points).'"""
    if not chart.values:
        return "No measurements yet."
    parts = [f"Latest {format_value(chart.latest_value, chart.unit)} in {chart.latest_label}"]
    if chart.spc.variation:
        parts.append(VARIATION_WORDS[chart.spc.variation])
    if chart.target is not None:
        target = format_value(chart.target, chart.unit)
        if chart.spc.assurance:
            parts.append(f"target {target} {ASSURANCE_WORDS[chart.spc.assurance]}")
        else:
            parts.append(f"target {target}")
    elif chart.spc.improvement != "neutral":
        parts.append("no target set")
    if chart.spc.provisional:
        parts.append("limits provisional (fewer than 13 points)")
    return "; ".join(parts) + "."


def table_rows(chart: ChartData) -> list[TableRow]:
    """The chart as rows: period, value, mean, limits and the signal each point gives."""
    rows = []
    for point, label, value in zip(chart.spc.points, chart.labels, chart.values, strict=True):
        kind = POINT_KIND[point.point_type]
        signal = KIND_WORDS[kind]
        if point.special_cause_type:
            signal += f": {SPECIAL_CAUSE_WORDS[point.special_cause_type]}"
        rows.append(
            TableRow(
                label=label,
                value=format_value(value, chart.unit),
                mean=format_number(point.mean),
                lower_limit=format_number(point.lower_limit),
                upper_limit=format_number(point.upper_limit),
                signal=signal,
                special_cause=point.special_cause,
                new_limits=point.group > 0 and chart.spc.groups[point.group].start == point.index,
                provisional=point.provisional,
            )
        )
    return rows


def _nice_step(span: float, ticks: int) -> float:
    raw = span / max(ticks, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _scale(values: Sequence[float], ticks: int = 5) -> tuple[float, float, list[float]]:
    """A y range padded to round numbers, and the tick values inside it."""
    low, high = min(values), max(values)
    if math.isclose(low, high):
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    step = _nice_step(high - low, ticks)
    bottom = math.floor(low / step) * step
    top = math.ceil(high / step) * step
    count = round((top - bottom) / step)
    return bottom, top, [bottom + i * step for i in range(count + 1)]


def _f(x: float) -> str:
    """A coordinate: one decimal place is plenty."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _attrs(**attrs) -> str:
    return "".join(
        f' {name.rstrip("_").replace("_", "-")}="{escape(str(value), quote=True)}"'
        for name, value in attrs.items()
        if value is not None
    )


def _el(tag: str, text: str | None = None, **attrs) -> str:
    if text is None:
        return f"<{tag}{_attrs(**attrs)}/>"
    return f"<{tag}{_attrs(**attrs)}>{escape(text, quote=False)}</{tag}>"


def _marker(kind: str, x: float, y: float, *, scale: float = 1.0) -> str:
    """A point's mark: shape and colour both say its kind."""
    if kind == "improvement":
        return _el(
            "circle",
            cx=_f(x),
            cy=_f(y),
            r=_f(5.5 * scale),
            fill=IMPROVEMENT,
            stroke=IMPROVEMENT_DARK,
            stroke_width="1.5",
        )
    if kind == "concern":
        d = 6.5 * scale
        points = f"{_f(x)},{_f(y - d)} {_f(x + d)},{_f(y)} {_f(x)},{_f(y + d)} {_f(x - d)},{_f(y)}"
        return _el("polygon", points=points, fill=CONCERN, stroke=CONCERN_DARK, stroke_width="1.5")
    if kind == "neutral":
        d = 4.5 * scale
        return _el(
            "rect",
            x=_f(x - d),
            y=_f(y - d),
            width=_f(2 * d),
            height=_f(2 * d),
            fill=NEUTRAL,
            stroke=NEUTRAL,
        )
    return _el("circle", cx=_f(x), cy=_f(y), r=_f(3.5 * scale), fill=COMMON)


def _svg_open(width: int, height: int, css_class: str, **attrs) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg"{_attrs(class_=css_class)}'
        f' viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
        f' role="img"{_attrs(**attrs)}>'
    )


def _spread(labels: list[tuple[float, str, str]], gap: float, low: float, high: float):
    """Nudge right-hand line labels (y, text, colour) apart so none overlap."""
    labels = sorted(labels)
    for i in range(1, len(labels)):
        if labels[i][0] - labels[i - 1][0] < gap:
            labels[i] = (labels[i - 1][0] + gap, *labels[i][1:])
    overflow = labels[-1][0] - high if labels else 0
    if overflow > 0:
        labels = [(y - overflow, text, colour) for y, text, colour in labels]
    return [(max(y, low), text, colour) for y, text, colour in labels]


# --- the XmR chart ---------------------------------------------------------------------------


# The chart's margins (left for the y axis labels, right for the line labels, top for the
# "Limits recalculated" notes), and the space below the plot for the x labels and the legend.
LEFT, RIGHT, TOP = 64, 118, 16
LEGEND_GAP, LEGEND_ROW = 44, 22


@dataclass(frozen=True)
class _Plot:
    """Where the plot area sits in the SVG and how values and point indexes map onto it."""

    left: int
    top: int
    width: int
    height: int
    n: int  # number of points
    low: float  # the value at the bottom of the y axis
    high: float  # the value at the top
    ticks: tuple[float, ...]

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height

    @property
    def step(self) -> float:
        """The distance between neighbouring points."""
        return self.width / (self.n - 1) if self.n > 1 else self.width

    def x(self, i: int) -> float:
        # A single point sits in the middle.
        return self.left + (i * self.step if self.n > 1 else self.width / 2)

    def y(self, v: float) -> float:
        return self.bottom - (v - self.low) / (self.high - self.low) * self.height


def xmr_chart(
    chart: ChartData, *, id_prefix: str, width: int = 720, plot_height: int = 240
) -> SafeString:
    """The full XmR chart of ``chart`` (see the module docstring). ``id_prefix`` makes the
    ids of its <title> and <desc> unique on the page. Drawn back to front: grid and axes,
    target, each group's mean and limits, their labels, the values, the legend."""
    legend = _legend_layout(_legend_items(chart), LEFT, width - 8)
    legend_rows = 1 + max((row for _, _, row, _ in legend), default=0)
    height = TOP + plot_height + LEGEND_GAP + LEGEND_ROW * legend_rows
    out = _xmr_header(chart, id_prefix=id_prefix, width=width, height=height)
    if not chart.spc.points:
        out.append(
            _el("text", "No measurements yet", x=_f(width / 2), y="40", text_anchor="middle")
        )
    else:
        plot = _xmr_plot(chart, width=width - LEFT - RIGHT, height=plot_height)
        out += _axes(chart, plot)
        out += _target_line(chart, plot)
        for group in chart.spc.groups:
            out += _group_lines(group, plot)
        out += _line_labels(chart, plot)
        out += _values(chart, plot)
        out += _legend(legend, top=plot.bottom + 40)
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above went through escape()


def _xmr_header(chart: ChartData, *, id_prefix: str, width: int, height: int) -> list[str]:
    """The <svg> element, its accessible name and description, and a white background."""
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    n = len(chart.spc.points)
    desc = chart.summary
    if n:
        desc += f" {n} point{'s' if n != 1 else ''} from {chart.labels[0]} to {chart.labels[-1]}."
    return [
        _svg_open(
            width,
            height,
            "app-chart",
            aria_labelledby=title_id,
            aria_describedby=desc_id,
            font_family=FONT,
            font_size="12",
        ),
        _el("title", f"SPC chart: {chart.title}", id=title_id),
        _el("desc", desc, id=desc_id),
        _el("rect", x="0", y="0", width=width, height=height, fill="#ffffff"),
    ]


def _xmr_plot(chart: ChartData, *, width: int, height: int) -> _Plot:
    """The plot area, its y range wide enough for every value, limit and the target."""
    span = [p.value for p in chart.spc.points]
    for group in chart.spc.groups:
        span += [v for v in (group.lower_limit, group.upper_limit) if v is not None]
    span += [float(t) for t in chart.all_targets]
    low, high, ticks = _scale(span)
    return _Plot(
        left=LEFT,
        top=TOP,
        width=width,
        height=height,
        n=len(chart.spc.points),
        low=low,
        high=high,
        ticks=tuple(ticks),
    )


def _axes(chart: ChartData, plot: _Plot) -> list[str]:
    """Grid lines with the y axis labels, both axes, and as many x axis labels as fit."""
    out = []
    for tick in plot.ticks:
        ty = _f(plot.y(tick))
        out.append(_el("line", x1=plot.left, x2=_f(plot.right), y1=ty, y2=ty, stroke=GRID))
        out.append(
            _el(
                "text",
                format_number(float(tick)),
                x=plot.left - 6,
                y=_f(plot.y(tick) + 4),
                text_anchor="end",
                fill=SECONDARY_INK,
            )
        )
    bottom = _f(plot.bottom)
    out.append(
        _el("line", x1=plot.left, x2=plot.left, y1=plot.top, y2=bottom, stroke=SECONDARY_INK)
    )
    out.append(_el("line", x1=plot.left, x2=_f(plot.right), y1=bottom, y2=bottom, stroke=INK))
    every = max(1, math.ceil(plot.n / max(1, plot.width // 64)))
    for i in range(0, plot.n, every):
        out.append(
            _el(
                "text",
                chart.short_labels[i],
                x=_f(plot.x(i)),
                y=_f(plot.bottom + 18),
                text_anchor="middle",
                fill=SECONDARY_INK,
            )
        )
    return out


def _target_line(chart: ChartData, plot: _Plot) -> list[str]:
    """One dashed line per run of periods sharing a target, meeting halfway between points
    (the whole width when the target never changed)."""
    runs, out = chart.target_runs(), []
    n = plot.n
    for first, last, target in runs:
        x1 = plot.left if first == 0 else (plot.x(first - 1) + plot.x(first)) / 2
        x2 = plot.right if last == n - 1 else (plot.x(last) + plot.x(last + 1)) / 2
        ty = _f(plot.y(float(target)))
        out.append(
            _el(
                "line",
                x1=_f(x1) if first else plot.left,
                x2=_f(x2),
                y1=ty,
                y2=ty,
                stroke=TARGET,
                stroke_width="2",
                stroke_dasharray="8 4",
            )
        )
    return out


def _group_lines(group: SPCGroup, plot: _Plot) -> list[str]:
    """One group's mean and limits, drawn over its own points only, so the lines break where
    the limits were recalculated; a later group also gets a dotted divider and a note."""
    n = plot.n
    # Lines reach halfway to the neighbouring group's first or last point.
    x1 = plot.x(group.start) - (plot.step / 2 if group.index > 0 else 0)
    x2 = plot.x(group.stop - 1) + (plot.step / 2 if group.stop < n else 0)
    if n == 1:
        x1, x2 = plot.left, plot.right
    dash = "5 4" if group.provisional else None
    out = [_hline(group.mean, x1, x2, plot, stroke=INK)]
    for limit in (group.lower_limit, group.upper_limit):
        if limit is not None:
            out.append(_hline(limit, x1, x2, plot, stroke=LIMIT, dash=dash))
    if group.index > 0:
        out.append(
            _el(
                "line",
                x1=_f(x1),
                x2=_f(x1),
                y1=plot.top,
                y2=_f(plot.bottom),
                stroke=SECONDARY_INK,
                stroke_dasharray="2 3",
            )
        )
        out.append(
            _el(
                "text",
                "Limits recalculated",
                x=_f(x1 + 4),
                y=_f(plot.top + 10),
                font_size="11",
                fill=SECONDARY_INK,
            )
        )
    return out


def _hline(
    value: float, x1: float, x2: float, plot: _Plot, *, stroke: str, dash: str | None = None
) -> str:
    """A group's mean or limit line, 1.5 wide, from x1 to x2."""
    y = _f(plot.y(value))
    return _el(
        "line",
        x1=_f(x1),
        x2=_f(x2),
        y1=y,
        y2=y,
        stroke=stroke,
        stroke_width="1.5",
        stroke_dasharray=dash,
    )


def _line_labels(chart: ChartData, plot: _Plot) -> list[str]:
    """The labels right of the plot: the target, and the last group's mean and limits,
    nudged apart so none overlap."""
    labels: list[tuple[float, str, str]] = []
    if chart.target is not None:
        target = f"Target {format_value(chart.target, chart.unit)}"
        labels.append((plot.y(float(chart.target)), target, TARGET))
    last = chart.spc.groups[-1]
    prefix = "Provisional " if last.provisional else ""
    labels.append((plot.y(last.mean), f"Mean {format_number(last.mean)}", INK))
    if last.upper_limit is not None:
        upper = f"{prefix}UL {format_number(last.upper_limit)}"
        labels.append((plot.y(last.upper_limit), upper, LIMIT))
    if last.lower_limit is not None:
        lower = f"{prefix}LL {format_number(last.lower_limit)}"
        labels.append((plot.y(last.lower_limit), lower, LIMIT))
    return [
        _el("text", text, x=_f(plot.right + 6), y=_f(ly + 4), font_size="11", fill=colour)
        for ly, text, colour in _spread(labels, 13, plot.top + 4, plot.bottom)
    ]


def _values(chart: ChartData, plot: _Plot) -> list[str]:
    """The values joined by a grey line, then each point's mark over it."""
    points = chart.spc.points
    path = " ".join(f"{_f(plot.x(i))},{_f(plot.y(p.value))}" for i, p in enumerate(points))
    out = [_el("polyline", points=path, fill="none", stroke=COMMON, stroke_width="1.5")]
    for i, point in enumerate(points):
        out.append(_marker(POINT_KIND[point.point_type], plot.x(i), plot.y(point.value)))
    return out


def _legend(legend: list[tuple[str, str, int, float]], *, top: float) -> list[str]:
    """The laid-out legend items (see _legend_layout), first row's baseline at ``top``."""
    out = []
    for kind, text, row, lx in legend:
        cy = top + row * LEGEND_ROW
        if kind.startswith("line:"):
            out.append(_legend_line(kind[5:], lx, cy))
        else:
            out.append(_marker(kind, lx + 10, cy - 4))
        out.append(_el("text", text, x=_f(lx + 26), y=_f(cy), fill=INK))
    return out


def _legend_items(chart: ChartData) -> list[tuple[str, str]]:
    kinds = {POINT_KIND[p.point_type] for p in chart.spc.points}
    items = [(kind, LEGEND_WORDS[kind]) for kind in LEGEND_WORDS if kind in kinds]
    items.append(("line:mean", "Mean"))
    groups = chart.spc.groups
    if any(g.upper_limit is not None and not g.provisional for g in groups):
        items.append(("line:limit", "Process limits"))
    if any(g.upper_limit is not None and g.provisional for g in groups):
        items.append(("line:provisional", "Provisional limits"))
    if chart.target_runs():
        items.append(("line:target", "Target"))
    return items


def _legend_layout(items: list[tuple[str, str]], left: int, right: int):
    """(kind, text, row, x) for each legend item, wrapped to fit between left and right. Text
    width is estimated (12px Arial averages under 7px a character)."""
    laid, row, x = [], 0, left
    for kind, text in items:
        advance = 26 + 7 * len(text) + 24
        if x > left and x + advance - 24 > right:
            row, x = row + 1, left
        laid.append((kind, text, row, x))
        x += advance
    return laid


def _legend_line(kind: str, x: float, y: float) -> str:
    stroke, dash, width = {
        "mean": (INK, None, "1.5"),
        "limit": (LIMIT, None, "1.5"),
        "provisional": (LIMIT, "5 4", "1.5"),
        "target": (TARGET, "8 4", "2"),
    }[kind]
    return _el(
        "line",
        x1=_f(x),
        x2=_f(x + 20),
        y1=_f(y - 4),
        y2=_f(y - 4),
        stroke=stroke,
        stroke_width=width,
        stroke_dasharray=dash,
    )


# --- sparkline -------------------------------------------------------------------------------


def sparkline(chart: ChartData, *, width: int = 120, height: int = 32) -> SafeString:
    """A small trend line for tables: the values, the target (red, dashed) and the last point
    marked by its kind. Its <title> gives the number of points and the latest value."""
    points = chart.spc.points
    if not points:
        return mark_safe("")
    latest = format_value(chart.latest_value, chart.unit)
    title = (
        f"Trend of {chart.title}: {len(points)} point{'s' if len(points) != 1 else ''} "
        f"to {chart.latest_label}, latest {latest}"
    )
    span = [p.value for p in points] + [float(t) for t in chart.all_targets]
    low, high = min(span), max(span)
    if math.isclose(low, high):
        low, high = low - 1, high + 1
    pad = 5

    def y(v: float) -> float:
        return height - pad - (v - low) / (high - low) * (height - 2 * pad)

    n = len(points)

    def x(i: int) -> float:
        return pad + (i * (width - 2 * pad) / (n - 1) if n > 1 else (width - 2 * pad) / 2)

    out = [_svg_open(width, height, "app-sparkline"), _el("title", title)]
    for first, last, target in chart.target_runs():
        ty = y(float(target))
        x1 = pad if first == 0 else (x(first - 1) + x(first)) / 2
        x2 = width - pad if last == n - 1 else (x(last) + x(last + 1)) / 2
        out.append(
            _el(
                "line",
                x1=_f(x1) if first else pad,
                x2=_f(x2) if last < n - 1 else width - pad,
                y1=_f(ty),
                y2=_f(ty),
                stroke=TARGET,
                stroke_dasharray="3 2",
            )
        )
    path = " ".join(f"{_f(x(i))},{_f(y(p.value))}" for i, p in enumerate(points))
    out.append(_el("polyline", points=path, fill="none", stroke=COMMON, stroke_width="1.5"))
    last: SPCPoint = points[-1]
    out.append(_marker(POINT_KIND[last.point_type], x(n - 1), y(last.value), scale=0.8))
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above went through escape()


# --- icons -----------------------------------------------------------------------------------

VARIATION_STYLE = {
    # variation: (ring colour, letter colour, letter, arrow: 1 up, -1 down, 0 none)
    "improvement_high": (IMPROVEMENT, IMPROVEMENT_DARK, "H", 1),
    "improvement_low": (IMPROVEMENT, IMPROVEMENT_DARK, "L", -1),
    "concern_high": (CONCERN, CONCERN_DARK, "H", 1),
    "concern_low": (CONCERN, CONCERN_DARK, "L", -1),
    "neutral_high": (NEUTRAL, NEUTRAL, "H", 1),
    "neutral_low": (NEUTRAL, NEUTRAL, "L", -1),
}
ASSURANCE_STYLE = {
    "pass": (IMPROVEMENT, IMPROVEMENT_DARK, "P"),
    "fail": (CONCERN, CONCERN_DARK, "F"),
    "inconsistent": (COMMON, SECONDARY_INK, "?"),
}


def variation_text(variation: str | None) -> str:
    if not variation:
        return "No variation to show: no measurements"
    return "Variation: " + VARIATION_WORDS[variation]


def assurance_text(assurance: str | None) -> str:
    if not assurance:
        return "No assurance: no target, or a measure with no better direction"
    return "Assurance: target " + ASSURANCE_WORDS[assurance]


def _ring(colour: str) -> str:
    return _el("circle", cx="20", cy="20", r="17", fill="#ffffff", stroke=colour, stroke_width="3")


def _letter(letter: str, colour: str, y: float = 26) -> str:
    return _el(
        "text",
        letter,
        x="20",
        y=_f(y),
        text_anchor="middle",
        font_size="16",
        font_weight="bold",
        fill=colour,
    )


@lru_cache(maxsize=64)  # a handful of icons, drawn on every row of the scorecard
def variation_icon(variation: str | None, *, size: int = 40) -> SafeString:
    """The variation icon for an SPCResult.variation (empty when there is none)."""
    if not variation:
        return mark_safe("")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-spc-icon" viewBox="0 0 40 40"'
        f' width="{size}" height="{size}" role="img" font-family="{escape(FONT)}">',
        _el("title", variation_text(variation)),
    ]
    if variation == "common_cause":
        out.append(_ring(COMMON))
        out.append(
            _el(
                "polyline",
                points="9,21 13,17 17,23 21,17 25,23 29,18 31,20",
                fill="none",
                stroke=SECONDARY_INK,
                stroke_width="2",
            )
        )
    else:
        ring, ink, letter, arrow = VARIATION_STYLE[variation]
        out.append(_ring(ring))
        out.append(_letter(letter, ink, y=29.5 if arrow > 0 else 22.5))
        # An arrowhead above (high) or below (low) the letter.
        tip, base = (7, 13) if arrow > 0 else (33, 27)
        out.append(
            _el("polygon", points=f"20,{tip} 25,{base} 15,{base}", fill=ink),
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above went through escape()


@lru_cache(maxsize=64)
def assurance_icon(assurance: str | None, *, size: int = 40) -> SafeString:
    """The assurance icon for an SPCResult.assurance (empty when there is none)."""
    if not assurance:
        return mark_safe("")
    ring, ink, letter = ASSURANCE_STYLE[assurance]
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-spc-icon" viewBox="0 0 40 40"'
        f' width="{size}" height="{size}" role="img" font-family="{escape(FONT)}">',
        _el("title", assurance_text(assurance)),
        _ring(ring),
        _letter(letter, ink),
        "</svg>",
    ]
    return mark_safe("".join(out))  # noqa: S308 - every text above went through escape()
