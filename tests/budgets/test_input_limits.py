"""Issue 10 findings on the budget forms: what the database enforces is checked on the field."""

from __future__ import annotations

import pytest
from django.urls import reverse

from budgets.models import BudgetSettings, ExpenditureLine, SavingsScheme
from tests.budgets.helpers import page_text
from tests.budgets.test_editing import expenditure_form_data, expenditure_url

THRESHOLDS = "budgets:thresholds"


@pytest.mark.django_db
class TestThresholdsOutOfRange:
    """A bare % in the messages broke Django's interpolation: any out-of-range value was a 500."""

    @pytest.mark.parametrize(
        ("amber", "red", "message"),
        [
            ("101", "102", "Enter an Amber threshold of 100% or less"),
            ("-1", "5", "Enter an Amber threshold of 0% or more"),
            ("2", "100.01", "Enter a Red threshold of 100% or less"),
            ("2", "-9223372036854775808", "Enter a Red threshold of 0% or more"),
        ],
    )
    def test_refused_next_to_the_field(self, client, plan, planner, amber, red, message):
        client.force_login(planner)
        url = reverse(THRESHOLDS, args=[plan.slug])
        data = {"amber_at_percent": amber, "red_at_percent": red, "version": "0"}
        response = client.post(url, data)
        assert response.status_code == 400
        assert message in page_text(response)
        assert not BudgetSettings.objects.filter(plan=plan).exclude(version=0).exists()

    @pytest.mark.parametrize("version", ["-9223372036854775808", "2147483648", "x"])
    def test_a_version_out_of_range_is_refused(self, client, plan, planner, version):
        client.force_login(planner)
        url = reverse(THRESHOLDS, args=[plan.slug])
        data = {"amber_at_percent": "2", "red_at_percent": "5", "version": version}
        response = client.post(url, data)
        assert response.status_code == 400
        assert "open it again" in page_text(response)


@pytest.mark.django_db
class TestExpenditureLengths:
    @pytest.mark.parametrize(("field", "limit"), [("manager", 120), ("description", 200)])
    def test_too_long_is_refused_next_to_the_field(
        self, client, plan, budget, planner, field, limit
    ):
        client.force_login(planner)
        data = expenditure_form_data(plan)
        data["expenditure-4-manager"] = "Head of Estates"
        data["expenditure-4-description"] = "Cleaning"
        data["expenditure-4-amount"] = "10"
        data[f"expenditure-4-{field}"] = "x" * (limit + 1)
        before = ExpenditureLine.objects.count()
        response = client.post(expenditure_url(plan), data)
        assert response.status_code == 400
        assert f"Enter {limit} characters or fewer: this has {limit + 1}" in page_text(response)
        assert ExpenditureLine.objects.count() == before

    def test_a_nul_byte_is_refused(self, client, plan, budget, planner):
        client.force_login(planner)
        before = sorted(ExpenditureLine.objects.values_list("description", flat=True))
        data = expenditure_form_data(plan)
        data["expenditure-0-description"] = "Clean\x00ing"
        response = client.post(expenditure_url(plan), data)
        assert response.status_code == 400
        assert "Remove the invisible control character (character 6" in page_text(response)
        assert sorted(ExpenditureLine.objects.values_list("description", flat=True)) == before


@pytest.mark.django_db
class TestSavingsScheme:
    url = staticmethod(lambda plan: reverse("budgets:savings_create", args=[plan.slug]))

    @pytest.mark.parametrize(
        ("fte", "message"),
        [
            ("NaN", "Enter the effect on staff as a number of FTE"),
            ("-Infinity", "Enter the effect on staff as a number of FTE"),
            ("1e999999", "Ensure that there are no more than 7 digits in total."),
            ("1.005", "Ensure that there are no more than 2 decimal places."),
        ],
    )
    def test_bad_fte_is_refused(self, client, plan, planner, fte, message):
        client.force_login(planner)
        data = {"title": "Agency staff", "status": "proposed", "fte_effect": fte}
        response = client.post(self.url(plan), data)
        assert response.status_code == 400
        assert message in page_text(response)
        assert not SavingsScheme.objects.exists()

    @pytest.mark.parametrize(("field", "limit"), [("title", 200), ("owner_text", 150)])
    def test_lengths_match_the_columns(self, client, plan, planner, field, limit):
        assert SavingsScheme._meta.get_field(field).max_length == limit
        client.force_login(planner)
        data = {"title": "Agency staff", "status": "proposed", "fte_effect": "0"}
        data[field] = "x" * (limit + 1)
        response = client.post(self.url(plan), data)
        assert response.status_code == 400
        assert f"Enter {limit} characters or fewer" in page_text(response)
        assert not SavingsScheme.objects.exists()
