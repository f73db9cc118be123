"""The server-drawn SVG charts and icons (kpis/charts.py): pure functions of their data."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal as D

import pytest
from django.utils.safestring import SafeString

from kpis import charts, spc

SVG = "{http://www.w3.org/2000/svg}"


def ds(text: str) -> list[D]:
    return [D(v) for v in text.split(" ")]


STABLE = ds("50 52 49 51 50 53 48 50 51 49 52 50 51 50")


def chart_of(values, *, title="L2 PDRs", unit="%", target=None, improvement="increase", rebase=()):
    result = spc.analyse(values, improvement=improvement, target=target, rebase_at=rebase)
    labels = tuple(f"Q{i % 4 + 1} {2006 + i // 4}" for i in range(len(values)))
    return charts.ChartData(
        title=title,
        labels=labels,
        short_labels=labels,
        values=tuple(values),
        spc=result,
        unit=unit,
        target=target,
    )


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # well-formed XML, or this raises


class TestFormatting:
    @pytest.mark.parametrize(
        ("value", "unit", "text"),
        [
            (D("82.5000"), "%", "82.5%"),
            (D("200.0000"), "%", "200%"),  # never 2E+2
            (D("1250"), "£", "£1,250"),
            (D("-12.5"), "£", "-£12.5"),
            (D("25.10"), "£ per m2", "£25.1 per m2"),
            (D("12"), "days", "12 days"),
            (D("3.6"), "", "3.6"),
            (None, "%", "—"),
            (73.66666, "", "73.67"),
            (1234.5678, "", "1,235"),
        ],
    )
    def test_values(self, value, unit, text):
        assert charts.format_value(value, unit) == text

    def test_summary_sentence(self):
        values = ds("70 72 71 73 70 72 71 82 84 83 85 84 82")
        chart = chart_of(values, target=D("90"))
        labels = chart.labels[:-1] + ("Q2 2006/07",)
        chart = charts.ChartData(**{**chart.__dict__, "labels": labels})
        assert chart.summary.startswith("Latest 82% in Q2 2006/07; special cause improvement")
        assert "target 90%" in chart.summary

    def test_summary_without_data_or_target(self):
        assert chart_of([]).summary == "No measurements yet."
        assert "no target set" in chart_of(STABLE).summary
        assert "limits provisional" in chart_of(STABLE[:5]).summary
        assert "target" not in chart_of(STABLE, improvement="neutral").summary


class TestXmrChart:
    def test_accessible_and_safe(self):
        svg = charts.xmr_chart(chart_of(STABLE, target=D("51")), id_prefix="k1")
        assert isinstance(svg, SafeString)
        root = parse(svg)
        assert root.get("role") == "img"
        assert root.get("aria-labelledby") == "k1-title"
        assert root.get("aria-describedby") == "k1-desc"
        assert root.find(f"{SVG}title").text == "SPC chart: L2 PDRs"
        assert root.find(f"{SVG}desc").text.startswith("Latest 50% in")
        # CSP: no inline style anywhere; colours are presentation attributes.
        assert "style" not in svg
        assert "<script" not in svg

    def test_text_is_escaped(self):
        chart = chart_of(STABLE, title='<script>alert("x")</script> & Co', unit="<b>")
        svg = charts.xmr_chart(chart, id_prefix='"><x')
        root = parse(svg)
        assert "<script>" not in svg and "<b>" not in svg
        assert root.find(f"{SVG}title").text == 'SPC chart: <script>alert("x")</script> & Co'
        assert charts.sparkline(chart).count("<script") == 0

    def test_points_coloured_by_kind(self):
        values = ds("50 51 49 50 52 50 49 51 50 80 50 51 20")
        svg = charts.xmr_chart(chart_of(values), id_prefix="c")
        assert charts.IMPROVEMENT in svg  # the high outlier (higher is better)
        assert charts.CONCERN in svg  # the low outlier
        assert charts.COMMON in svg
        assert charts.NEUTRAL not in svg
        neutral = charts.xmr_chart(chart_of(values, improvement="neutral"), id_prefix="n")
        assert charts.NEUTRAL in neutral and charts.IMPROVEMENT not in neutral

    def test_limits_break_at_each_rebase_and_provisional_limits_are_dashed(self):
        values = STABLE + ds("70 71 69 70 72")
        svg = charts.xmr_chart(chart_of(values, rebase=[len(STABLE)]), id_prefix="r")
        root = parse(svg)
        assert "Limits recalculated" in svg
        means = {
            line.get("y1")
            for line in root.iter(f"{SVG}line")
            if line.get("stroke") == charts.INK
            and line.get("stroke-width") == "1.5"
            and line.get("x1") != line.get("x2")
            and line.get("y1") == line.get("y2")
        }
        assert len(means) >= 2  # one mean per group, at different heights
        # The second group has 5 points: provisional, dashed and labelled.
        dashed = [
            line
            for line in root.iter(f"{SVG}line")
            if line.get("stroke") == charts.LIMIT and line.get("stroke-dasharray")
        ]
        assert dashed
        assert "Provisional UL" in svg and "Provisional limits" in svg
        # The first group (14 points) has solid limits.
        assert "Process limits" in svg

    def test_target_line(self):
        svg = charts.xmr_chart(chart_of(STABLE, target=D("55")), id_prefix="t")
        assert charts.TARGET in svg and "Target 55%" in svg

    def test_empty_and_single_point(self):
        assert "No measurements yet" in charts.xmr_chart(chart_of([]), id_prefix="e")
        parse(charts.xmr_chart(chart_of([D("5")], target=D("4")), id_prefix="s"))

    def test_flat_series(self):
        parse(charts.xmr_chart(chart_of([D("5")] * 6), id_prefix="f"))


class TestSmallPieces:
    def test_sparkline(self):
        svg = charts.sparkline(chart_of(STABLE, target=D("51")))
        root = parse(svg)
        assert root.get("role") == "img"
        assert root.find(f"{SVG}title").text.startswith("Trend of L2 PDRs: 14 points")
        assert charts.sparkline(chart_of([])) == ""

    @pytest.mark.parametrize("variation", list(charts.VARIATION_WORDS))
    def test_variation_icons(self, variation):
        root = parse(charts.variation_icon(variation))
        assert root.get("role") == "img"
        assert root.find(f"{SVG}title").text == "Variation: " + charts.VARIATION_WORDS[variation]

    @pytest.mark.parametrize("assurance", ["pass", "fail", "inconsistent"])
    def test_assurance_icons(self, assurance):
        root = parse(charts.assurance_icon(assurance))
        assert root.find(f"{SVG}title").text.startswith("Assurance: target")
        assert {"pass": "P", "fail": "F", "inconsistent": "?"}[assurance] in charts.assurance_icon(
            assurance
        )

    def test_no_icon_without_a_value(self):
        assert charts.variation_icon(None) == "" and charts.assurance_icon(None) == ""

    def test_table_rows(self):
        values = STABLE + [D("90")]
        rows = charts.table_rows(chart_of(values))
        assert len(rows) == len(values)
        assert rows[-1].special_cause
        assert rows[-1].signal == "Special cause improvement: above the upper limit"
        assert all(r.signal == "Common cause" for r in rows if not r.special_cause)
        assert rows[0].value == "50%"
