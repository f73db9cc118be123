"""Every role × every KPI view × own or other organisation, enforced server-side (in the style
of tests/test_permission_matrix.py).

Board members (viewers) read the scorecard, the KPI list and KPI pages; only planners and
administrators define or edit KPIs; contributors, planners and administrators enter, correct
and import measurements. A member of another organisation gets 404; anonymous visitors are sent
to sign in.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import (
    KPIFactory,
    MeasurementFactory,
    MembershipFactory,
    OrganisationFactory,
    PlanFactory,
    reopen_reported_quarters,
)

ROLES = ["viewer", "contributor", "planner", "admin"]
SECRET = "Secret KPI of the home trust"


@pytest.fixture
def world(db):
    home = OrganisationFactory(name="Home Trust")
    plan = PlanFactory(organisation=home, title="Home Plan")
    reopen_reported_quarters(plan)  # 2006/07 locked long ago: reopened, as a planner would
    kpi = KPIFactory(plan=plan, code="L2", name=SECRET, unit="%")
    # A generated value: anybody who may enter values may replace it, at any time (a real 2006
    # value's reporting window has closed; tests/kpis/test_corrections.py covers those).
    measurement = MeasurementFactory(
        kpi=kpi, period_start=dt.date(2006, 4, 1), value=Decimal(5), synthetic=True
    )
    away = OrganisationFactory(name="Away Trust")
    PlanFactory(organisation=away, title="Away Plan")
    return {"home": home, "away": away, "plan": plan, "kpi": kpi, "measurement": measurement}


def user_for(world, role: str, where: str):
    return MembershipFactory(organisation=world[where], role=role).user


def kpi_form(world):
    return {
        "code": "L7",
        "name": "New KPI",
        "perspective": "L",
        "polarity": "higher",
        "frequency": "quarterly",
        "version": str(world["kpi"].version),
    }


def csv_upload(world):
    return {
        "file": SimpleUploadedFile(
            "m.csv", b"kpi code,period,value\nL2,2006-Q2,6\n", content_type="text/csv"
        )
    }


READ = {}
EDIT = {"viewer": 403, "contributor": 403}
EDIT_POST = {"viewer": 403, "contributor": 403, "planner": 302, "admin": 302}
ENTER = {"viewer": 403}
ENTER_POST = {"viewer": 403, "contributor": 302, "planner": 302, "admin": 302}

# view → (method, url builder, data builder or None, expected status by role: default 200)
VIEWS = {
    "scorecard": (
        "get",
        lambda w: reverse("reporting:scorecard", args=[w["plan"].slug]),
        None,
        READ,
    ),
    "scorecard_quarter": (
        "get",
        lambda w: reverse("reporting:scorecard", args=[w["plan"].slug]) + "?quarter=2006-Q1",
        None,
        READ,
    ),
    "kpi_list": ("get", lambda w: reverse("kpis:list", args=[w["plan"].slug]), None, READ),
    "kpi_detail": ("get", lambda w: reverse("kpis:detail", args=[w["kpi"].pk]), None, READ),
    "kpi_create_form": ("get", lambda w: reverse("kpis:create", args=[w["plan"].slug]), None, EDIT),
    "kpi_create_post": (
        "post",
        lambda w: reverse("kpis:create", args=[w["plan"].slug]),
        kpi_form,
        EDIT_POST,
    ),
    "kpi_edit_form": ("get", lambda w: reverse("kpis:edit", args=[w["kpi"].pk]), None, EDIT),
    "kpi_edit_post": (
        "post",
        lambda w: reverse("kpis:edit", args=[w["kpi"].pk]),
        kpi_form,
        EDIT_POST,
    ),
    "measurement_create_form": (
        "get",
        lambda w: reverse("kpis:measurement_create", args=[w["kpi"].pk]),
        None,
        ENTER,
    ),
    "measurement_create_post": (
        "post",
        lambda w: reverse("kpis:measurement_create", args=[w["kpi"].pk]),
        lambda w: {"period": "2006-Q2", "value": "7"},
        ENTER_POST,
    ),
    "measurement_edit_form": (
        "get",
        lambda w: reverse("kpis:measurement_edit", args=[w["measurement"].pk]),
        None,
        ENTER,
    ),
    "measurement_edit_post": (
        "post",
        lambda w: reverse("kpis:measurement_edit", args=[w["measurement"].pk]),
        lambda w: {"value": "8", "version": "1"},
        ENTER_POST,
    ),
    "import_form": ("get", lambda w: reverse("kpis:import", args=[w["plan"].slug]), None, ENTER),
    "import_post": (
        "post",
        lambda w: reverse("kpis:import", args=[w["plan"].slug]),
        csv_upload,
        ENTER_POST,
    ),
}


def call(client, world, view):
    method, url, data, _ = VIEWS[view]
    return getattr(client, method)(url(world), data(world) if data else None)


@pytest.mark.django_db
class TestKPIPermissionMatrix:
    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("view", VIEWS)
    def test_own_organisation(self, client, world, role, view):
        client.force_login(user_for(world, role, "home"))
        response = call(client, world, view)
        assert response.status_code == VIEWS[view][3].get(role, 200)

    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("view", VIEWS)
    def test_other_organisation_is_404_and_changes_nothing(self, client, world, role, view):
        client.force_login(user_for(world, role, "away"))
        response = call(client, world, view)
        assert response.status_code == 404
        assert SECRET not in response.content.decode(errors="replace")
        kpi, measurement = world["kpi"], world["measurement"]
        kpi.refresh_from_db()
        measurement.refresh_from_db()
        assert (kpi.version, measurement.value, kpi.measurements.count()) == (1, 5, 1)

    @pytest.mark.parametrize("view", VIEWS)
    def test_anonymous_is_sent_to_sign_in(self, client, world, view):
        response = call(client, world, view)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_unknown_records_are_404(self, client, world):
        client.force_login(user_for(world, "admin", "home"))
        assert client.get(reverse("kpis:detail", args=[999999])).status_code == 404
        assert client.get(reverse("reporting:scorecard", args=["no-such-plan"])).status_code == 404
        assert client.get(reverse("kpis:measurement_edit", args=[999999])).status_code == 404

    def test_viewer_sees_no_edit_controls(self, client, world):
        client.force_login(user_for(world, "viewer", "home"))
        for url in (
            reverse("kpis:detail", args=[world["kpi"].pk]),
            reverse("kpis:list", args=[world["plan"].slug]),
            reverse("reporting:scorecard", args=[world["plan"].slug]),
        ):
            body = client.get(url).text
            assert "Enter a measurement" not in body
            assert "Edit this KPI" not in body and "Add a KPI" not in body
            assert "Import measurements" not in body
