"""Issue 10 findings on the budget forms: what the database enforces is checked on the field."""

from __future__ import annotations

import pytest
from django.urls import reverse

from budgets.models import BudgetSettings
from tests.budgets.helpers import page_text

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
