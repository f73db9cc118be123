"""The period lock on KPI values (planning.reporting_window): a value belongs to the quarter
its period ends in; once that quarter is locked nobody enters, corrects, withdraws or imports a
value for it until a planner reopens it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from kpis import imports, services
from kpis.models import Measurement
from planning import reporting_window as window
from planning.fy import Quarter
from tests.factories import KPIFactory, MeasurementFactory, PlanFactory

Q2 = Quarter(2026, 2)  # July to September 2026
DEADLINE = window.deadline(Q2)
AFTER = DEADLINE + dt.timedelta(days=1)


@pytest.fixture
def kpi(organisation):
    plan = PlanFactory(organisation=organisation, start_year=2026, end_year=2026)
    return KPIFactory(plan=plan, code="L2", frequency="quarterly")


def enter(kpi, by, period_start=Q2.start, value="10"):
    return services.measurement_create(
        kpi=kpi, by=by, period_start=period_start, value=Decimal(value)
    )


def import_rows(kpi, by, *rows, today):
    table = imports.read_file(
        "m.csv",
        ("kpi code,period,value\n" + "".join(f"{r}\n" for r in rows)).encode(),
    )
    return imports.import_measurements(kpi.plan, table, by=by, today=today)


@pytest.mark.django_db
class TestEntering:
    def test_the_deadline_day_is_open(self, kpi, contributor):
        with time_machine.travel(DEADLINE, tick=False):
            assert enter(kpi, contributor).value == Decimal("10")

    @pytest.mark.parametrize("who", ["contributor", "planner"])
    def test_after_the_deadline_nobody_enters_a_value(self, request, kpi, who):
        with time_machine.travel(AFTER, tick=False), pytest.raises(ValidationError) as error:
            enter(kpi, request.getfixturevalue(who))
        assert f"{Q2} is locked" in error.value.message_dict["period"][0]
        assert not Measurement.all_objects.exists()

    def test_a_monthly_value_belongs_to_the_quarter_its_month_ends_in(self, kpi, contributor):
        kpi.frequency = "monthly"
        kpi.save()
        with time_machine.travel(AFTER, tick=False):
            enter(kpi, contributor, period_start=dt.date(2026, 10, 1))  # Q3: open
            with pytest.raises(ValidationError, match="is locked"):
                enter(kpi, contributor, period_start=dt.date(2026, 9, 1))

    def test_reopened_then_locked_again(self, kpi, contributor, planner):
        with time_machine.travel(AFTER, tick=False):
            window.quarter_reopen(plan=kpi.plan, quarter=Q2, by=planner, reason="Late audit")
            enter(kpi, contributor)
            window.quarter_relock(plan=kpi.plan, quarter=Q2, by=planner)
            value = Measurement.objects.get()
            with pytest.raises(ValidationError, match="is locked"):
                services.measurement_update(
                    measurement=value, by=contributor, expected_version=1, value=Decimal("11")
                )
        value.refresh_from_db()
        assert value.value == Decimal("10")


@pytest.mark.django_db
class TestCorrectingAndWithdrawing:
    def test_refused_after_the_deadline(self, kpi, contributor):
        value = MeasurementFactory(kpi=kpi, period_start=Q2.start, created_by=contributor)
        with pytest.raises(ValidationError, match=f"{Q2} is locked"):
            services.measurement_withdraw(
                measurement=value, by=contributor, expected_version=1, reason="x", today=AFTER
            )
        assert services.correction_refusal(value, DEADLINE) is None
        value.refresh_from_db()
        assert value.withdrawn_at is None


@pytest.mark.django_db
class TestImports:
    def test_a_row_for_a_locked_quarter_is_a_row_error_and_nothing_is_imported(
        self, kpi, contributor
    ):
        result = import_rows(kpi, contributor, "L2,2026-Q3,5", "L2,2026-Q2,7", today=AFTER)
        assert [e.row for e in result.errors] == [3]
        assert f"{Q2} is locked" in result.errors[0].reasons[0]
        assert not Measurement.all_objects.exists()

    def test_the_same_rows_import_while_the_quarter_is_open(self, kpi, contributor):
        result = import_rows(kpi, contributor, "L2,2026-Q2,7", today=DEADLINE)
        assert not result.errors and result.created == 1
