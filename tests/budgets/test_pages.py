"""The monitoring page on the demo, and every budget page in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import IncomeLine, MonthlyActual, SavingsScheme, SavingsTarget
from budgets.selectors import monitoring_for
from tests.budgets.conftest import Budget
from tests.budgets.helpers import page_text
from tests.factories import ObjectiveFactory

D = Decimal


def croydon_line(plan, service_line):
    return IncomeLine.objects.get(
        plan=plan, funder_label="Croydon PCT", service_line__name=service_line
    )


@pytest.mark.django_db
class TestMonitoringOfTheDemo:
    @pytest.fixture
    def actuals(self, ssp_plan):
        line = croydon_line(ssp_plan, "Management Services")  # £203,500 a year
        for month, amount in [(4, 16000), (5, 17000)]:
            MonthlyActual.objects.create(
                income_line=line, month=dt.date(2006, month, 1), amount=D(amount)
            )
        return line

    def test_selector_defaults_to_the_latest_month_with_actuals(self, ssp_plan, actuals):
        report = monitoring_for(ssp_plan, 2006)
        assert report.month == dt.date(2006, 5, 1)
        croydon = next(g for g in report.income_groups if g.label == "Croydon PCT")
        management = croydon.lines[1]
        assert management.label == "Management Services"
        assert management.budget_to_date == D("33916.67")
        assert management.actual_to_date == D(33000)
        assert management.variance == D("-916.67")
        assert management.variance_percent == D("-2.7")
        assert management.rag == "amber"
        assert report.expenditure_total.annual_budget == D(13643321)
        assert report.income_total.annual_budget == D(13643320)

    def test_page(self, client, ssp_plan, actuals, ssp_viewer):
        client.force_login(ssp_viewer)
        url = reverse("budgets:monitoring", args=[ssp_plan.slug, 2006])
        text = page_text(client.get(url))
        assert "Position at the end of May 2006" in text
        assert "£916.67 adverse" in text and "2.7% adverse" in text
        assert "nhsuk-tag--orange" in text  # Amber, and the tag says "Amber"
        # Croydon's Facilities Services budget is £0: no percentage, no crash.
        assert re.search(r"Facilities Services</th>(\s*<td[^>]*>[^<]*</td>){5}\s*<td[^>]*>—<", text)
        # A viewer gets no links to change anything.
        assert "Enter actuals for" not in text
        # The month switcher keeps the month in the URL.
        september = page_text(client.get(url + "?month=2006-09"))
        assert "Position at the end of September 2006" in september
        assert 'value="2006-09" selected' in september

    def test_contributor_reads_the_monitoring(self, client, ssp_plan, actuals):
        from tests.budgets.conftest import member_of

        client.force_login(member_of(ssp_plan.organisation, "contributor"))
        url = reverse("budgets:monitoring", args=[ssp_plan.slug, 2006])
        assert client.get(url).status_code == 200

    def test_planner_enters_actuals_from_the_page(self, client, ssp_plan, actuals, ssp_planner):
        client.force_login(ssp_planner)
        url = reverse("budgets:monitoring", args=[ssp_plan.slug, 2006])
        text = page_text(client.get(url))
        assert reverse("budgets:actuals", args=[ssp_plan.slug, 2006, "2006-05"]) in text
        form = page_text(
            client.get(reverse("budgets:actuals", args=[ssp_plan.slug, 2006, "2006-05"]))
        )
        assert "Actual for Croydon PCT, Management Services, in pounds (optional)" in form
        assert "Budget for the month: £16,958.33" in form
        assert 'value="17000"' in form


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def grow(plan, budget, factor):
    """Add lines (and their actuals and schemes) until there are `factor` times as many."""
    budget.add(len(budget.partners) * (factor - 1))
    lines = list(IncomeLine.objects.filter(plan=plan, actuals__isnull=True))
    MonthlyActual.objects.bulk_create(
        MonthlyActual(
            income_line=line, month=dt.date(2006, m, 1), amount=D(10), financial_year=2006
        )
        for line in lines
        for m in (4, 5, 6)
    )
    for n in range(SavingsScheme.objects.filter(plan=plan).count(), 2 * factor):
        scheme = SavingsScheme.objects.create(plan=plan, title=f"Scheme {n}", order=n)
        SavingsTarget.objects.create(scheme=scheme, financial_year=2006, amount=D(100))
        scheme.objectives.add(ObjectiveFactory(plan=plan))


@pytest.mark.django_db
def test_every_budget_page_runs_a_fixed_number_of_queries(client, plan, planner):
    budget = Budget(plan, partners=2)
    grow(plan, budget, 1)
    urls = [
        reverse("budgets:index"),
        reverse("budgets:summary", args=[plan.slug, 2006]),
        reverse("budgets:monitoring", args=[plan.slug, 2006]),
        reverse("budgets:monitoring", args=[plan.slug, 2006]) + "?month=2006-05",
        reverse("budgets:savings", args=[plan.slug]),
        reverse("budgets:partner", args=[plan.organisation.slug])
        + f"?partner={budget.partners[0].slug}",
        reverse("budgets:income_edit", args=[plan.slug, 2006]),
        reverse("budgets:expenditure_edit", args=[plan.slug, 2006]),
        reverse("budgets:actuals", args=[plan.slug, 2006, "2006-05"]),
        reverse("budgets:import_template", args=[plan.slug, 2006, "actuals"]),
        reverse("budgets:service_lines", args=[plan.slug]),
    ]
    client.force_login(planner)
    small = {url: count_queries(client, url) for url in urls}
    grow(plan, budget, 10)
    assert IncomeLine.objects.filter(plan=plan).count() == 40
    large = {url: count_queries(client, url) for url in urls}
    assert large == small
