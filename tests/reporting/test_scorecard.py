"""The scorecard structure (reporting.scorecard.scorecard_for): as at a quarter's end, grouped by
perspective, objectives rolled up, exceptions, changes, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kpis.selectors import kpi_list, kpi_page
from planning.fy import Quarter
from reporting.scorecard import data_periods, default_quarter, scorecard_for, scorecard_quarters
from tests.factories import (
    KPIFactory,
    MeasurementFactory,
    ObjectiveFactory,
    OrgUnitFactory,
    ProgrammeFactory,
    ProgressUpdateFactory,
    StrategicPriorityFactory,
)

Q1, Q2, Q3, Q4 = (Quarter(2006, n) for n in (1, 2, 3, 4))


def measure(kpi, values, *, start=Q1, frequency_months=3):
    day = start.start
    for value in values:
        MeasurementFactory(kpi=kpi, period_start=day, value=D(str(value)))
        month = day.month - 1 + frequency_months
        day = dt.date(day.year + month // 12, month % 12 + 1, 1)


def update(objective, quarter, rag, narrative="", **kwargs):
    return ProgressUpdateFactory(
        objective=objective,
        financial_year=quarter.year,
        quarter=quarter.number,
        rag=rag,
        status="completed" if rag == "blue" else "in_progress",
        percent_complete=100 if rag == "blue" else 50,
        narrative=narrative,
        **kwargs,
    )


@pytest.mark.django_db
class TestKPIs:
    def test_grouped_by_perspective_in_scorecard_order(self, plan):
        for code in ["L10", "L2", "F3", "P1", "C5"]:
            KPIFactory(plan=plan, code=code, perspective=code[0])
        card = scorecard_for(plan, Q2)
        assert [g.label for g in card.perspectives] == [
            "Financial",
            "Customer / partner",
            "Internal process",
            "Learning and growth",
        ]
        assert [[s.kpi.code for s in g.kpis] for g in card.perspectives] == [
            ["F3"],
            ["C5"],
            ["P1"],
            ["L2", "L10"],
        ]

    def test_latest_value_is_as_at_the_quarter_end(self, plan):
        monthly = KPIFactory(plan=plan, code="P1", perspective="P", frequency="monthly")
        measure(monthly, [4.1, 4.2, 4.3, 4.4, 4.5, 4.6, 4.7, 4.8, 4.9], frequency_months=1)
        annual = KPIFactory(plan=plan, code="L4", frequency="annual")
        MeasurementFactory(kpi=annual, period_start=dt.date(2006, 4, 1), value=D("3.5"))
        statuses = {s.kpi.code: s for s in scorecard_for(plan, Q2).kpis}
        assert statuses["P1"].latest.label == "Sep 2006"
        assert statuses["P1"].latest.value == D("4.6")
        assert len(statuses["P1"].points) == 6
        # The year 2006/07 ends with Q4: not yet reported at the end of Q2.
        assert statuses["L4"].latest is None
        assert scorecard_for(plan, Q4).kpis[-1].latest.value == D("3.5")

    def test_rag_variation_summary_and_changes(self, plan):
        kpi = KPIFactory(
            plan=plan, code="L2", unit="%", target=D("90"), tolerance=D("10"), polarity="higher"
        )
        measure(kpi, [70, 95])  # Q1 Red, Q2 Green
        card = scorecard_for(plan, Q2)
        status = card.kpis[0]
        assert (status.previous_rag, status.rag) == ("red", "green")
        assert status.latest_text == "95%" and status.target_text == "90%"
        assert status.summary.startswith("Latest 95% in Q2 2006/07; common cause variation")
        assert [(c.kind, c.what, c.before, c.after) for c in card.changes] == [
            ("KPI", "RAG", "red", "green")
        ]
        assert card.exceptions == []
        red = scorecard_for(plan, Q1)
        assert [(e.kind, e.reference, e.rag) for e in red.exceptions] == [("KPI", "L2", "red")]

    def test_rebase_flags_split_the_limits(self, plan):
        kpi = KPIFactory(plan=plan, code="C5", perspective="C")
        measure(kpi, [10, 11, 10, 30, 31, 30], start=Quarter(2005, 1))
        from kpis.models import Measurement

        Measurement.objects.filter(kpi=kpi, period_start=dt.date(2006, 1, 1)).update(
            starts_new_limits=True
        )
        status = kpi_page(kpi).status
        assert len(status.spc.groups) == 2
        assert status.spc.groups[1].start == 3


@pytest.mark.django_db
class TestObjectives:
    def test_rag_as_at_each_quarter_from_the_update_history(self, plan):
        objective = ObjectiveFactory(plan=plan, reference="1.1")
        update(objective, Q1, "red", "Behind: no budget")
        update(objective, Q2, "green", "Budget agreed")
        update(objective, Q1, "amber", "Late correction for Q1")  # recorded last, for Q1
        as_at = {q: scorecard_for(plan, q).objectives[0] for q in (Q1, Q2, Q3)}
        assert (as_at[Q1].rag, as_at[Q1].narrative) == ("amber", "Late correction for Q1")
        assert (as_at[Q2].rag, as_at[Q2].previous_rag) == ("green", "amber")
        assert (as_at[Q3].rag, as_at[Q3].reported) == ("green", Q2)
        q2 = scorecard_for(plan, Q2)
        assert [(c.kind, c.before, c.after) for c in q2.changes] == [
            ("Objective", "amber", "green")
        ]
        q1 = scorecard_for(plan, Q1)
        assert [(e.kind, e.reference, e.rag, e.narrative, e.period) for e in q1.exceptions] == [
            ("Objective", "1.1", "amber", "Late correction for Q1", "Q1 2006/07")
        ]
        assert scorecard_for(plan, Quarter(2005, 4)).objectives[0].rag == ""

    def test_rollups_by_priority_and_department(self, plan, organisation):
        sp1 = StrategicPriorityFactory(plan=plan, number=1, title="Best value")
        StrategicPriorityFactory(plan=plan, number=2, title="Partnership")
        estates = OrgUnitFactory(organisation=organisation, name="Estates", order=1)
        programme = ProgrammeFactory(plan=plan, number=3, title="Leadership")
        a = ObjectiveFactory(plan=plan, strategic_priority=sp1, org_unit=estates)
        b = ObjectiveFactory(plan=plan, strategic_priority=sp1, org_unit=estates)
        c = ObjectiveFactory(plan=plan, programme=programme)
        ObjectiveFactory(plan=plan)
        update(a, Q1, "red", "Stuck")
        update(b, Q1, "green")
        update(c, Q1, "blue")
        card = scorecard_for(plan, Q1)

        def row(rollup):
            return rollup.label, {c.rag: (c.count, c.share) for c in rollup.counts}, rollup.total

        priorities = [row(r) for r in card.by_priority]
        assert priorities[0] == (
            "SP1: Best value",
            {"red": (1, 50), "amber": (0, 0), "green": (1, 50), "blue": (0, 0), "": (0, 0)},
            2,
        )
        assert priorities[1][0] == "SP2: Partnership" and priorities[1][2] == 0
        assert priorities[2][0] == "Not linked to a strategic priority"
        assert priorities[2][1]["blue"] == (1, 50) and priorities[2][1][""] == (1, 50)
        assert [r.label for r in card.by_department] == [
            "Estates",
            "3. Leadership",
            "No department or programme",
        ]
        assert card.objective_totals.total == 4
        assert [(e.reference, e.narrative) for e in card.exceptions] == [(a.reference, "Stuck")]


@pytest.mark.django_db
class TestDefaultQuarter:
    def test_latest_quarter_with_data_within_the_plan(self, plan):
        today = dt.date(2026, 1, 1)
        assert default_quarter(plan, today) == Q4  # no data, plan over: its last quarter
        kpi = KPIFactory(plan=plan)
        measure(kpi, [1, 2], start=Q1)
        assert default_quarter(plan, today) == Q2
        MeasurementFactory(kpi=kpi, period_start=dt.date(2007, 7, 1))  # after the plan
        assert default_quarter(plan, today) == Q2
        update(ObjectiveFactory(plan=plan), Q3, "green")
        assert default_quarter(plan, today) == Q3

    def test_current_quarter_caps_it(self, plan):
        assert default_quarter(plan, dt.date(2006, 8, 15)) == Q2
        assert default_quarter(plan, dt.date(2005, 1, 1)) == Q1


def build(plan, organisation, size):
    """size KPIs (of all four perspectives) with 8 quarters each, and 5 × size objectives
    in size departments and priorities, each with two updates."""
    for i in range(size):
        unit = OrgUnitFactory(organisation=organisation)
        priority = StrategicPriorityFactory(plan=plan)
        kpi = KPIFactory(
            plan=plan, code=f"{'FCPL'[i % 4]}{i}", perspective="FCPL"[i % 4], target=D("50")
        )
        measure(kpi, [40 + (i + n) % 20 for n in range(8)], start=Quarter(2005, 3))
        for _ in range(5):
            objective = ObjectiveFactory(plan=plan, org_unit=unit, strategic_priority=priority)
            update(objective, Q1, "amber", "Slipping")
            update(objective, Q2, "red" if i % 2 else "green", "Now")


@pytest.mark.django_db
class TestFixedQueries:
    def test_scorecard_for_runs_five_queries(self, plan, organisation):
        build(plan, organisation, 3)
        quarters = scorecard_quarters(plan)
        with CaptureQueriesContext(connection) as ctx:
            card = scorecard_for(plan, Q2, quarters=quarters)
        assert len(ctx.captured_queries) == 5  # KPIs, their targets, measurements, objectives…
        assert len(card.kpis) == 3 and len(card.objectives) == 15

    def test_the_page_runs_the_same_queries_for_a_plan_ten_times_larger(
        self, client, viewer, plan, organisation, other_organisation
    ):
        from tests.factories import PlanFactory

        big_plan = PlanFactory(organisation=organisation)
        build(plan, organisation, 2)
        build(big_plan, organisation, 20)
        client.force_login(viewer)
        counts = []
        for p in (plan, big_plan):
            for params in ({}, {"quarter": "2006-Q2"}):
                url = reverse("reporting:scorecard", args=[p.slug])
                client.get(url, params)  # warm the session
                with CaptureQueriesContext(connection) as ctx:
                    response = client.get(url, params)
                assert response.status_code == 200
                counts.append(len(ctx.captured_queries))
        assert counts[0] == counts[2] and counts[1] == counts[3]
        # The default quarter is worked out from the quarters the switcher reads anyway
        # (reporting.scorecard.data_periods): no query of its own.
        assert counts[0] == counts[1]

    def test_the_default_quarter_reads_the_periods_once(self, plan, organisation):
        build(plan, organisation, 3)
        with CaptureQueriesContext(connection) as ctx:
            data = data_periods(plan)
            quarters = scorecard_quarters(plan, data=data)
            quarter = default_quarter(plan, data=data)
        assert len(ctx.captured_queries) == 2  # measured periods, updated quarters
        # The same answers as each reading the periods on its own.
        assert quarters == scorecard_quarters(plan)
        assert quarter == default_quarter(plan)

    def test_kpi_list_and_page_queries_are_fixed(self, plan, organisation):
        build(plan, organisation, 4)
        with CaptureQueriesContext(connection) as ctx:
            kpi_list(plan)
        assert len(ctx.captured_queries) == 3  # KPIs, their targets, measurements
