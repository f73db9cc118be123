"""A KPI form posted twice (a double click, a resend) saves once and answers the second post as
the first (planning.idempotency): no "code already used", no stale edit against oneself."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from kpis.models import KPI, KPITarget
from planning.fy import Quarter
from tests.factories import KPIFactory


def _token(client, url) -> str:
    page = client.get(url).content.decode()
    return re.search(r'name="submission_token" value="([^"]+)"', page).group(1)


@pytest.mark.django_db
class TestKpiFormsSaveOnce:
    def test_a_new_kpi_posted_twice_is_added_once(self, client, plan, planner):
        client.force_login(planner)
        url = reverse("kpis:create", args=[plan.slug])
        data = {
            "code": "L9",
            "name": "Staff turnover",
            "perspective": "L",
            "polarity": "lower",
            "frequency": "quarterly",
            "target": "10",
            "tolerance": "2",
            "submission_token": _token(client, url),
        }
        first, second = client.post(url, data), client.post(url, data)
        assert (first.status_code, second.status_code) == (302, 302)
        assert KPI.objects.filter(plan=plan, code="L9").count() == 1
        assert KPITarget.objects.get(kpi__code="L9").tolerance == 2

    def test_an_edit_posted_twice_is_not_a_stale_edit(self, client, plan, planner):
        kpi = KPIFactory(plan=plan, code="L1")
        client.force_login(planner)
        url = reverse("kpis:edit", args=[kpi.pk])
        data = {
            "code": "L1",
            "name": "Renamed",
            "perspective": "L",
            "polarity": "higher",
            "frequency": "quarterly",
            "version": "1",
            "submission_token": _token(client, url),
        }
        assert [client.post(url, data).status_code for _ in range(2)] == [302, 302]
        kpi.refresh_from_db()
        assert (kpi.name, kpi.version) == ("Renamed", 2)

    def test_a_target_change_posted_twice_is_saved_once(self, client, plan, planner):
        kpi = KPIFactory(plan=plan, target=80)
        client.force_login(planner)
        url = reverse("kpis:target_change", args=[kpi.pk])
        data = {
            "effective_from": Quarter.containing(timezone.localdate()).start.isoformat(),
            "target": "90",
            "tolerance": "5",
            "version": "1",
            "submission_token": _token(client, url),
        }
        assert [client.post(url, data).status_code for _ in range(2)] == [302, 302]
        assert kpi.targets.count() == 2
        kpi.refresh_from_db()
        assert kpi.version == 2
