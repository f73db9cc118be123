"""Issue 11, item 4: a KPI's targets have effective dates; each measurement is rated against
the target in force for its period; a planner changes the target from a date (never one that
would recolour a reported quarter), version-checked and audited."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from kpis import services
from kpis.models import KPITarget
from kpis.selectors import kpi_page, kpi_status
from kpis.targets import Schedule, Target
from planning.concurrency import StaleEditError
from tests.factories import KPIFactory, KPITargetFactory, MeasurementFactory, PlanFactory

APR, JUL, OCT, JAN = (dt.date(2006, 4, 1), dt.date(2006, 7, 1), dt.date(2006, 10, 1),
                      dt.date(2007, 1, 1))  # fmt: skip


class TestSchedule:
    def test_in_force_on_a_day(self):
        schedule = Schedule.of(
            [Target(OCT, D("85"), None), Target(APR, D("90"), D("5"))]  # any order
        )
        assert schedule.in_force(dt.date(2006, 3, 31)) is None  # before the first: no target
        assert schedule.target_on(APR) == D("90")
        assert schedule.target_on(dt.date(2006, 9, 30)) == D("90")
        assert schedule.target_on(OCT) == D("85")
        assert schedule.in_force(dt.date(2030, 1, 1)).tolerance is None

    def test_targets_on_many_days_at_once(self):
        schedule = Schedule.of([Target(OCT, D("85"), None), Target(APR, D("90"), D("5"))])
        days = [dt.date(2006, 3, 31), APR, dt.date(2006, 9, 30), OCT, JAN]
        assert schedule.targets_on(days) == (None, D("90"), D("90"), D("85"), D("85"))
        assert schedule.targets_on(iter(days)) == tuple(schedule.target_on(d) for d in days)
        assert Schedule().targets_on(days) == (None,) * len(days)


@pytest.mark.django_db
class TestRatedAgainstTheTargetOfItsPeriod:
    def series(self, plan):
        kpi = KPIFactory(plan=plan, unit="%", target=D("90"), tolerance=D("5"))
        for day, value in ((APR, 92), (JUL, 88), (OCT, 86), (JAN, 80)):
            MeasurementFactory(kpi=kpi, period_start=day, value=D(value))
        return kpi

    def test_each_point_against_its_own_target(self, plan):
        kpi = self.series(plan)
        KPITargetFactory(kpi=kpi, effective_from=OCT, target=D("85"), tolerance=D("2"))
        rows = {r.measurement.period_start: r for r in kpi_page(kpi).measurements}
        assert [rows[d].rag for d in (APR, JUL, OCT, JAN)] == ["green", "amber", "green", "red"]
        assert rows[JUL].target_text == "90%" and rows[OCT].target_text == "85%"

    def test_the_status_as_at_a_quarter_uses_that_quarters_target(self, plan):
        kpi = self.series(plan)
        KPITargetFactory(kpi=kpi, effective_from=OCT, target=D("85"), tolerance=D("2"))
        rows = list(kpi.measurements.values_list(
            "pk", "kpi_id", "period_start", "value", "commentary", "starts_new_limits", "synthetic"
        ).order_by("period_start"))  # fmt: skip
        q2 = kpi_status(kpi, rows, as_at=dt.date(2006, 9, 30), previous_as_at=APR)
        q3 = kpi_status(kpi, rows, as_at=dt.date(2006, 12, 31), previous_as_at=q2_end())
        assert (q2.rag, q2.target_text) == ("amber", "90%")
        assert (q3.rag, q3.target_text, q3.previous_rag) == ("green", "85%", "amber")

    def test_the_chart_steps_its_target_line(self, plan):
        kpi = self.series(plan)
        KPITargetFactory(kpi=kpi, effective_from=OCT, target=D("85"))
        chart = kpi_page(kpi).status.chart
        assert chart.targets == (D("90"), D("90"), D("85"), D("85"))
        assert [(a, b, t) for a, b, t in chart.target_runs()] == [(0, 1, D("90")), (2, 3, D("85"))]
        assert chart.target == D("85")  # the latest period's, for the label and assurance

    def test_no_target_before_the_first(self, plan):
        kpi = KPIFactory(plan=plan)
        KPITargetFactory(kpi=kpi, effective_from=OCT, target=D("85"))
        MeasurementFactory(kpi=kpi, period_start=JUL, value=D("99"))
        row = kpi_page(kpi).measurements[0]
        assert (row.rag, row.target_text) == (None, "No target")


def q2_end():
    return dt.date(2006, 9, 30)


@pytest.mark.django_db
class TestChangeTargetService:
    TODAY = dt.date(2006, 11, 15)  # in Q3 2006/07: Q1 and Q2 have been reported

    def change(self, kpi, **overrides):
        data = {
            "kpi": kpi,
            "by": None,
            "expected_version": kpi.version,
            "effective_from": OCT,
            "target": D("85"),
            "tolerance": D("2"),
            "today": self.TODAY,
        }
        return services.kpi_target_change(**(data | overrides))

    def test_applies_from_the_date_and_bumps_the_version(self, plan, planner):
        kpi = KPIFactory(plan=plan, target=D("90"))
        row = self.change(kpi, by=planner, reason="Board, 2 November")
        kpi.refresh_from_db()
        assert kpi.version == 2
        assert (row.effective_from, row.target, row.created_by) == (OCT, D("85"), planner)
        assert row.history.get().history_user == planner  # audited
        assert kpi.history.first().history_user == planner
        assert [t.target for t in kpi.targets.order_by("effective_from")] == [D("90"), D("85")]

    @pytest.mark.parametrize(
        ("effective_from", "message"),
        [
            (dt.date(2006, 3, 31), "did not exist before its plan started on 1 April 2006"),
            (JUL, "Quarters that have ended keep the target"),  # Q2 was reported
        ],
    )
    def test_refused_dates(self, plan, effective_from, message):
        kpi = KPIFactory(plan=plan, target=D("90"))
        today = dt.date(2006, 11, 15) if effective_from == JUL else APR
        with pytest.raises(ValidationError) as error:
            self.change(kpi, effective_from=effective_from, today=today)
        assert message in error.value.message_dict["effective_from"][0]
        assert kpi.targets.count() == 1
        kpi.refresh_from_db()
        assert kpi.version == 1

    def test_a_duplicate_date_is_refused(self, plan):
        kpi = KPIFactory(plan=plan, target=D("90"))
        self.change(kpi)
        kpi.refresh_from_db()
        with pytest.raises(ValidationError, match="already has a target from 1 October 2006"):
            self.change(kpi, target=D("80"))
        assert kpi.targets.get(effective_from=OCT).target == D("85")

    def test_a_stale_version_is_refused(self, plan):
        kpi = KPIFactory(plan=plan, target=D("90"))
        self.change(kpi)  # somebody else, from version 1
        with pytest.raises(StaleEditError):
            self.change(kpi, effective_from=JAN, expected_version=1)
        assert not kpi.targets.filter(effective_from=JAN).exists()

    def test_a_negative_tolerance_is_refused(self, plan):
        kpi = KPIFactory(plan=plan)
        with pytest.raises(ValidationError, match="cannot be negative"):
            self.change(kpi, tolerance=D("-1"))
        assert not KPITarget.objects.exists()


@pytest.mark.django_db
class TestChangeTargetPage:
    def test_planner_changes_the_target(self, client, planner, plan):
        kpi = KPIFactory(plan=plan, unit="%", target=D("90"))
        url = reverse("kpis:target_change", args=[kpi.pk])
        client.force_login(planner)
        with time_machine.travel(dt.datetime(2006, 11, 15, 12), tick=False):
            page = client.get(url).text
            assert 'value="2006-10-01"' in page  # defaults to the first date allowed
            assert "Targets by date" in page and "90%" in page
            response = client.post(
                url,
                {"effective_from": "2006-10-01", "target": "85", "tolerance": "", "version": "1"},
            )
        assert response.status_code == 302 and response["Location"] == kpi.get_absolute_url()
        assert kpi.targets.filter(effective_from=OCT, target=D("85")).exists()

    def test_refused_date_is_shown_next_to_the_field(self, client, planner, plan):
        kpi = KPIFactory(plan=plan, target=D("90"))
        client.force_login(planner)
        with time_machine.travel(dt.datetime(2006, 11, 15, 12), tick=False):
            response = client.post(
                reverse("kpis:target_change", args=[kpi.pk]),
                {"effective_from": "2006-07-01", "target": "85", "version": "1"},
            )
        assert response.status_code == 400
        errors = dict(re.findall(r'<a href="#(id_\w+)">([^<]+)</a>', response.text))
        assert "Quarters that have ended keep the target" in errors["id_effective_from"]
        assert kpi.targets.count() == 1

    def test_a_stale_form_is_refused_with_409(self, client, planner, plan):
        kpi = KPIFactory(plan=plan, target=D("90"))
        KPITargetFactory(kpi=kpi, effective_from=JAN, target=D("70"))
        kpi.version = 2
        kpi.save()
        client.force_login(planner)
        with time_machine.travel(dt.datetime(2006, 11, 15, 12), tick=False):
            response = client.post(
                reverse("kpis:target_change", args=[kpi.pk]),
                {"effective_from": "2006-10-01", "target": "85", "version": "1"},
            )
        assert response.status_code == 409
        assert 'name="version" value="2"' in response.text
        assert not kpi.targets.filter(effective_from=OCT).exists()

    @pytest.mark.parametrize("role", ["viewer", "contributor"])
    def test_only_planners(self, client, request, plan, role):
        kpi = KPIFactory(plan=plan)
        client.force_login(request.getfixturevalue(role))
        assert client.get(reverse("kpis:target_change", args=[kpi.pk])).status_code == 403

    def test_another_organisations_kpi_is_404(self, client, outsider, plan):
        kpi = KPIFactory(plan=plan)
        client.force_login(outsider)
        assert client.get(reverse("kpis:target_change", args=[kpi.pk])).status_code == 404


def build(plan, size):
    """size KPIs, each with two targets and eight quarters of measurements."""
    for i in range(size):
        kpi = KPIFactory(plan=plan, code=f"L{i}", target=D("50"), tolerance=D("5"))
        KPITargetFactory(kpi=kpi, effective_from=OCT, target=D("55"))
        for n in range(8):
            year, month = divmod(3 + 3 * n, 12)
            MeasurementFactory(
                kpi=kpi, period_start=dt.date(2006 + year, month + 1, 1), value=D(45 + n)
            )


@pytest.mark.django_db
class TestQueriesStayConstant:
    """The targets are prefetched: one query for all of them, not one per KPI."""

    def count(self, client, url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    @pytest.mark.parametrize(
        "page", ["kpis:list", "reporting:scorecard", "kpis:detail", "kpis:target_change"]
    )
    def test_two_sizes(self, client, planner, organisation, page, django_assert_max_num_queries):
        small, big = PlanFactory(organisation=organisation), PlanFactory(organisation=organisation)
        build(small, 2)
        build(big, 20)
        client.force_login(planner)

        def url(plan):
            if page in ("kpis:detail", "kpis:target_change"):
                kpi = plan.kpis.get(code="L1")
                for n in range(1 if plan == small else 10):  # more targets on the big one
                    KPITargetFactory(kpi=kpi, effective_from=dt.date(2010 + n, 4, 1))
                return reverse(page, args=[kpi.pk])
            return reverse(page, args=[plan.slug])

        allowed = self.count(client, url(small))
        target = url(big)
        client.get(target)
        with django_assert_max_num_queries(allowed):
            assert client.get(target).status_code == 200
