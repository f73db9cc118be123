"""A change made in the Django admin bumps the version, so KPI-page forms opened before it are
refused as stale."""

import pytest
from django.urls import reverse

from tests.factories import KPIFactory, UserFactory


@pytest.mark.django_db
def test_admin_change_bumps_the_version(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    kpi = KPIFactory(code="L2", name="Old")
    response = client.post(
        reverse("admin:kpis_kpi_change", args=[kpi.pk]),
        {
            "plan": kpi.plan.pk,
            "code": "L2",
            "name": "New",
            "perspective": "L",
            "polarity": "higher",
            "frequency": "quarterly",
            "measurements-TOTAL_FORMS": "0",
            "measurements-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    kpi.refresh_from_db()
    assert (kpi.name, kpi.version) == ("New", 2)
