"""Byte-for-byte reference charts: the SVG that kpis/charts.py draws for a few fixed series.

The files under tests/kpis/data/charts/ were written by the chart code as it stood before
xmr_chart was split into parts, so any change to the drawing (a moved coordinate, a reordered
attribute) fails here. When a change to the picture is deliberate, rewrite the files with

    python -c "from tests.kpis.test_chart_reference import write_references; write_references()"

and review the diff of the .svg files like any other change.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from kpis import charts, spc

DATA = Path(__file__).parent / "data" / "charts"


def ds(text: str) -> list[D]:
    return [D(v) for v in text.split(" ")]


def chart_of(values, *, title, unit="%", target=None, improvement="increase", rebase=()):
    result = spc.analyse(values, improvement=improvement, target=target, rebase_at=rebase)
    labels = tuple(
        f"Q{i % 4 + 1} {2006 + i // 4}/{(7 + i // 4) % 100:02d}" for i in range(len(values))
    )
    short = tuple(f"Q{i % 4 + 1}" for i in range(len(values)))
    return charts.ChartData(
        title=title,
        labels=labels,
        short_labels=short,
        values=tuple(values),
        spc=result,
        unit=unit,
        target=target,
    )


# 14 points with a high and a low outlier (improvement, concern), then a rebase into a group
# of 8 (provisional limits) that rises (a trend, then a point above its upper limit).
REBASED = chart_of(
    ds("50 52 49 51 50 80 48 50 51 49 52 20 51 50 60 61.5 63 64.25 66 68 69 71"),
    title="L2 PDRs <appraised> & signed",
    target=D("62"),
    rebase=[14],
)
# A measure with no better direction (squares), money, no target.
NEUTRAL = chart_of(
    ds("1200 1250 1190 1230 1210 1900 1220 1240 1205 1215 1230 1225 1210 1220"),
    title="Spend per bed",
    unit="£",
    improvement="neutral",
)
SINGLE = chart_of([D("5")], title="One point", unit="days", target=D("4"))
EMPTY = chart_of([], title="Nothing yet")

CASES = {
    "xmr_rebased": lambda: charts.xmr_chart(REBASED, id_prefix="kpi-1"),
    "xmr_rebased_narrow": lambda: charts.xmr_chart(
        REBASED, id_prefix="kpi-1n", width=420, plot_height=160
    ),
    "xmr_neutral": lambda: charts.xmr_chart(NEUTRAL, id_prefix="kpi-2"),
    "xmr_single": lambda: charts.xmr_chart(SINGLE, id_prefix="kpi-3"),
    "xmr_empty": lambda: charts.xmr_chart(EMPTY, id_prefix="kpi-4"),
    "sparkline_rebased": lambda: charts.sparkline(REBASED),
    "sparkline_neutral": lambda: charts.sparkline(NEUTRAL),
    "sparkline_single": lambda: charts.sparkline(SINGLE),
    "icons": lambda: "\n".join(
        [charts.variation_icon(v) for v in charts.VARIATION_WORDS]
        + [charts.assurance_icon(a) for a in charts.ASSURANCE_WORDS]
    ),
}


def write_references() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    for name, draw in CASES.items():
        (DATA / f"{name}.svg").write_text(str(draw()) + "\n", encoding="utf-8")


class TestReferenceCharts:
    @pytest.mark.parametrize("name", list(CASES))
    def test_matches_the_reference_byte_for_byte(self, name):
        expected = (DATA / f"{name}.svg").read_text(encoding="utf-8")
        assert str(CASES[name]()) + "\n" == expected

    def test_the_references_cover_every_kind_of_mark(self):
        """The reference series exercise what a refactor could break: every point kind, a
        rebase, provisional limits, a target and the legend wrapped onto a second row."""
        rebased = (DATA / "xmr_rebased.svg").read_text(encoding="utf-8")
        neutral = (DATA / "xmr_neutral.svg").read_text(encoding="utf-8")
        for colour in (charts.IMPROVEMENT, charts.CONCERN, charts.COMMON, charts.TARGET):
            assert colour in rebased
        assert charts.NEUTRAL in neutral
        assert "Limits recalculated" in rebased and "Provisional UL" in rebased
        assert "&lt;appraised&gt; &amp; signed" in rebased
