"""Deleting a risk's control or assurance and a risk category from the pages: confirmed,
version-checked, audited, a category refused while risks are in it, another organisation's
record 404 and a member without the right 403."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assurance import services
from assurance.models import Control, RiskCategory
from tests.factories import (
    ControlFactory,
    MembershipFactory,
    RiskCategoryFactory,
    RiskFactory,
)


@pytest.mark.django_db
class TestControlDelete:
    def test_planner_deletes_a_control_from_the_risk_page(self, client, planner, organisation):
        risk = RiskFactory(organisation=organisation)
        control = ControlFactory(risk=risk, description="Monthly audit of rosters")
        kept = ControlFactory(risk=risk, kind="assurance", description="Internal audit report")
        client.force_login(planner)
        url = reverse("assurance:control_delete", args=[control.pk])
        assert url in client.get(risk.get_absolute_url()).text
        page = client.get(url)
        assert page.status_code == 200
        assert "Delete this control?" in page.text and "Monthly audit of rosters" in page.text
        response = client.post(url, {"version": control.version})
        assert response.status_code == 302 and response["Location"] == risk.get_absolute_url()
        assert list(Control.objects.all()) == [kept]
        assert Control.history.filter(history_type="-").get().history_user == planner

    def test_stale_page_is_refused(self, client, planner, organisation):
        control = ControlFactory(risk=RiskFactory(organisation=organisation), version=2)
        client.force_login(planner)
        response = client.post(
            reverse("assurance:control_delete", args=[control.pk]), {"version": 1}
        )
        assert response.status_code == 409
        assert "Somebody else changed this control" in response.text
        assert Control.objects.exists()

    def test_who_may(self, client, organisation, other_organisation, viewer, contributor):
        control = ControlFactory(risk=RiskFactory(organisation=organisation))
        url = reverse("assurance:control_delete", args=[control.pk])
        for user, status in (
            (viewer, 403),
            (contributor, 403),
            (MembershipFactory(organisation=other_organisation, role="admin").user, 404),
        ):
            client.force_login(user)
            assert client.get(url).status_code == status
            assert client.post(url, {"version": 1}).status_code == status
        assert Control.objects.exists()


@pytest.mark.django_db
class TestCategoryDelete:
    def test_an_unused_category_is_deleted(self, client, planner, organisation):
        category = RiskCategoryFactory(organisation=organisation, name="Reputation")
        client.force_login(planner)
        url = reverse("assurance:category_delete", args=[category.pk])
        assert url in client.get(reverse("assurance:settings", args=[organisation.slug])).text
        assert client.post(url, {"version": category.version}).status_code == 302
        assert not RiskCategory.objects.exists()
        assert RiskCategory.history.filter(history_type="-").get().history_user == planner

    def test_refused_while_risks_are_in_it(self, client, planner, organisation):
        category = RiskCategoryFactory(organisation=organisation, name="Finance")
        RiskFactory(organisation=organisation, category=category)
        RiskFactory(organisation=organisation, category=category, status="closed")
        client.force_login(planner)
        url = reverse("assurance:category_delete", args=[category.pk])
        page = client.get(url)
        assert page.status_code == 200
        message = "This category cannot be deleted: 2 risks are in it (closed risks count too)"
        assert message in page.text
        response = client.post(url, {"version": category.version})
        assert response.status_code == 400 and message in response.text
        assert RiskCategory.objects.filter(pk=category.pk).exists()
        with pytest.raises(ValidationError) as raised:
            services.category_delete(category=category, by=planner, expected_version=1)
        assert raised.value.code == "referenced"

    def test_stale_page_is_refused(self, client, planner, organisation):
        category = RiskCategoryFactory(organisation=organisation, version=3)
        client.force_login(planner)
        url = reverse("assurance:category_delete", args=[category.pk])
        assert client.post(url, {"version": 2}).status_code == 409
        assert RiskCategory.objects.exists()

    def test_other_organisation_is_404(self, client, organisation, other_organisation):
        category = RiskCategoryFactory(organisation=organisation)
        client.force_login(MembershipFactory(organisation=other_organisation, role="planner").user)
        url = reverse("assurance:category_delete", args=[category.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"version": 1}).status_code == 404
        assert RiskCategory.objects.exists()
