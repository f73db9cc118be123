"""The progress update form refuses a status and percentage that disagree, next to the field."""

from __future__ import annotations

import pytest
from django.urls import reverse

from objectives.models import ProgressUpdate
from tests.factories import ObjectiveFactory


@pytest.mark.django_db
class TestStatusAndPercentage:
    def test_not_started_with_20_percent_is_refused(self, client, planner, plan):
        objective = ObjectiveFactory(plan=plan)
        client.force_login(planner)
        response = client.post(
            reverse("objectives:update", args=[objective.pk]),
            {
                "period": "2006-Q1",
                "rag": "green",
                "status": "not_started",
                "percent_complete": "20",
                "version": str(objective.version),
            },
        )
        assert response.status_code == 400
        assert response.context["form"].errors["percent_complete"] == [
            "Not started means 0% complete: enter 0%, or choose In progress."
        ]
        assert not ProgressUpdate.objects.filter(objective=objective).exists()
