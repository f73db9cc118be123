"""Every model is in the admin, and a broken constraint comes back as a clear field error."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from budgets.models import IncomeLine
from kpis.models import KPI
from tests.factories import KPIFactory, PlanFactory, ServiceLineFactory, UserFactory

OUR_APPS = {"planning", "objectives", "kpis", "budgets", "swot", "delivery"}


@pytest.fixture
def superuser_client(client, db):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


@pytest.mark.django_db
class TestAdmin:
    def test_every_model_is_registered(self):
        missing = [
            model._meta.label
            for model in apps.get_models()
            if model._meta.app_label in OUR_APPS
            and not model._meta.label.split(".")[1].startswith("Historical")
            and model not in admin.site._registry
        ]
        assert missing == []

    def test_changelists_load_with_the_demo(self, superuser_client, demo):
        for model in admin.site._registry:
            if model._meta.app_label not in OUR_APPS:
                continue
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            response = superuser_client.get(url)
            assert response.status_code == 200, url

    def test_negative_money_is_refused_on_the_field(self, superuser_client):
        line = ServiceLineFactory()
        url = reverse("admin:budgets_incomeline_add")
        response = superuser_client.post(
            url,
            {
                "plan": line.plan.pk,
                "financial_year": 2006,
                "funder_label": "Croydon PCT",
                "funder_order": 0,
                "service_line": line.pk,
                "amount": "-5.00",
            },
        )
        assert response.status_code == 200
        assert "An income amount cannot be negative." in response.text
        assert IncomeLine.objects.count() == 0

    def test_duplicate_kpi_code_is_refused(self, superuser_client):
        plan = PlanFactory()
        KPIFactory(plan=plan, code="L2")
        response = superuser_client.post(
            reverse("admin:kpis_kpi_add"),
            {
                "plan": plan.pk,
                "code": "L2",
                "name": "Duplicate",
                "perspective": "L",
                "polarity": "higher",
                "frequency": "quarterly",
                "measurements-TOTAL_FORMS": "0",
                "measurements-INITIAL_FORMS": "0",
            },
        )
        assert response.status_code == 200
        assert "already exists" in response.text
        assert KPI.objects.filter(plan=plan, code="L2").count() == 1
