"""Issue 11, item 3: the scorecard reaches every quarter with data, not only the plan's, and
says which year of the plan a quarter belongs to (or that it is outside the plan's years)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from planning.fy import Quarter
from reporting.scorecard import plan_year_text, scorecard_for, scorecard_quarters
from tests.factories import KPIFactory, MeasurementFactory, PlanFactory, ProgressUpdateFactory


@pytest.fixture
def kpi(plan):
    return KPIFactory(plan=plan, code="L2", unit="%", target=D("90"))


@pytest.mark.django_db
class TestQuarters:
    def test_the_plans_quarters_and_every_quarter_with_data(self, plan, kpi):
        MeasurementFactory(kpi=kpi, period_start=dt.date(2005, 10, 1))  # before the plan
        MeasurementFactory(kpi=kpi, period_start=dt.date(2026, 7, 1))  # long after it
        annual = KPIFactory(plan=plan, code="L4", frequency="annual")
        MeasurementFactory(kpi=annual, period_start=dt.date(2008, 4, 1))  # shows from Q4 08/09
        quarters = scorecard_quarters(plan)
        assert quarters == sorted(quarters)
        assert {Quarter(2006, n) for n in (1, 2, 3, 4)} <= set(quarters)
        assert Quarter(2005, 3) in quarters and Quarter(2026, 2) in quarters
        assert Quarter(2008, 4) in quarters and Quarter(2008, 1) not in quarters
        assert Quarter(2010, 1) not in quarters

    def test_progress_updates_count_as_data(self, plan):
        from tests.factories import ObjectiveFactory

        objective = ObjectiveFactory(plan=plan)
        ProgressUpdateFactory(objective=objective, financial_year=2007, quarter=2)
        assert Quarter(2007, 2) in scorecard_quarters(plan)

    def test_neighbours_skip_quarters_without_data(self, plan, kpi):
        MeasurementFactory(kpi=kpi, period_start=dt.date(2026, 7, 1))
        card = scorecard_for(plan, Quarter(2026, 2))
        assert card.earlier == Quarter(2006, 4) and card.later is None
        assert scorecard_for(plan, Quarter(2006, 4)).later == Quarter(2026, 2)


class TestPlanYear:
    def test_words(self):
        plan = PlanFactory.build(start_year=2018, end_year=2020)
        assert plan_year_text(plan, Quarter(2019, 3)) == "2019/20, year 2 of 3 of the plan"
        assert plan_year_text(plan, Quarter(2021, 1)) == (
            "2021/22, outside the plan's years (2018-21)"
        )


@pytest.mark.django_db
class TestPage:
    def test_a_quarter_outside_the_plan_with_data(self, client, viewer, plan, kpi):
        MeasurementFactory(kpi=kpi, period_start=dt.date(2026, 7, 1), value=D("95"))
        client.force_login(viewer)
        url = reverse("reporting:scorecard", args=[plan.slug])
        response = client.get(url, {"quarter": "2026-Q2"})
        assert response.status_code == 200
        body = response.text
        assert "Financial year 2026/27, outside the plan&#x27;s years (2006/07)." in body
        assert "95%" in body and "Q2 2026/27" in body
        assert "Q2 2026/27, outside the plan</option>" in body
        inside = client.get(url, {"quarter": "2006-Q2"}).text
        assert "Financial year 2006/07, year 1 of 1 of the plan." in inside

    def test_a_quarter_outside_the_plan_without_data_is_404(self, client, viewer, plan, kpi):
        client.force_login(viewer)
        url = reverse("reporting:scorecard", args=[plan.slug])
        assert client.get(url, {"quarter": "2026-Q2"}).status_code == 404

    def test_the_board_pack_refuses_a_quarter_without_data(self, client, viewer, plan, kpi):
        MeasurementFactory(kpi=kpi, period_start=dt.date(2026, 7, 1))
        client.force_login(viewer)
        url = reverse("documents:scorecard_pdf", args=[plan.slug])
        assert client.get(url, {"quarter": "2025-Q2"}).status_code == 400
