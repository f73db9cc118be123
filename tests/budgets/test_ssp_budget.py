"""SSP 2006/07 (Appendix 3) through budget_summary_for and the budget page, figure by figure.

The figures below are read from the source document by hand, as tests/demo/test_ssp.py
reads them: the lines as printed, the computed totals, and where the printed totals differ.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets import summary as s
from budgets.selectors import budget_summary_for

D = Decimal

SERVICE_LINES = (
    "Membership Fee / O'heads",
    "Management Services",
    "Shared Services",
    "Estates Services",
    "Facilities Services",
)
# Funder as printed: one cell per service line (None: no line), computed row total.
INCOME = [
    ("Wandsworth PCT", [101000, 1329709, 953541, 2372555, 475566], 5232371),
    ("Sutton & Merton PCT", [98653, 770536, 1318974, 1555099, 2082494], 5825756),
    ("Richmond & Tw PCT", [28510, 219152, 83145, 498871, 930352], 1760030),
    ("Kingston PCT", [9234, 187807, 59184, 0, 0], 256225),
    ("Croydon PCT", [9234, 203500, 12000, 17230, 0], 241964),
    ("SW London Strat HA", [1121, 2763, 16254, 0, 0], 20138),
    ("St Georges NHS T", [None, 60300, 24000, None, None], 84300),
    ("Others", [None, 102536, 120000, None, None], 222536),
]
COLUMN_TOTALS = [247752, 2876303, 2587098, 4443755, 3488412]
EXPENDITURE = [
    (
        "Chief Operating Officer",
        [("Chief Operating Officer (including Premises costs and Host Body costs)", 1213905)],
        1213905,
    ),
    ("Head of Operations", [("Head of Operations", 487866)], 487866),
    (
        "Head of Services",
        [
            ("Head of Services", 124823),
            ("Major Projects", 722422),
            ("Contract Management", 133250),
            ("Primary Care Development", 92927),
            ("Supplies", 350557),
            ("Facilities - Management", 660688),
            ("Transport", 438376),
            ("Facilities- Premises", 3072760),
            ("Estates - Management & Staff", 1635850),
            ("Estates - Premises", 4709897),
        ],
        11941550,
    ),
]
# (scope, label, printed, computed): every printed total that is not what its lines add to.
DIFFERENCES = [
    (s.INCOME_FUNDER, "Wandsworth PCT", 5232372, 5232371),
    (s.INCOME_FUNDER, "Richmond & Tw PCT", 1760031, 1760030),
    (s.INCOME_SERVICE_LINE, "Estates Services", 4443756, 4443755),
    (s.INCOME_GRAND, "", 13643321, 13643320),
]


def cells(values):
    return tuple(None if v is None else D(v) for v in values)


@pytest.fixture
def ssp_summary(ssp_plan):
    return budget_summary_for(ssp_plan, 2006)


@pytest.mark.django_db
class TestSummaryOfTheDemo:
    def test_service_lines_are_the_columns(self, ssp_summary):
        assert ssp_summary.service_lines == SERVICE_LINES

    def test_every_income_line_as_printed_and_row_totals_computed(self, ssp_summary):
        assert [(r.funder_label, r.cells, r.total) for r in ssp_summary.income_rows] == [
            (label, cells(values), D(total)) for label, values, total in INCOME
        ]

    def test_column_and_grand_totals_computed(self, ssp_summary):
        assert [c.total for c in ssp_summary.column_totals] == [D(t) for t in COLUMN_TOTALS]
        assert ssp_summary.income_total == D(13643320)
        assert ssp_summary.expenditure_total == D(13643321)

    def test_expenditure_by_manager_with_subtotals(self, ssp_summary):
        assert [
            (g.manager, [(line.description, line.amount) for line in g.lines], g.subtotal)
            for g in ssp_summary.expenditure_groups
        ] == [
            (manager, [(d, D(a)) for d, a in lines], D(subtotal))
            for manager, lines, subtotal in EXPENDITURE
        ]

    def test_the_one_pound_deficit_is_shown(self, ssp_summary):
        assert ssp_summary.balance == D(-1)
        assert ssp_summary.is_deficit
        assert ssp_summary.balance_words == "a deficit of £1"

    def test_printed_totals_that_differ(self, ssp_summary):
        assert [
            (d.scope, d.label, d.printed, d.computed, d.difference)
            for d in ssp_summary.printed_differences
        ] == [(sc, label, D(p), D(c), D(p - c)) for sc, label, p, c in DIFFERENCES]
        # The printed expenditure total agrees with its lines, so it is not listed.
        assert ssp_summary.expenditure_printed_total == ssp_summary.expenditure_total

    def test_funders_are_organisations_except_others(self, ssp_summary):
        linked = {r.funder_label: r.funder_id is not None for r in ssp_summary.income_rows}
        assert linked.pop("Others") is False
        assert all(linked.values())

    def test_four_queries(self, ssp_plan):
        with CaptureQueriesContext(connection) as ctx:
            budget_summary_for(ssp_plan, 2006)
        assert len(ctx.captured_queries) == 4

    def test_a_year_with_no_lines_is_empty(self, ssp_plan):
        empty = budget_summary_for(ssp_plan, 2007)
        assert empty.is_empty and empty.service_lines == SERVICE_LINES


@pytest.mark.django_db
class TestSummaryPage:
    def test_page_shows_the_figures_the_deficit_and_the_printed_differences(
        self, client, ssp_plan, ssp_viewer
    ):
        client.force_login(ssp_viewer)
        response = client.get(reverse("budgets:summary", args=[ssp_plan.slug, 2006]))
        assert response.status_code == 200
        text = response.text
        for figure in ["£1,329,709", "£2,082,494", "£4,709,897", "£11,941,550"]:
            assert figure in text
        assert "£13,643,320" in text and "£13,643,321" in text
        assert "\u2212£1" in text  # income less expenditure
        assert "a deficit of £1" in text
        assert "printed £5,232,372" in text and "printed £1,760,031" in text
        assert "printed £4,443,756" in text and "printed £13,643,321" in text
        assert "Income from Wandsworth PCT (row total)" in text
        # Right-aligned money cells, tables captioned, headers scoped; no inline styles.
        assert 'class="nhsuk-table__cell nhsuk-table__cell--numeric app-money"' in text
        assert "<caption" in text and 'scope="row"' in text and 'scope="col"' in text
        assert "style=" not in text
        assert "budgets/budgets.css" in text
        # A viewer is not offered the edit links.
        assert reverse("budgets:income_edit", args=[ssp_plan.slug, 2006]) not in text

    def test_the_include_renders_on_its_own(self, ssp_summary):
        from django.template.loader import render_to_string

        html = render_to_string(
            "budgets/_summary_tables.html",
            {"summary": ssp_summary, "heading_level": 3, "id_prefix": "appendix-3"},
        )
        assert '<h3 id="appendix-3-income-heading">' in html
        assert "£241,964" in html and "a deficit of £1" in html
