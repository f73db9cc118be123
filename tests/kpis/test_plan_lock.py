"""A ratified plan's KPI definitions and targets are locked in the services (planning.lifecycle);
its measurements carry on."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from kpis import services
from kpis.models import KPI, KPITarget, Measurement
from planning.models import PlanStatus
from tests.factories import KPIFactory, PlanFactory

TODAY = dt.date(2026, 11, 26)  # Q3 2026/27
LOCKED = "Start a refresh"


@pytest.fixture
def ratified(db):
    return PlanFactory(start_year=2026, end_year=2026, status=PlanStatus.RATIFIED)


@pytest.mark.django_db
class TestRatifiedPlanKPIs:
    def test_no_new_kpi(self, ratified, planner):
        with pytest.raises(ValidationError, match=LOCKED):
            services.kpi_create(plan=ratified, by=planner, data={"code": "N1", "name": "New"})
        assert not KPI.objects.filter(plan=ratified).exists()

    def test_no_definition_edit(self, ratified, planner):
        kpi = KPIFactory(plan=ratified, name="Before")
        with pytest.raises(ValidationError, match=LOCKED):
            services.kpi_update(
                kpi=kpi, by=planner, expected_version=kpi.version, data={"name": "After"}
            )
        kpi.refresh_from_db()
        assert kpi.name == "Before"

    def test_no_target_change(self, ratified, planner):
        kpi = KPIFactory(plan=ratified)
        with pytest.raises(ValidationError, match=LOCKED):
            services.kpi_target_change(
                kpi=kpi,
                by=planner,
                expected_version=kpi.version,
                effective_from=dt.date(2026, 10, 1),
                target=D("90"),
                tolerance=None,
                today=TODAY,
            )
        assert not KPITarget.objects.filter(kpi=kpi).exists()

    def test_measurements_carry_on(self, ratified, planner):
        kpi = KPIFactory(plan=ratified)
        with time_machine.travel(TODAY, tick=False):
            services.measurement_create(
                kpi=kpi, by=planner, period_start=dt.date(2026, 10, 1), value=D("3")
            )
        assert Measurement.objects.filter(kpi=kpi).count() == 1

    def test_a_draft_plan_still_changes(self, planner):
        kpi = KPIFactory(plan=PlanFactory(start_year=2026, end_year=2026), name="Before")
        services.kpi_update(kpi=kpi, by=planner, expected_version=kpi.version, data={"name": "A"})
        kpi.refresh_from_db()
        assert kpi.name == "A"


@pytest.mark.django_db
class TestRatifiedPlanKPIPages:
    def test_the_edit_page_says_the_plan_is_locked_and_saves_nothing(
        self, client, organisation, planner
    ):
        plan = PlanFactory(organisation=organisation, status=PlanStatus.RATIFIED)
        kpi = KPIFactory(plan=plan, name="Before")
        client.force_login(planner)
        response = client.post(
            reverse("kpis:edit", args=[kpi.pk]),
            {
                "code": kpi.code,
                "name": "After",
                "perspective": kpi.perspective,
                "unit": kpi.unit,
                "polarity": kpi.polarity,
                "frequency": kpi.frequency,
                "version": kpi.version,
            },
        )
        assert response.status_code == 400
        assert "Start a refresh" in response.content.decode()
        kpi.refresh_from_db()
        assert kpi.name == "Before"
