"""Goals through the generic list editor (objectives.goal_editing): added at the end, reordered
within the plan, their programme only one of the plan's own, deleted only while no action sits
under them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from objectives.goal_editing import GOALS
from objectives.models import Goal
from planning import ordering, services
from tests.factories import GoalFactory, ObjectiveFactory, PlanFactory, ProgrammeFactory


@pytest.mark.django_db
class TestGoalEditing:
    def test_add_and_move(self, plan, planner):
        a = services.list_item_create(spec=GOALS, plan=plan, by=planner, data={"title": "A"})
        b = services.list_item_create(spec=GOALS, plan=plan, by=planner, data={"title": "B"})
        services.list_item_move(
            spec=GOALS, plan=plan, pk=b.pk, direction="up", by=planner, expected_version=1
        )
        assert list(Goal.objects.filter(plan=plan).values_list("title", flat=True)) == ["B", "A"]
        a.refresh_from_db()
        assert a.version == 2

    def test_programme_must_be_the_plans_own(self, plan, planner):
        foreign = ProgrammeFactory(plan=PlanFactory())
        with pytest.raises(ValidationError):
            services.list_item_create(
                spec=GOALS, plan=plan, by=planner, data={"title": "A", "programme": foreign}
            )
        own = ProgrammeFactory(plan=plan)
        form = ordering.form_for(GOALS, plan)
        assert list(form.fields["programme"].queryset) == [own]

    def test_delete_refused_while_an_action_sits_under_it(self, plan, planner):
        goal = GoalFactory(plan=plan)
        ObjectiveFactory(plan=plan, goal=goal)
        with pytest.raises(ValidationError, match="cannot be deleted"):
            services.list_item_delete(
                spec=GOALS, plan=plan, pk=goal.pk, by=planner, expected_version=goal.version
            )
        assert Goal.objects.filter(pk=goal.pk).exists()

    def test_page(self, client, plan, planner, contributor):
        GoalFactory(plan=plan, title="Engaged staff")
        url = reverse("planning:edit_list", args=[plan.slug, "goals"])
        client.force_login(contributor)
        assert client.get(url).status_code == 403
        client.force_login(planner)
        response = client.get(url)
        assert response.status_code == 200
        assert "Engaged staff" in response.content.decode()
