"""delivery.ranges: range arithmetic, totals per confidence, planned against delivered."""

from __future__ import annotations

from decimal import Decimal

import pytest

from delivery.ranges import (
    Figure,
    MixedConfidenceError,
    Range,
    RangeError,
    format_range,
    grand_total,
    money,
    planned_against_delivered,
    total,
    totals_by_group,
    totals_by_year,
)

D = Decimal


def r(low, high=None):
    return Range.of(D(low), None if high is None else D(high))


def fig(year, low, high=None, confidence="estimate", measure="gross_savings", group="A"):
    return Figure(measure, year, r(low, high), confidence, group)


def test_ranges_add_lows_with_lows_and_highs_with_highs():
    assert r(1, 3) + r(2, 5) == r(3, 8)
    assert r(1, 3) + r(4) == r(5, 7)
    assert sum([r(1, 2), r(3, 4), r(5)]) == r(9, 11)


def test_one_figure_alone_is_a_point():
    assert Range.of(D(4)).is_point
    assert Range.of(None, D(4)) == r(4, 4)
    with pytest.raises(RangeError):
        Range.of(None, None)


def test_a_low_above_its_high_is_refused():
    with pytest.raises(RangeError):
        Range(D(5), D(3))


def test_a_total_refuses_to_mix_confidences():
    with pytest.raises(MixedConfidenceError, match="estimate, delivered"):
        total([fig(2010, 1), fig(2010, 2, confidence="delivered")])
    assert total([fig(2010, 1, 2), fig(2011, 3, 4)]) == r(4, 6)
    assert total([]) == r(0)


def test_totals_by_year_are_per_confidence_and_put_the_unstated_year_last():
    figures = [
        fig(None, "3400000", "5400000"),
        fig(2011, 100, 200),
        fig(2010, 1, 2),
        fig(2010, 10, 20, group="B"),
        fig(2010, 5, confidence="delivered"),
        fig(2010, 99, measure="fte"),
    ]
    rows = totals_by_year(figures, "gross_savings")
    assert [row.key for row in rows] == [2010, 2011, None]
    assert rows[0].totals == {"estimate": r(11, 22), "delivered": r(5)}
    assert rows[0].cell("validated") is None
    assert grand_total(rows).totals == {"estimate": r(3400111, 5400222), "delivered": r(5)}


def test_totals_by_programme_follow_the_given_order():
    figures = [fig(2010, 1, group="B"), fig(2011, 2, 3, group="A"), fig(2010, 4, group="B")]
    rows = totals_by_group(figures, "gross_savings", ["A", "B", "C"])
    assert [(row.key, row.totals["estimate"]) for row in rows] == [("A", r(2, 3)), ("B", r(5))]


def test_planned_against_delivered_keeps_estimate_and_validated_apart():
    figures = [
        fig(2010, 10, 20),
        fig(2010, 12, 15, confidence="validated"),
        fig(2010, 13, confidence="delivered"),
        fig(2011, 30, confidence="validated"),
    ]
    rows = planned_against_delivered(figures, "gross_savings")
    assert [(x.year, x.estimate, x.validated, x.delivered) for x in rows] == [
        (2010, r(10, 20), r(12, 15), r(13)),
        (2011, None, r(30), None),
    ]
    assert rows[0].shortfall_against_validated == r(-1, 2)
    assert rows[1].shortfall_against_validated is None


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (r("3400000", "5400000"), "£3.4m–£5.4m"),
        (r("247000000"), "£247m"),
        (r("1250000"), "£1.25m"),
        (r("1234567.89"), "£1,234,567.89"),
        (r("340000"), "£340,000"),
        (r("-200000", "100000"), "−£200,000 to £100,000"),
    ],
)
def test_money_prints_millions_only_when_nothing_is_lost(amount, text):
    assert format_range(amount, is_money=True) == text


def test_people_print_as_numbers():
    assert format_range(r("35", "60"), is_money=False) == "35–60"
    assert format_range(r("-12.5"), is_money=False) == "−12.5"
    assert money(D("0")) == "£0"
