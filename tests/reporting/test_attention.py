"""The plan page's "needs attention" panel for planners: items with no update and KPIs with no
value for the quarter being reported; a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from planning.fy import Quarter
from reporting.attention import needs_attention, reporting_quarter
from tests.factories import (
    KPIFactory,
    MeasurementFactory,
    ObjectiveFactory,
    PlanFactory,
    ProgressUpdateFactory,
)

TODAY = dt.date(2006, 11, 15)  # Q3 2006/07


@pytest.mark.django_db
class TestNeedsAttention:
    def test_items_without_this_quarters_update(self, plan):
        waiting = ObjectiveFactory(plan=plan, text="Waiting")
        reported = ObjectiveFactory(plan=plan)
        ProgressUpdateFactory(objective=reported, quarter=3)
        old = ObjectiveFactory(plan=plan, text="Reported last quarter")
        ProgressUpdateFactory(objective=old, quarter=2)
        ObjectiveFactory(plan=plan, status="completed_ongoing")  # closed: owes nothing
        ObjectiveFactory(plan=plan, status="cancelled")
        attention = needs_attention(plan, TODAY)
        assert attention.quarter == Quarter(2006, 3)
        assert attention.not_updated == [waiting, old]

    def test_kpis_without_this_quarters_value(self, plan):
        quarterly = KPIFactory(plan=plan, code="Q1", frequency="quarterly")
        monthly = KPIFactory(plan=plan, code="M1", frequency="monthly")
        annual = KPIFactory(plan=plan, code="A1", frequency="annual")
        missing = KPIFactory(plan=plan, code="Z9", frequency="quarterly")
        MeasurementFactory(kpi=quarterly, period_start=dt.date(2006, 10, 1))
        MeasurementFactory(kpi=monthly, period_start=dt.date(2006, 11, 1))
        MeasurementFactory(kpi=annual, period_start=dt.date(2006, 4, 1))
        MeasurementFactory(kpi=missing, period_start=dt.date(2006, 7, 1))  # last quarter's
        assert needs_attention(plan, TODAY).kpis_without_value == [missing]

    def test_the_quarter_of_an_ended_plan_is_its_last(self, organisation):
        plan = PlanFactory(organisation=organisation, start_year=2006, end_year=2006)
        assert reporting_quarter(plan, dt.date(2026, 11, 26)) == Quarter(2006, 4)
        assert reporting_quarter(plan, dt.date(2005, 1, 1)) is None


@pytest.mark.django_db
class TestPanelOnThePlanPage:
    def test_planner_sees_it_viewer_does_not(self, client, planner, viewer, plan):
        ObjectiveFactory(plan=plan, text="Nobody reported")
        client.force_login(planner)
        page = client.get(plan.get_absolute_url()).text
        assert "Needs attention in" in page
        client.force_login(viewer)
        assert "Needs attention in" not in client.get(plan.get_absolute_url()).text

    def test_constant_queries(self, client, planner, plan):
        def count():
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(plan.get_absolute_url()).status_code == 200
            return len(ctx.captured_queries)

        client.force_login(planner)
        ObjectiveFactory.create_batch(3, plan=plan)
        KPIFactory.create_batch(2, plan=plan)
        small = count()
        ObjectiveFactory.create_batch(40, plan=plan)
        KPIFactory.create_batch(20, plan=plan)
        assert count() == small
