"""The budget feeds a finance section on the quarterly scorecard and its board pack."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import ExpenditureLine, IncomeLine, MonthlyActual
from budgets.selectors import scorecard_finance
from planning.fy import Quarter
from planning.models import Plan


@pytest.fixture
def ssp(db):
    from demo import ssp

    plan, _ = ssp.load()
    return plan


@pytest.mark.django_db
class TestScorecardFinance:
    def test_budget_without_actuals_says_so(self, ssp):
        finance = scorecard_finance(ssp, Quarter(2006, 2))
        assert finance.summary.income_total == Decimal("13643320")
        assert finance.summary.expenditure_total == Decimal("13643321")
        assert finance.monitoring is None

    def test_no_budget_for_the_year_means_no_section(self, ssp):
        assert scorecard_finance(ssp, Quarter(2007, 1)) is None

    def test_monitoring_at_the_quarter_end(self, ssp):
        income = IncomeLine.objects.get(
            plan=ssp, funder_label="Kingston PCT", service_line__name="Management Services"
        )
        spend = ExpenditureLine.objects.get(plan=ssp, description="Transport")
        MonthlyActual.objects.create(
            income_line=income,
            financial_year=2006,
            month=dt.date(2006, 4, 1),
            amount=Decimal("15000"),
        )
        MonthlyActual.objects.create(
            expenditure_line=spend,
            financial_year=2006,
            month=dt.date(2006, 5, 1),
            amount=Decimal("40000"),
        )
        finance = scorecard_finance(ssp, Quarter(2006, 1))
        assert finance.month == dt.date(2006, 6, 1)
        m = finance.monitoring
        assert m.income_total.actual_to_date == Decimal("15000")
        assert m.expenditure_total.actual_to_date == Decimal("40000")
        # Three months of each line's evenly phased budget.
        from budgets import monitoring

        expected = sum(
            monitoring.budget_to_date(line.amount, 3)
            for line in IncomeLine.objects.filter(plan=ssp, financial_year=2006)
        )
        assert m.income_total.budget_to_date == expected
        assert Decimal("3410000") < expected < Decimal("3411000")  # a quarter of £13.6m

    def test_scorecard_page_shows_it_in_fixed_queries(self, client, ssp):
        from tests.factories import MembershipFactory

        board = MembershipFactory(organisation=ssp.organisation, role="viewer").user
        client.force_login(board)
        url = reverse("reporting:scorecard", args=[ssp.slug]) + "?quarter=2006-Q2"
        response = client.get(url)
        assert response.status_code == 200
        assert "Finance" in response.text
        assert "a deficit of £1" in response.text
        # Both as the first reader after a change (planning.page_cache keeps the page until one).
        for cache in caches.all():
            cache.clear()
        with CaptureQueriesContext(connection) as before:
            client.get(url)
        spend = ExpenditureLine.objects.filter(plan=ssp)
        for line in spend:
            for month in (4, 5, 6):
                MonthlyActual.objects.create(
                    expenditure_line=line,
                    financial_year=2006,
                    month=dt.date(2006, month, 1),
                    amount=Decimal("1000"),
                )
        for cache in caches.all():
            cache.clear()
        with CaptureQueriesContext(connection) as after:
            response = client.get(url)
        assert "Year to date at the end of September 2006" in response.text
        assert len(after.captured_queries) == len(before.captured_queries)

    def test_board_pack_has_the_finance_section(self, ssp):
        from reporting.documents.assemble import context_for
        from reporting.documents.spec import DocumentSpec, Kind

        plan = Plan.objects.get(pk=ssp.pk)
        spec = DocumentSpec(kind=Kind.SCORECARD, plan_id=plan.pk, quarter="2006-Q2")
        template, context = context_for(spec)
        assert context["finance"].summary.balance == Decimal("-1")
