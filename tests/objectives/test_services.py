import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from objectives.models import Objective, ProgressUpdate
from objectives.services import progress_update_create
from planning.concurrency import StaleEditError
from tests.factories import ObjectiveFactory, UserFactory

TODAY = dt.date(2006, 11, 15)


def post(objective, user, version, **overrides):
    fields = {
        "financial_year": 2006,
        "quarter": 3,
        "rag": "amber",
        "status": "in_progress",
        "percent_complete": 50,
        "narrative": "Waiting on the PCT's sign-off.",
        "today": TODAY,
    }
    fields.update(overrides)
    return progress_update_create(objective=objective, by=user, expected_version=version, **fields)


@pytest.mark.django_db
class TestProgressUpdateCreate:
    def test_records_update_and_makes_it_current(self):
        objective = ObjectiveFactory()
        user = UserFactory()
        update = post(objective, user, 1)
        objective.refresh_from_db()
        assert objective.latest_update == update
        assert (objective.rag, objective.status, objective.percent_complete) == (
            "amber",
            "in_progress",
            50,
        )
        assert objective.version == 2
        assert update.created_by == user
        # The change to the item is in its audit history, attributed to the user.
        latest = objective.history.latest()
        assert latest.history_user == user
        assert latest.rag == "amber"

    def test_second_save_from_the_same_starting_point_is_refused(self):
        objective = ObjectiveFactory()
        first, second = UserFactory(), UserFactory()
        post(objective, first, 1, narrative="First person's news.")
        with pytest.raises(StaleEditError) as caught:
            post(objective, second, 1, rag="red", narrative="Second person's news.")
        assert [u.narrative for u in caught.value.changes] == ["First person's news."]
        objective.refresh_from_db()
        assert objective.rag == "amber"
        assert objective.version == 2
        assert ProgressUpdate.objects.filter(objective=objective).count() == 1

    def test_broken_rule_saves_nothing(self):
        objective = ObjectiveFactory()
        with pytest.raises(ValidationError) as caught:
            post(objective, UserFactory(), 1, rag="red", narrative="")
        assert "narrative" in caught.value.message_dict
        assert ProgressUpdate.objects.count() == 0
        assert Objective.objects.get(pk=objective.pk).version == 1

    def test_history_keeps_every_update(self):
        objective = ObjectiveFactory()
        user = UserFactory()
        post(objective, user, 1, rag="green", narrative="")
        post(objective, user, 2, rag="blue", status="completed", percent_complete=100)
        assert list(objective.updates.values_list("rag", flat=True)) == ["blue", "green"]


@pytest.mark.django_db
class TestTheConstraintsAreTheRules:
    """The save skips Django's database round trip per CheckConstraint (rules.check_update
    says the same first): every constraint a new update could break is still refused as a
    ValidationError on its field, nothing saved, and the database's own constraint still holds
    underneath."""

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"percent_complete": 101}, "percent_complete"),
            ({"rag": "blue", "status": "completed", "percent_complete": 90}, "percent_complete"),
            ({"quarter": 5}, "quarter"),
            ({"rag": "purple"}, "rag"),
            ({"status": "dormant"}, "status"),
        ],
    )
    def test_each_is_refused_on_its_field(self, overrides, field):
        objective = ObjectiveFactory()
        with pytest.raises(ValidationError) as caught:
            post(objective, UserFactory(), 1, **overrides)
        assert field in caught.value.message_dict
        assert ProgressUpdate.all_objects.count() == 0
        assert Objective.objects.get(pk=objective.pk).version == 1

    def test_every_constraint_is_one_the_rules_cover(self):
        # A new constraint on ProgressUpdate must be added to the rules (and to the cases above).
        names = {c.name for c in ProgressUpdate._meta.constraints}
        assert names == {
            "update_quarter_1_4",
            "update_percent_le_100",
            "update_rag_valid",
            "update_status_valid",
            "update_blue_is_100",
            "update_state_consistent",  # a new update is current: a correction retires it
        }

    def test_the_database_still_enforces_them(self):
        from django.db import IntegrityError, transaction

        objective = ObjectiveFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            ProgressUpdate.objects.create(
                objective=objective,
                created_by=UserFactory(),
                financial_year=2006,
                quarter=3,
                rag="green",
                status="in_progress",
                percent_complete=150,
            )
