"""budgets.summary: the Appendix 3 arithmetic on plain rows (no database)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgets import summary as s
from budgets.models import TotalScope
from budgets.summary import (
    Contribution,
    ExpenditureItem,
    IncomeItem,
    PrintedFigure,
    contributions,
    summarise,
)

D = Decimal
LINES = ["Estates", "Finance", "IT"]


def income(label, line, amount, order=0, funder_id=None):
    return IncomeItem(label, line, D(amount), funder_order=order, funder_id=funder_id)


class TestIncomeMatrix:
    def test_rows_in_funder_order_cells_by_service_line(self):
        result = summarise(
            2006,
            LINES,
            [
                income("B Trust", "Finance", "20", order=2),
                income("A Trust", "IT", "3", order=1, funder_id=7),
                income("A Trust", "Estates", "1", order=1, funder_id=7),
                income("B Trust", "Estates", "0", order=2),
            ],
            [],
        )
        assert [r.funder_label for r in result.income_rows] == ["A Trust", "B Trust"]
        a, b = result.income_rows
        assert a.cells == (D(1), None, D(3))
        assert a.funder_id == 7
        # A printed 0 is a line of £0; no line is None: not the same thing.
        assert b.cells == (D(0), D(20), None)
        assert (a.total, b.total) == (D(4), D(20))
        assert [c.total for c in result.column_totals] == [D(1), D(20), D(3)]
        assert result.income_total == D(24)

    def test_equal_funder_order_keeps_first_appearance(self):
        result = summarise(
            2006, LINES, [income("Z", "Estates", "1"), income("A", "Estates", "1")], []
        )
        assert [r.funder_label for r in result.income_rows] == ["Z", "A"]

    def test_totals_are_exact_decimals(self):
        rows = [income("A", "Estates", "0.10"), income("A", "Finance", "0.20")]
        result = summarise(2006, LINES, rows, [])
        assert result.income_total == D("0.30")  # not 0.30000000000000004

    def test_floats_are_refused(self):
        with pytest.raises(TypeError):
            summarise(2006, LINES, [IncomeItem("A", "Estates", 0.1)], [])

    def test_unknown_service_line_and_duplicate_line_are_refused(self):
        with pytest.raises(ValueError, match="not one of"):
            summarise(2006, LINES, [income("A", "Catering", "1")], [])
        with pytest.raises(ValueError, match="Two lines"):
            summarise(2006, LINES, [income("A", "IT", "1"), income("A", "IT", "2")], [])


class TestExpenditure:
    def test_grouped_by_manager_in_order_with_subtotals(self):
        result = summarise(
            2006,
            LINES,
            [],
            [
                ExpenditureItem("Head of Services", "Supplies", D("30"), order=3),
                ExpenditureItem("COO", "Premises", D("100"), order=1),
                ExpenditureItem("Head of Services", "Transport", D("20"), order=2),
                ExpenditureItem("COO", "Host body", D("5"), order=4),
            ],
        )
        groups = [
            (g.manager, [line.description for line in g.lines], g.subtotal)
            for g in result.expenditure_groups
        ]
        assert groups == [
            ("COO", ["Premises", "Host body"], D(105)),
            ("Head of Services", ["Transport", "Supplies"], D(50)),
        ]
        assert result.expenditure_total == D(155)
        assert result.expenditure_line_count == 4


class TestBalance:
    @pytest.mark.parametrize(
        ("income_amount", "spend", "words", "deficit"),
        [
            ("100", "101", "a deficit of £1", True),
            ("100.50", "100", "a surplus of £0.50", False),
            ("100", "100", "balanced", False),
        ],
    )
    def test_balance_is_income_less_expenditure(self, income_amount, spend, words, deficit):
        result = summarise(
            2006,
            LINES,
            [income("A", "IT", income_amount)],
            [ExpenditureItem("M", "L", D(spend))],
        )
        assert result.balance == D(income_amount) - D(spend)
        assert result.balance_words == words
        assert result.is_deficit is deficit

    def test_empty_year(self):
        result = summarise(2006, LINES, [], [])
        assert result.is_empty
        assert result.balance == 0
        assert result.year_label == "2006/07"


class TestPrintedTotals:
    def test_only_differences_listed_in_table_order_printed_less_computed(self):
        rows = [income("A", "Estates", "10", 1), income("B", "Estates", "5", 2)]
        printed = [
            PrintedFigure(s.INCOME_GRAND, "", D("16")),
            PrintedFigure(s.INCOME_FUNDER, "B", D("6")),
            PrintedFigure(s.INCOME_FUNDER, "A", D("10")),  # agrees: not listed
            PrintedFigure(s.INCOME_SERVICE_LINE, "Estates", D("14")),
            PrintedFigure(s.EXPENDITURE_GRAND, "", D("0")),  # agrees with no lines
        ]
        result = summarise(2006, LINES, rows, [], printed)
        assert [
            (d.scope, d.label, d.printed, d.computed, d.difference)
            for d in result.printed_differences
        ] == [
            (s.INCOME_FUNDER, "B", D(6), D(5), D(1)),
            (s.INCOME_SERVICE_LINE, "Estates", D(14), D(15), D(-1)),
            (s.INCOME_GRAND, "", D(16), D(15), D(1)),
        ]
        assert result.row_for("B").printed_differs
        assert not result.row_for("A").printed_differs
        assert result.column_totals[0].printed_differs
        assert result.income_printed_total == D(16)

    def test_a_printed_row_with_no_lines_differs_from_zero(self):
        printed = [PrintedFigure(s.INCOME_FUNDER, "Ghost PCT", D("7"))]
        (difference,) = summarise(2006, LINES, [], [], printed).printed_differences
        assert (difference.computed, difference.difference) == (D(0), D(7))
        assert difference.description == "Income from Ghost PCT (row total)"

    def test_scopes_are_the_models(self):
        assert {s.INCOME_FUNDER, s.INCOME_SERVICE_LINE, s.INCOME_GRAND, s.EXPENDITURE_GRAND} == set(
            TotalScope.values
        )


class TestContributions:
    def test_year_on_year_with_change(self):
        result = contributions(
            [
                Contribution(2007, "Estates", D("110"), 1, plan_id=2, plan_title="Plan 07"),
                Contribution(2006, "Estates", D("100"), 1, plan_id=1, plan_title="Plan 06"),
                Contribution(2006, "Finance", D("50"), 2, plan_id=1, plan_title="Plan 06"),
            ]
        )
        assert [c.heading for c in result.columns] == ["2006/07", "2007/08"]
        assert [(r.service_line, r.cells) for r in result.rows] == [
            ("Estates", (D(100), D(110))),
            ("Finance", (D(50), None)),
        ]
        assert [c.total for c in result.columns] == [D(150), D(110)]
        assert [c.change for c in result.columns] == [None, D(-40)]
        assert result.columns[1].change_percent == D("-26.7")

    def test_one_year_in_two_plans_gets_two_columns(self):
        result = contributions(
            [
                Contribution(2006, "Estates", D("1"), plan_id=1, plan_title="Business plan"),
                Contribution(2006, "Estates", D("2"), plan_id=2, plan_title="OD plan"),
            ]
        )
        assert [c.heading for c in result.columns] == [
            "2006/07 (Business plan)",
            "2006/07 (OD plan)",
        ]

    def test_empty(self):
        assert contributions([]).is_empty
