"""budgets.monitoring: phasing, variance, forecast and RAG on plain numbers (no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from budgets import monitoring as m
from budgets.monitoring import Kind, MonitoredLine, Thresholds
from budgets.templatetags.money import percent, percent_words, variance_words
from planning import fy
from planning.rag import RAG

D = Decimal
INCOME, SPEND = Kind.INCOME, Kind.EXPENDITURE
APRIL, SEPTEMBER, MARCH = dt.date(2006, 4, 1), dt.date(2006, 9, 1), dt.date(2007, 3, 1)


class TestMonths:
    def test_months_of_a_financial_year(self):
        months = m.months_of(2006)
        assert months[0] == APRIL and months[-1] == MARCH and len(months) == 12
        assert months[9] == dt.date(2007, 1, 1)

    @pytest.mark.parametrize(
        ("month", "n"), [(APRIL, 1), (SEPTEMBER, 6), (dt.date(2006, 12, 31), 9), (MARCH, 12)]
    )
    def test_months_elapsed(self, month, n):
        assert m.months_elapsed(2006, month) == n

    @pytest.mark.parametrize("month", [dt.date(2006, 3, 1), dt.date(2007, 4, 1)])
    def test_a_month_outside_the_year_is_refused(self, month):
        with pytest.raises(ValueError, match="not in 2006/07"):
            m.months_elapsed(2006, month)

    def test_month_keys(self):
        assert m.month_key(SEPTEMBER) == "2006-09"
        assert fy.parse_month("2007-03") == MARCH
        with pytest.raises(ValueError):
            fy.parse_month("September")


class TestBudgetToDate:
    @pytest.mark.parametrize(
        ("annual", "months", "to_date"),
        [
            ("12000", 3, "3000.00"),
            ("100", 1, "8.33"),
            ("100", 2, "16.67"),  # rounded once, not 8.33 × 2
            ("100", 12, "100.00"),  # the whole year is the annual budget exactly
            ("5232371", 6, "2616185.50"),
            ("0", 7, "0.00"),
            ("999", 0, "0.00"),
        ],
    )
    def test_evenly_phased(self, annual, months, to_date):
        assert m.budget_to_date(D(annual), months) == D(to_date)

    def test_more_than_a_year_is_refused(self):
        with pytest.raises(ValueError):
            m.budget_to_date(D(1), 13)


class TestVariance:
    def test_income_below_budget_is_adverse(self):
        assert m.variance(INCOME, budget=D(100), actual=D(90)) == D(-10)
        assert m.variance(INCOME, budget=D(100), actual=D(120)) == D(20)

    def test_expenditure_above_budget_is_adverse(self):
        assert m.variance(SPEND, budget=D(100), actual=D(110)) == D(-10)
        assert m.variance(SPEND, budget=D(100), actual=D(70)) == D(30)

    def test_percent_of_budget_one_decimal_place(self):
        assert m.variance_percent(D(-10), D(300)) == D("-3.3")
        assert m.variance_percent(D(1), D(8)) == D("12.5")
        assert m.variance_percent(D("0.05"), D(100)) == D("0.1")  # half up

    def test_zero_budget_has_no_percentage(self):
        assert m.variance_percent(D(-50), D(0)) is None
        assert m.variance_percent(D(0), D(0)) is None


class TestForecast:
    def test_actual_to_date_plus_the_remaining_months_budget(self):
        # 12,000 a year; 6 months spent 7,000: 7,000 + 6,000 still budgeted.
        assert m.forecast_outturn(D(12000), D(7000), 6) == D(13000)

    def test_at_year_end_the_forecast_is_the_actual(self):
        assert m.forecast_outturn(D(12000), D(11500), 12) == D(11500)

    def test_pennies_add_up_to_the_annual_budget(self):
        # 100 a year after 1 month: 8.33 to date, 91.67 to come.
        assert m.forecast_outturn(D(100), D("8.33"), 1) == D(100)

    def test_zero_budget(self):
        assert m.forecast_outturn(D(0), D(250), 4) == D(250)


class TestRating:
    T = Thresholds(amber_at=D(2), red_at=D(5))

    @pytest.mark.parametrize(
        ("variance", "budget", "rating"),
        [
            (D(0), D(100), RAG.GREEN),
            (D(30), D(100), RAG.GREEN),  # favourable is never Amber or Red
            (D("-1.99"), D(100), RAG.GREEN),
            (D(-2), D(100), RAG.AMBER),  # at the threshold
            (D("-4.99"), D(100), RAG.AMBER),
            (D(-5), D(100), RAG.RED),
            (D(-80), D(100), RAG.RED),
            (D(-1), D(0), RAG.RED),  # spending with no budget at all
            (D(0), D(0), RAG.GREEN),
            (D(50), D(0), RAG.GREEN),  # income with no budget: favourable
        ],
    )
    def test_thresholds(self, variance, budget, rating):
        assert m.rating(variance, budget, self.T) == rating

    def test_thresholds_must_be_ordered(self):
        with pytest.raises(ValueError):
            Thresholds(amber_at=D(5), red_at=D(2))
        with pytest.raises(ValueError):
            Thresholds(amber_at=D(-1), red_at=D(2))
        assert Thresholds(amber_at=D(3), red_at=D(3))


class TestMonitor:
    def report(self, month=SEPTEMBER, thresholds=None):
        income = [
            MonitoredLine(
                INCOME,
                "Croydon PCT",
                "Estates",
                D(12000),
                {APRIL: D(1000), dt.date(2006, 5, 1): D(1000)},
            ),
            MonitoredLine(INCOME, "Croydon PCT", "Finance", D(0)),
            MonitoredLine(INCOME, "Kingston PCT", "Estates", D(2400), {SEPTEMBER: D(1200)}),
        ]
        spend = [
            MonitoredLine(
                SPEND, "Head of Services", "Transport", D(1200), {APRIL: D(100), SEPTEMBER: D(700)}
            ),
            MonitoredLine(SPEND, "Head of Services", "Supplies", D(0), {APRIL: D(10)}),
        ]
        return m.monitor(2006, month, income, spend, thresholds)

    def test_lines_to_date(self):
        report = self.report()
        assert report.months_elapsed == 6
        estates = report.income_groups[0].lines[0]
        assert estates.budget_to_date == D(6000)
        assert estates.actual_to_date == D(2000)  # months without an actual count as £0
        assert estates.actual_this_month == D(0)
        assert estates.variance == D(-4000)
        assert estates.variance_percent == D("-66.7")
        assert estates.forecast == D(8000)  # 2,000 + 6 × 1,000
        assert estates.forecast_variance == D(-4000)
        assert estates.rag == RAG.RED
        transport = report.expenditure_groups[0].lines[0]
        assert (transport.budget_to_date, transport.actual_to_date) == (D(600), D(800))
        assert transport.actual_this_month == D(700)
        assert transport.variance == D(-200) and transport.is_adverse
        assert transport.forecast == D(1400)

    def test_zero_budgets_do_not_crash(self):
        report = self.report()
        finance = report.income_groups[0].lines[1]
        assert finance.variance == 0 and finance.variance_percent is None
        assert finance.rag == RAG.GREEN
        supplies = report.expenditure_groups[0].lines[1]
        assert supplies.variance == D(-10) and supplies.variance_percent is None
        assert supplies.rag == RAG.RED

    def test_groups_subtotals_and_totals_are_sums(self):
        report = self.report()
        assert [g.label for g in report.income_groups] == ["Croydon PCT", "Kingston PCT"]
        croydon = report.income_groups[0].subtotal
        assert (croydon.annual_budget, croydon.budget_to_date, croydon.actual_to_date) == (
            D(12000),
            D(6000),
            D(2000),
        )
        total = report.income_total
        assert total.label == "Total income"
        assert total.budget_to_date == D(7200)
        assert total.actual_to_date == D(3200)
        assert total.variance == D(-4000)
        assert total.variance_percent == D("-55.6")  # of the summed budget, not an average
        assert total.forecast == sum(p.forecast for p in report.lines()[:3])

    def test_net_position(self):
        net = self.report().net
        assert net.budget_to_date == D(7200) - D(600)
        assert net.actual_to_date == D(3200) - D(810)
        assert net.variance == net.actual_to_date - net.budget_to_date

    def test_thresholds_apply(self):
        lenient = Thresholds(amber_at=D(50), red_at=D(90))
        report = self.report(thresholds=lenient)
        assert report.income_groups[0].lines[0].rag == RAG.AMBER  # 66.7% adverse

    def test_month_from_any_day_and_outside_the_year(self):
        assert self.report(month=dt.date(2006, 9, 17)).month == SEPTEMBER
        with pytest.raises(ValueError):
            self.report(month=dt.date(2007, 4, 1))

    def test_months_with_actuals(self):
        assert self.report().months_with_actuals == (APRIL, dt.date(2006, 5, 1), SEPTEMBER)

    def test_a_line_of_the_wrong_kind_is_refused(self):
        with pytest.raises(ValueError):
            m.monitor(2006, APRIL, [MonitoredLine(SPEND, "M", "L", D(1))], [])


class TestWords:
    def test_variance_in_words_not_signs_or_colour(self):
        assert variance_words(D(-1200)) == "£1,200 adverse"
        assert variance_words(D("300.5")) == "£300.50 favourable"
        assert variance_words(D(0)) == "£0"

    def test_percentages(self):
        assert percent_words(None) == "—"
        assert percent_words(D("-2.5")) == "2.5% adverse"
        assert percent_words(D("0.0")) == "0%"
        assert percent(None) == "—"
        assert percent(D("12.5")) == "12.5%"
