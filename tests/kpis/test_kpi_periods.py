"""Issue 11, item 3: the measurement form offers the KPI's periods by the calendar (recent ones
as well as the plan's), newest first, up to the current period and never the future; a future
period or one the frequency does not have is refused with a message, nothing saved."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from kpis import periods, services
from kpis.forms import MeasurementForm, period_choices
from kpis.models import Measurement
from tests.factories import (
    KPIFactory,
    MeasurementFactory,
    PlanFactory,
    reopen_reported_quarters,
)

TODAY = dt.date(2026, 11, 26)  # Q3 2026/07


class TestOffered:
    def test_quarterly_recent_and_plan_years_newest_first_never_future(self):
        days = periods.offered("quarterly", today=TODAY, first_fy=2004, last_fy=2007)
        assert days[0] == dt.date(2026, 10, 1)  # the current quarter, not yet ended
        assert days == sorted(days, reverse=True)
        assert max(days) <= TODAY
        assert dt.date(2025, 4, 1) in days  # last financial year's Q1
        assert dt.date(2025, 1, 1) not in days  # older than last year and outside the plan
        assert dt.date(2006, 7, 1) in days  # the plan's years
        assert dt.date(2027, 1, 1) not in days

    @pytest.mark.parametrize(
        ("frequency", "current"),
        [
            ("monthly", dt.date(2026, 11, 1)),
            ("quarterly", dt.date(2026, 10, 1)),
            ("annual", dt.date(2026, 4, 1)),
        ],
    )
    def test_current_period(self, frequency, current):
        assert periods.current(frequency, TODAY) == current
        assert periods.offered(frequency, today=TODAY, first_fy=2026, last_fy=2028)[0] == current

    def test_check(self):
        periods.check(dt.date(2026, 10, 1), "quarterly", today=TODAY)  # the current quarter
        with pytest.raises(periods.PeriodError, match="has not started yet"):
            periods.check(dt.date(2027, 1, 1), "quarterly", today=TODAY)
        with pytest.raises(periods.PeriodError, match="does not begin a quarter"):
            periods.check(dt.date(2026, 5, 1), "quarterly", today=TODAY)
        with pytest.raises(periods.PeriodError, match="does not begin a financial year"):
            periods.check(dt.date(2026, 7, 1), "annual", today=TODAY)


@pytest.mark.django_db
class TestForm:
    def test_defaults_to_this_quarter_for_an_old_plan(self):
        kpi = KPIFactory(plan=PlanFactory(start_year=2006, end_year=2006))
        form = MeasurementForm(kpi=kpi, today=TODAY)
        choices = form.fields["period"].choices
        assert choices[0] == ("2026-Q3", "Q3 2026/27")
        # Locked quarters (planning.reporting_window) are offered only once reopened.
        assert ("2006-Q2", "Q2 2006/07") not in choices
        reopen_reported_quarters(kpi.plan)
        choices = MeasurementForm(kpi=kpi, today=TODAY).fields["period"].choices
        assert choices[0] == ("2026-Q3", "Q3 2026/27")
        assert ("2006-Q2", "Q2 2006/07") in choices

    def test_defaults_to_the_latest_unreported(self):
        kpi = KPIFactory(plan=PlanFactory(start_year=2025, end_year=2027), frequency="monthly")
        choices = period_choices(kpi, TODAY, taken={dt.date(2026, 11, 1)})
        assert choices[0] == ("2026-10", "Oct 2026")
        assert all(key not in ("2026-12", "2027-01") for key, _ in choices)
        # September is in Q2 2026/27, locked since its deadline in October.
        assert all(key != "2026-09" for key, _ in choices)

    @pytest.mark.parametrize(
        ("period", "message"),
        [
            ("2026-Q4", "Q4 2026/27 has not started yet"),
            ("2026-05", "is a month but the KPI is measured quarterly"),
            ("2026-Q7", "is not a month"),
        ],
    )
    def test_bad_periods_are_refused_with_a_reason(self, period, message):
        kpi = KPIFactory(plan=PlanFactory(start_year=2026, end_year=2026))
        form = MeasurementForm({"period": period, "value": "5"}, kpi=kpi, today=TODAY)
        assert not form.is_valid()
        assert message in form.errors["period"][0]


@pytest.mark.django_db
class TestService:
    def test_future_period_refused_nothing_saved(self):
        kpi = KPIFactory(plan=PlanFactory(start_year=2026, end_year=2026))
        with time_machine.travel(TODAY, tick=False), pytest.raises(ValidationError) as error:
            services.measurement_create(
                kpi=kpi, by=None, period_start=dt.date(2027, 1, 1), value=D("3")
            )
        assert "has not started yet" in str(error.value)
        assert not Measurement.objects.exists()

    def test_a_month_start_is_not_a_quarter(self):
        kpi = KPIFactory(plan=PlanFactory(start_year=2026, end_year=2026))
        with pytest.raises(ValidationError, match="does not begin a quarter"):
            services.measurement_create(
                kpi=kpi, by=None, period_start=dt.date(2026, 5, 1), value=D("3")
            )
        assert not Measurement.objects.exists()


@pytest.mark.django_db
class TestEntryPage:
    def test_this_quarters_value_can_be_entered(self, client, contributor, plan):
        kpi = KPIFactory(plan=plan, unit="%")
        MeasurementFactory(kpi=kpi, period_start=dt.date(2006, 4, 1))
        client.force_login(contributor)
        url = reverse("kpis:measurement_create", args=[kpi.pk])
        with time_machine.travel(TODAY, tick=False):
            page = client.get(url).text
            selected = re.search(r'<option value="([^"]+)"[^>]*selected', page)
            first = re.search(r'<option value="([^"]+)"', page)
            assert (selected or first)[1] == "2026-Q3"
            response = client.post(url, {"period": "2026-Q3", "value": "71"})
        assert response.status_code == 302
        assert kpi.measurements.filter(period_start=dt.date(2026, 10, 1)).exists()

    def test_a_future_quarter_is_refused_on_the_page(self, client, contributor, plan):
        kpi = KPIFactory(plan=plan)
        client.force_login(contributor)
        url = reverse("kpis:measurement_create", args=[kpi.pk])
        with time_machine.travel(TODAY, tick=False):
            response = client.post(url, {"period": "2027-Q1", "value": "71"})
        assert response.status_code == 400
        assert "<title>Error: " in response.text
        assert "has not started yet" in response.text
        assert not Measurement.objects.exists()
